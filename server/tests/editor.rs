//! The trainer's editor through the real router: a draft is checked like the files, a draft
//! with an error is refused, a fixed one is published to learners and to every node on the
//! database, the officials certified on the old text are listed, and `taphuan content export`
//! writes back exactly what the folder held.

mod common;
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const COURSE: &str = "a-khung-phap-ly";
const LESSON: &str = "01-nghi-dinh-52-2013.md";

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Publishes `course` through the form; the new publish's id, or where the form sent us.
async fn publish(app: &TestApp, token: &str, course: &str, form: &str) -> Result<i64, String> {
    let r = app
        .post_form(&format!("/editor/{course}/publish"), form, Some(token))
        .await;
    let to = r.location.unwrap_or_default();
    to.strip_prefix(&format!("/content/{course}?published="))
        .and_then(|id| id.parse().ok())
        .ok_or(to)
}

async fn person_of(app: &TestApp, username: &str) -> (i64, String) {
    use app::ssr::db::entities::{account, person};
    let a = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let p = person::Entity::find_by_id(a.person_id.unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    (p.id, p.full_name)
}

#[tokio::test]
async fn a_draft_with_an_error_is_refused_and_the_fixed_one_reaches_learners_and_every_node() {
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    let learner = app.sign_in_demo("hocvien").await;
    // An official certified on an earlier text of the course.
    let (certified, certified_name) = person_of(&app, "hocvien").await;
    common::certify(&app.state.db, certified, COURSE).await;

    let open = app
        .call("editor_file", &format!("course={COURSE}&name={LESSON}"), Some(&trainer))
        .await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    let text = open.json()["text"].as_str().unwrap().to_string();
    assert!(text.contains("::a-l1-kc1::"));
    let lines_before = text.lines().count();

    // A new paragraph and a question with no right answer.
    let broken = format!(
        "{text}\nĐoạn mới viết trong trình soạn.\n\n```gift\n::a-l1-editor:: Câu hỏi mới? {{\n~Một\n~Hai\n}}\n```\n"
    );
    let saved = app
        .post_form(
            &format!("/editor/{COURSE}/save"),
            &format!("file={LESSON}&text={}", enc(&broken)),
            Some(&trainer),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(&*format!("/content/{COURSE}?file={LESSON}&saved=1"))
    );
    let reopened = app
        .call("editor_file", &format!("course={COURSE}&name={LESSON}"), Some(&trainer))
        .await
        .json();
    assert_eq!(reopened["has_draft"], true);
    assert_eq!(reopened["text"].as_str().unwrap(), broken, "the draft is what reopens");
    let diags = reopened["diagnostics"].as_array().unwrap();
    let error = diags
        .iter()
        .find(|d| d["error"] == true)
        .unwrap_or_else(|| panic!("the missing right answer is an error: {diags:?}"));
    // The question opens three lines below the old end of the file.
    let question_line = lines_before + 4;
    assert!(
        (question_line..=question_line + 3).contains(&(error["line"].as_u64().unwrap() as usize)),
        "{error} (question at line {question_line})"
    );
    assert!(
        error["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{COURSE}/{LESSON}:")),
        "{error}"
    );
    assert!(
        !reopened["diff"].as_array().unwrap().is_empty(),
        "the draft differs from the published text"
    );

    // Refused: nothing is published, the learner still reads the old lesson.
    let refused = publish(
        &app,
        &trainer,
        COURSE,
        "kind=substantive&reason=Lu%E1%BA%ADt+122%2F2025%2FQH15",
    )
    .await;
    assert_eq!(refused, Err(format!("/content/{COURSE}?refused=errors")));
    let lesson = app.get(&format!("/courses/{COURSE}/lessons/1"), Some(&learner)).await;
    assert!(!lesson.body.contains("Đoạn mới viết trong trình soạn"));

    // Fixed and published as substantive.
    let fixed = broken.replace("~Một", "=Một");
    app.post_form(
        &format!("/editor/{COURSE}/save"),
        &format!("file={LESSON}&text={}", enc(&fixed)),
        Some(&trainer),
    )
    .await;
    let no_reason = publish(&app, &trainer, COURSE, "kind=substantive&reason=+").await;
    assert_eq!(no_reason, Err(format!("/content/{COURSE}?refused=reason")));
    let id = publish(
        &app,
        &trainer,
        COURSE,
        "kind=substantive&reason=Lu%E1%BA%ADt+122%2F2025%2FQH15+c%C3%B3+hi%E1%BB%87u+l%E1%BB%B1c",
    )
    .await
    .unwrap();
    let lesson = app.get(&format!("/courses/{COURSE}/lessons/1"), Some(&learner)).await;
    assert!(
        lesson.body.contains("Đoạn mới viết trong trình soạn"),
        "the learner reads the new text"
    );

    let ws = app
        .call(
            "editor_course",
            &format!("course={COURSE}&published={id}"),
            Some(&trainer),
        )
        .await
        .json();
    assert_eq!(ws["served_from"], id);
    assert_eq!(ws["drafts"], 0, "publishing clears the drafts");
    let p = &ws["history"][0];
    assert_eq!(p["kind"], "substantive");
    assert_eq!(p["reason"], "Luật 122/2025/QH15 có hiệu lực");
    assert_eq!(p["changes"]["lessons_changed"], serde_json::json!([LESSON]));
    assert_eq!(p["changes"]["questions_added"], serde_json::json!(["a-l1-editor"]));
    assert_eq!(p["changes"]["questions_removed"], serde_json::json!([]));
    let affected: Vec<&str> = ws["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(affected.contains(&certified_name.as_str()), "{affected:?}");

    // A second node on the same database serves the published course too.
    let url = app.state.config.database_url.clone();
    let other = TestApp::on_database(&url, app.backend, |_| {}).await;
    let lesson = other.get(&format!("/courses/{COURSE}/lessons/1"), Some(&learner)).await;
    assert!(lesson.body.contains("Đoạn mới viết trong trình soạn"));
}

#[tokio::test]
async fn only_the_admin_and_the_courses_trainers_edit_it() {
    let app = TestApp::spawn().await;
    let learner = app.sign_in_demo("hocvien").await;
    let manager = app.sign_in_demo("quanly").await;
    for token in [&learner, &manager] {
        let r = app
            .post_form(
                &format!("/editor/{COURSE}/save"),
                &format!("file={LESSON}&text=x"),
                Some(token),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .call("editor_file", &format!("course={COURSE}&name={LESSON}"), Some(token))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    // A path outside the course folder, or not Markdown, is never a draft.
    let trainer = app.sign_in_demo("giangvien").await;
    for name in [
        "../b-hang-gia-che-tai/course.md",
        "images/x.svg",
        ".hidden.md",
        "a%2Fb.md",
    ] {
        let r = app
            .post_form(
                &format!("/editor/{COURSE}/save"),
                &format!("file={name}&text=x"),
                Some(&trainer),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    let drafts = app::ssr::db::entities::content_draft::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(drafts, 0);
}

#[tokio::test]
async fn every_shipped_course_exports_byte_identical_after_a_no_change_publish() {
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    let library = app.state.content.get();
    let ids: Vec<String> = library.library.courses.iter().map(|c| c.id.to_string()).collect();
    assert!(ids.len() >= 6);
    for id in &ids {
        let p = publish(&app, &trainer, id, "kind=minor&reason=no+change").await;
        assert!(p.is_ok(), "{id}: {p:?}");
    }
    assert_eq!(
        app.state.content.get().origins.published.len(),
        ids.len(),
        "every course is served from its publish"
    );
    let out = std::env::temp_dir().join(format!(
        "taphuan-export-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(["content", "export"])
        .arg(&out)
        .env("DATABASE_URL", &app.state.config.database_url)
        .env("TAPHUAN_CONTENT_DIR", &app.state.config.content_dir)
        .env("TAPHUAN_DATA_DIR", std::env::temp_dir())
        .env_remove("TAPHUAN_ENV")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("from editor publish #"), "{stdout}");
    let shipped = app::domain::content::fs::read_content_dir(&app.state.config.content_dir).unwrap();
    let exported = app::domain::content::fs::read_content_dir(&out).unwrap();
    let shipped: Vec<_> = shipped.into_iter().filter(|f| f.path.contains('/')).collect();
    assert_eq!(shipped.len(), exported.len());
    for (a, b) in shipped.iter().zip(&exported) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs after the round trip", a.path);
    }
    std::fs::remove_dir_all(&out).ok();
}

/// Posts the editor's import form: `into` (exam or a lesson number) and the bank file.
async fn import(app: &TestApp, token: &str, course: &str, into: &str, filename: &str, bytes: &[u8]) -> common::Resp {
    multipart(
        app,
        token,
        &format!("/editor/{course}/import"),
        Some(into),
        filename,
        bytes,
    )
    .await
}

/// Posts one of the editor's upload forms: `into` if given, and the file.
async fn multipart(
    app: &TestApp,
    token: &str,
    path: &str,
    into: Option<&str>,
    filename: &str,
    bytes: &[u8],
) -> common::Resp {
    use axum::body::Body;
    use axum::http::{Request, header};
    let boundary = "----taphuan-editor-boundary";
    let mut body = into
        .map(|into| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"into\"\r\n\r\n{into}\r\n"))
        .unwrap_or_default()
        .into_bytes();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::COOKIE, format!("{}={token}", app::ssr::auth::COOKIE))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn moodles_examples_imported_through_the_page_become_the_exams_questions() {
    use app::domain::gift::parse_gift;
    let moodle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/gift-fixtures/moodle");
    let examples = std::fs::read(moodle.join("moodle-examples.gift.txt")).unwrap();
    let (original, errs) = parse_gift(std::str::from_utf8(&examples).unwrap());
    assert!(errs.is_empty() && original.len() > 10);
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    let pool_before = app
        .state
        .content
        .get()
        .library
        .course(COURSE)
        .unwrap()
        .exam
        .as_ref()
        .unwrap()
        .pool
        .len();

    let r = import(&app, &trainer, COURSE, "exam", "moodle-examples.gift.txt", &examples).await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/content/{COURSE}?file=exam.md&imported={}", original.len())),
        "{}",
        r.body
    );
    let open = app
        .call("editor_file", &format!("course={COURSE}&name=exam.md"), Some(&trainer))
        .await
        .json();
    assert_eq!(open["has_draft"], true);
    let names: Vec<&str> = open["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q[0].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        pool_before + original.len(),
        "every question, as the learner will see it"
    );
    assert!(names.contains(&"moodle-examples-01"), "{names:?}");
    assert!(
        open["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["error"] == false),
        "{}",
        open["diagnostics"]
    );
    // Nothing reaches learners before it is published; then the pool holds Moodle's questions
    // as Moodle reads them.
    assert_eq!(
        app.state
            .content
            .get()
            .library
            .course(COURSE)
            .unwrap()
            .exam
            .as_ref()
            .unwrap()
            .pool
            .len(),
        pool_before
    );
    let p = publish(&app, &trainer, COURSE, "kind=minor&reason=Moodle").await;
    assert!(p.is_ok(), "{p:?}");
    let loaded = app.state.content.get();
    let pool = &loaded.library.course(COURSE).unwrap().exam.as_ref().unwrap().pool;
    let strip = |mut q: app::domain::gift::Question| {
        q.name = None;
        q.line = 0;
        q.col = 0;
        q
    };
    let imported: Vec<_> = pool[pool_before..].iter().map(|i| strip(i.question.clone())).collect();
    assert_eq!(imported, original.into_iter().map(strip).collect::<Vec<_>>());

    // A bank with an essay cannot go into an exam: every problem located, nothing saved.
    let questions = std::fs::read(moodle.join("moodle-questions.gift.txt")).unwrap();
    let r = import(&app, &trainer, COURSE, "exam", "moodle-questions.gift.txt", &questions).await;
    let to = r.location.unwrap_or_default();
    let query: std::collections::HashMap<String, String> =
        form_urlencoded::parse(to.split_once('?').map(|x| x.1).unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    assert!(
        query["import_errors"].contains("moodle-questions.gift.txt:2:1: essay question `Q8` cannot be in an exam pool"),
        "{to}"
    );
    let drafts = app::ssr::editor::drafts_of(&app.state.db, COURSE).await.unwrap();
    assert!(drafts.is_empty(), "a refused import saves nothing");
}

#[tokio::test]
async fn a_node_behind_another_publishes_on_top_of_it_not_over_it() {
    let a = TestApp::spawn().await;
    let url = a.state.config.database_url.clone();
    let b = TestApp::on_database(&url, a.backend, |_| {}).await;
    let trainer = a.sign_in_demo("giangvien").await;
    let lesson_path = format!("{COURSE}/{LESSON}");
    let text = |app: &TestApp, path: &str| {
        let loaded = app.state.content.get();
        String::from_utf8(loaded.files.iter().find(|f| f.path == path).unwrap().bytes.clone()).unwrap()
    };
    // Node A publishes a new paragraph in lesson 1; node B has not polled yet.
    let on_a = format!("{}\nĐoạn của nút A.\n", text(&a, &lesson_path));
    a.post_form(
        &format!("/editor/{COURSE}/save"),
        &format!("file={LESSON}&text={}", enc(&on_a)),
        Some(&trainer),
    )
    .await;
    publish(&a, &trainer, COURSE, "kind=minor&reason=A").await.unwrap();
    assert!(!text(&b, &lesson_path).contains("Đoạn của nút A"), "B is behind");
    // Through node B, another file changes and is published: A's paragraph stays.
    let course_md = format!("{COURSE}/course.md");
    let on_b = format!("{}\nĐoạn của nút B.\n", text(&b, &course_md));
    b.post_form(
        &format!("/editor/{COURSE}/save"),
        &format!("file=course.md&text={}", enc(&on_b)),
        Some(&trainer),
    )
    .await;
    publish(&b, &trainer, COURSE, "kind=minor&reason=B").await.unwrap();
    assert!(
        text(&b, &lesson_path).contains("Đoạn của nút A"),
        "B's publish keeps A's"
    );
    assert!(text(&b, &course_md).contains("Đoạn của nút B"));
}

#[tokio::test]
async fn a_publish_that_no_longer_loads_gives_way_to_its_folder_and_the_rest_still_loads() {
    use app::ssr::db::entities::{content_publish as cp, content_publish_file as cpf};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    // A good publish of one course, and a stored publish of another that does not load (as if a
    // later checker refused what an earlier one let through).
    let other = "b-hang-gia-che-tai";
    publish(&app, &trainer, other, "kind=minor&reason=ok").await.unwrap();
    let loaded = app.state.content.get();
    let mut files = loaded.course_files(COURSE);
    let based_on = loaded.origins.disk_hashes[COURSE].clone();
    let course_md = files
        .iter_mut()
        .find(|f| f.path == format!("{COURSE}/course.md"))
        .unwrap();
    course_md.bytes = String::from_utf8(course_md.bytes.clone())
        .unwrap()
        .replacen("pass_mark = ", "pass_mark = 1", 1)
        .into_bytes();
    let row = cp::ActiveModel {
        course_id: Set(COURSE.into()),
        kind: Set("minor".into()),
        reason: Set("broken".into()),
        published_by: Set(None),
        published_at: Set(chrono::Utc::now()),
        course_hash: Set("x".into()),
        based_on: Set(based_on),
        changes: Set("{}".into()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    for f in files {
        cpf::ActiveModel {
            publish_id: Set(row.id),
            path: Set(f.path),
            bytes: Set(f.bytes),
            ..Default::default()
        }
        .insert(&app.state.db)
        .await
        .unwrap();
    }
    let errors = app.state.content.refresh(&app.state.db).await.unwrap();
    assert_eq!(errors, 0, "the library loads");
    let loaded = app.state.content.get();
    assert_eq!(loaded.origins.refused.get(COURSE), Some(&row.id));
    assert!(
        loaded.origins.published.contains_key(other),
        "the good publish is still served"
    );
    assert!(
        loaded.library.course(COURSE).is_some(),
        "the course is served from its folder"
    );
    let ws = app
        .call("editor_course", &format!("course={COURSE}"), Some(&trainer))
        .await
        .json();
    assert_eq!(ws["refused"], row.id);
}

#[tokio::test]
async fn an_image_uploaded_in_the_editor_is_checked_shown_in_a_lesson_and_served_once_published() {
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    let learner = app.sign_in_demo("hocvien").await;
    // A 1×1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5,
        0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let (app, trainer) = (&app, trainer.clone());
        async move { multipart(app, &trainer, &format!("/editor/{COURSE}/image"), None, name, &bytes).await }
    };
    // Refused, each with its reason, nothing saved: an SVG (it can carry script), a file that
    // only calls itself a PNG, one over 2 MB.
    let svg = upload(
        "so-do.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
    )
    .await;
    assert!(
        svg.location.as_deref().unwrap_or_default().contains("image_error="),
        "{:?}",
        svg.location
    );
    let fake = upload("so-do.png", b"MZ\x90\x00 not an image".to_vec()).await;
    assert!(fake.location.as_deref().unwrap_or_default().contains("image_error="));
    let mut big = png.to_vec();
    big.resize(app::ssr::editor::MAX_IMAGE_BYTES + 10, 0);
    let too_big = upload("lon.png", big).await;
    assert!(too_big.location.as_deref().unwrap_or_default().contains("image_error=") || too_big.status == 413);
    let path = format!("/content/{COURSE}/images/so-do-quy-trinh.png");
    assert_eq!(app.get(&path, Some(&learner)).await.status, StatusCode::NOT_FOUND);

    // A PNG under an awkward name: saved under a plain one in images/, as a draft.
    let ok = upload("Sơ đồ Quy trình.PNG", png.to_vec()).await;
    assert_eq!(
        ok.location.as_deref(),
        Some(&*format!("/content/{COURSE}?image=images%2Fso-do-quy-trinh.png"))
    );
    let ws = app
        .call("editor_course", &format!("course={COURSE}"), Some(&trainer))
        .await
        .json();
    assert!(
        ws["images"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["path"] == "images/so-do-quy-trinh.png" && i["has_draft"] == true),
        "{}",
        ws["images"]
    );
    // Not served before it is published.
    assert_eq!(app.get(&path, Some(&learner)).await.status, StatusCode::NOT_FOUND);

    // A lesson shows it; the checker finds it among the course's files (a wrong name is flagged).
    let open = app
        .call("editor_file", &format!("course={COURSE}&name={LESSON}"), Some(&trainer))
        .await
        .json();
    let text = open["text"].as_str().unwrap().to_string();
    let wrong = format!("{text}\n![Sơ đồ quy trình](images/so-do-quy-trinh.jpg)\n");
    app.post_form(
        &format!("/editor/{COURSE}/save"),
        &format!("file={LESSON}&text={}", enc(&wrong)),
        Some(&trainer),
    )
    .await;
    let diags = app
        .call("editor_file", &format!("course={COURSE}&name={LESSON}"), Some(&trainer))
        .await
        .json();
    assert!(
        diags["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["error"] == true && d["text"].as_str().unwrap().contains("so-do-quy-trinh.png")),
        "the checker suggests the uploaded name: {}",
        diags["diagnostics"]
    );
    let right = format!("{text}\n![Sơ đồ quy trình](images/so-do-quy-trinh.png)\n");
    app.post_form(
        &format!("/editor/{COURSE}/save"),
        &format!("file={LESSON}&text={}", enc(&right)),
        Some(&trainer),
    )
    .await;
    let id = publish(
        &app,
        &trainer,
        COURSE,
        "kind=minor&reason=Th%C3%AAm+s%C6%A1+%C4%91%E1%BB%93",
    )
    .await;
    assert!(id.is_ok(), "{id:?}");

    // Published: the learner's lesson shows it and the server serves the bytes as a PNG.
    let lesson = app.get(&format!("/courses/{COURSE}/lessons/1"), Some(&learner)).await;
    assert!(
        lesson.body.contains("images/so-do-quy-trinh.png"),
        "the lesson shows the image"
    );
    let served = app.get(&path, Some(&learner)).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.bytes, png);
}

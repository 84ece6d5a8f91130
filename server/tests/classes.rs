//! In-person classes through the real router: a manager creates a class and invites their team;
//! the official sees it, checks in with the projector's code (an expired code, a wrong one and a
//! second check-in are refused in words; someone not invited becomes a walk-in for the trainer to
//! confirm); the trainer's score completes the course through the one completion writer, with a
//! certificate; a manager of another team cannot see or run the class.

mod common;

use app::ssr::db::entities::{account, certificate, class_attendance, class_enrolment, completion, person};
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn person_of(app: &TestApp, username: &str) -> i64 {
    account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap()
}

/// A session token for the account of official `person_id`.
async fn token_of_person(app: &TestApp, person_id: i64) -> String {
    let a = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the official has an account");
    app::ssr::auth::issue_token(&app.state.config.jwt_secret, a.id, a.token_version, 1)
}

/// A course the official has never completed (the demo's history completes some).
async fn untaken_course(app: &TestApp, person_id: i64) -> String {
    let done: Vec<String> = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.course_id)
        .collect();
    let loaded = app.state.content.get();
    loaded
        .library
        .courses
        .iter()
        .map(|c| c.id.to_string())
        .find(|c| !done.contains(c))
        .expect("a course not yet completed")
}

/// The class form for `course` at `agency_id`, one session today.
fn class_form(course: &str, agency_id: i64, rule: &str) -> String {
    let today = app::ssr::clock::today().format("%Y-%m-%d").to_string();
    let mut f = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("title", "Lớp tập huấn pháp luật TMĐT — Đội số 1"),
        ("course_id", course),
        ("agency_id", &agency_id.to_string()),
        ("capacity", "200"),
        ("rule", rule),
        ("min_attendance_percent", "100"),
        ("pass_percent", "70"),
        ("s1_date", &today),
        ("s1_start", "08:00"),
        ("s1_end", "11:30"),
        ("s1_place", "Hội trường Chi cục QLTT"),
    ] {
        f.append_pair(k, v);
    }
    f.finish()
}

/// Creates a class through the form; returns its id.
async fn create(app: &TestApp, token: &str, form: &str) -> i64 {
    let r = app.post_form("/classes/save", form, Some(token)).await;
    let loc = r.location.clone().unwrap_or_default();
    assert!(
        loc.starts_with("/classes/") && loc.contains("created=1"),
        "{:?} {}",
        r.status,
        r.body
    );
    loc.trim_start_matches("/classes/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn session_of(app: &TestApp, token: &str, class_id: i64) -> i64 {
    let r = app.call("class_page", &format!("id={class_id}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["detail"]["summary"]["sessions"][0]["id"].as_i64().unwrap()
}

/// The class page's sign-in sheet form, as the browser posts it.
async fn upload_sheet(app: &TestApp, token: &str, class_id: i64, csv: &str) -> common::Resp {
    use axum::body::Body;
    use axum::http::{Request, header};
    let boundary = "----taphuan-sheet";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"diem-danh.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let req = Request::post(format!("/classes/{class_id}/sheet"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, format!("{}={token}", app::ssr::auth::COOKIE))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn enrolment_status(app: &TestApp, class_id: i64, person_id: i64) -> Option<String> {
    class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(class_id))
        .filter(class_enrolment::Column::PersonId.eq(person_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .map(|e| e.status)
}

async fn class_completions(app: &TestApp, person_id: i64, class_id: i64) -> Vec<completion::Model> {
    completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .filter(completion::Column::ClassId.eq(class_id))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_official_checks_in_by_qr_and_the_trainers_score_completes_the_course() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let trainer = app.sign_in_demo("giangvien").await;
    let learner = app.sign_in_demo("hocvien").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    let me = person_of(&app, "hocvien").await;
    let course = untaken_course(&app, me).await;

    // A learner cannot create a class.
    let r = app
        .post_form(
            "/classes/save",
            &class_form(&course, team1, "attendance_class_exam"),
            Some(&learner),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let class_id = create(&app, &manager, &class_form(&course, team1, "attendance_class_exam")).await;
    assert_eq!(enrolment_status(&app, class_id, me).await.as_deref(), Some("enrolled"));

    // The official sees it among their classes.
    let mine = app.call("classes_page", "", Some(&learner)).await.json();
    assert_eq!(mine["mine"][0]["summary"]["id"], class_id);
    assert_eq!(mine["mine"][0]["status"], "enrolled");
    assert_eq!(mine["may_create"], false);

    // The trainer projects the session's code.
    let session = session_of(&app, &trainer, class_id).await;
    let qr = app
        .call("class_qr", &format!("session_id={session}"), Some(&trainer))
        .await;
    assert_eq!(qr.status, StatusCode::OK, "{}", qr.body);
    let qr = qr.json();
    let code = qr["code"].as_str().unwrap().to_string();
    let url = qr["url"].as_str().unwrap();
    assert!(url.ends_with(&format!("/checkin/{session}?c={code}")), "{url}");
    assert!(qr["svg"].as_str().unwrap().starts_with("<svg"));
    // An official cannot project it.
    let r = app
        .call("class_qr", &format!("session_id={session}"), Some(&learner))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // An expired code (three windows old) and a wrong one are refused, and record nothing.
    let window = app::domain::class::window_of(app::ssr::clock::now().timestamp());
    let old = app::ssr::classes::code_at(&app.state, session, window - 3);
    let r = app
        .post_form(&format!("/checkin/{session}"), &format!("c={old}"), Some(&learner))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/checkin/{session}?error=expired"))
    );
    let page = app
        .get(&format!("/checkin/{session}?error=expired"), Some(&learner))
        .await;
    assert!(page.body.contains("Mã QR này đã hết hạn"), "{}", page.body);
    let r = app
        .post_form(&format!("/checkin/{session}"), "c=12345678", Some(&learner))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/checkin/{session}?error=wrong_code"))
    );
    let attendance = |p: i64| {
        class_attendance::Entity::find()
            .filter(class_attendance::Column::SessionId.eq(session))
            .filter(class_attendance::Column::PersonId.eq(p))
            .all(&app.state.db)
    };
    assert!(attendance(me).await.unwrap().is_empty());

    // The current code checks them in, once; the second time is refused in words.
    let r = app
        .post_form(&format!("/checkin/{session}"), &format!("c={code}"), Some(&learner))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/checkin/{session}?done=recorded"))
    );
    let marks = attendance(me).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].method, "qr");
    let r = app
        .post_form(&format!("/checkin/{session}"), &format!("c={code}"), Some(&learner))
        .await;
    assert_eq!(r.location.as_deref(), Some(&*format!("/checkin/{session}?error=twice")));
    let page = app
        .get(&format!("/checkin/{session}?error=twice"), Some(&learner))
        .await;
    assert!(
        page.body.contains("Bạn đã điểm danh buổi học này rồi."),
        "{}",
        page.body
    );
    assert_eq!(attendance(me).await.unwrap().len(), 1);

    // Present but no score yet: not complete.
    assert!(class_completions(&app, me, class_id).await.is_empty());
    // A score below the pass mark completes nothing; one at the mark does, once.
    let r = app
        .post_form(
            &format!("/classes/{class_id}/scores"),
            &format!("score_{me}=60"),
            Some(&trainer),
        )
        .await;
    assert!(
        r.location.as_deref().unwrap_or_default().contains("scored=1"),
        "{:?}",
        r.location
    );
    assert!(class_completions(&app, me, class_id).await.is_empty());
    let r = app
        .post_form(&format!("/classes/{class_id}/scores"), "score_0=abc", Some(&trainer))
        .await;
    assert!(r.location.as_deref().unwrap_or_default().contains("error=bad_score"));
    let r = app
        .post_form(
            &format!("/classes/{class_id}/scores"),
            &format!("score_{me}=85"),
            Some(&trainer),
        )
        .await;
    assert!(r.location.as_deref().unwrap_or_default().contains("scored=1"));
    let done = class_completions(&app, me, class_id).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].source, "class");
    assert_eq!(done[0].score_percent, Some(85));
    assert_eq!(done[0].course_id, course);
    let cert = certificate::Entity::find()
        .filter(certificate::Column::CompletionId.eq(done[0].id))
        .one(&app.state.db)
        .await
        .unwrap();
    let cert = cert.expect("a class completion has its certificate");
    // The certificate says it was earned in the class.
    let page = app.get(&format!("/certificates/{}", cert.number), Some(&learner)).await;
    assert!(
        page.body
            .contains("Hình thức: lớp tập huấn trực tiếp: Lớp tập huấn pháp luật TMĐT — Đội số 1"),
        "{}",
        page.body
    );
    // Saving the same score again does not complete twice.
    app.post_form(
        &format!("/classes/{class_id}/scores"),
        &format!("score_{me}=90"),
        Some(&trainer),
    )
    .await;
    assert_eq!(class_completions(&app, me, class_id).await.len(), 1);
    let page = app
        .call("class_page", &format!("id={class_id}"), Some(&manager))
        .await
        .json();
    let row = page["detail"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == me)
        .unwrap()
        .clone();
    assert_eq!(row["completed"], true);
    assert_eq!(row["attended"][0], "qr");
    // The manager's report lists the class, with who came and who completed.
    let report = app.call("coverage", "as_of=", Some(&manager)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let held = report.json()["classes"].clone();
    let held = held
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Lớp tập huấn pháp luật TMĐT — Đội số 1")
        .unwrap_or_else(|| panic!("{held}"))
        .clone();
    assert_eq!(
        (held["attended"].as_u64(), held["completed"].as_u64()),
        (Some(1), Some(1))
    );
    // The list downloads as XLSX and CSV; the CSV says who came and what they scored.
    let xlsx = app
        .get(&format!("/classes/{class_id}/export/danh-sach.xlsx"), Some(&manager))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX is a zip");
    let csv = app
        .get(&format!("/classes/{class_id}/export/danh-sach.csv"), Some(&manager))
        .await;
    let me_code = person::Entity::find_by_id(me)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let line = csv
        .body
        .lines()
        .find(|l| l.contains(&me_code))
        .unwrap_or_else(|| panic!("{}", csv.body));
    assert!(line.contains(";x;90;Hoàn thành"), "{line}");
    let r = app
        .get(&format!("/classes/{class_id}/export/danh-sach.csv"), Some(&learner))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The printed list carries the team's letterhead (or dots) and the participants.
    let print = app.get(&format!("/classes/{class_id}/print"), Some(&manager)).await;
    assert!(print.body.contains("DANH SÁCH HỌC VIÊN"), "{}", print.body);
    assert!(print.body.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(print.body.contains(&me_code));

    // Someone of another unit, not invited, becomes a walk-in; the trainer confirms them.
    let police = app.agency_id("GL-CA-PC03").await;
    let stranger = person::Entity::find()
        .filter(person::Column::AgencyId.eq(police))
        .filter(person::Column::Active.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let stranger_token = token_of_person(&app, stranger).await;
    let r = app
        .post_form(
            &format!("/checkin/{session}"),
            &format!("c={code}"),
            Some(&stranger_token),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/checkin/{session}?done=walk_in"))
    );
    assert_eq!(
        enrolment_status(&app, class_id, stranger).await.as_deref(),
        Some("walk_in")
    );
    let r = app
        .post_form(
            &format!("/classes/{class_id}/people/{stranger}/confirm"),
            "",
            Some(&trainer),
        )
        .await;
    assert!(r.location.as_deref().unwrap_or_default().contains("confirmed=1"));
    assert_eq!(
        enrolment_status(&app, class_id, stranger).await.as_deref(),
        Some("enrolled")
    );
    // Their in-class score arrives on the filled-in list (the downloaded one, read back): the
    // score column counts, and the course is completed for them.
    let code = person::Entity::find_by_id(stranger)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let sheet =
        format!("DANH SÁCH HỌC VIÊN\r\n\r\nSTT;Mã cán bộ;Họ và tên;Buổi 1;Điểm (%);Kết quả\r\n1;{code};X;x;75;\r\n");
    let r = upload_sheet(&app, &trainer, class_id, &sheet).await;
    assert!(
        r.location.as_deref().unwrap_or_default().contains("marked=0"),
        "{:?}",
        r.location
    );
    assert_eq!(class_completions(&app, stranger, class_id).await.len(), 1);
}

#[tokio::test]
async fn a_class_belongs_to_its_units_managers_and_attendance_alone_can_complete() {
    let app = TestApp::spawn().await;
    let chi_cuc = app.sign_in_demo("quanly").await;
    let team1_manager = app.sign_in_demo("quanly.doi1").await;
    let team3 = app.agency_id("GL-QLTT-D03").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;

    // The team 1 manager cannot create a class for team 3.
    let r = app
        .post_form(
            "/classes/save",
            &class_form("a-khung-phap-ly", team3, "attendance"),
            Some(&team1_manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A bad form comes back with every field as typed.
    let bad = class_form("a-khung-phap-ly", team3, "attendance").replace("capacity=200", "capacity=0");
    let r = app.post_form("/classes/save", &bad, Some(&chi_cuc)).await;
    let loc = r.location.unwrap_or_default();
    assert!(
        loc.starts_with("/classes/new?check=1") && loc.contains("capacity=0"),
        "{loc}"
    );
    let page = app.get(&loc, Some(&chi_cuc)).await;
    assert!(page.body.contains("Sĩ số là một số từ 1 đến 2000."), "{}", page.body);

    // Two of team 3, first by name and without course A, have no enforcement duty: no program
    // requires A of them, so they come after those it is required of.
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
        let held: Vec<i64> = completion::Entity::find()
            .filter(completion::Column::CourseId.eq("a-khung-phap-ly"))
            .all(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.person_id)
            .collect();
        let mut team: Vec<person::Model> = person::Entity::find()
            .filter(person::Column::AgencyId.eq(team3))
            .filter(person::Column::Active.eq(true))
            .all(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| !held.contains(&p.id))
            .collect();
        team.sort_by_cached_key(|p| app::domain::class::name_key(&p.full_name));
        assert!(team.len() > 3, "team 3 has officials without course A");
        for p in team.into_iter().take(2) {
            let mut m = p.into_active_model();
            m.enforcement = Set(false);
            m.update(&app.state.db).await.unwrap();
        }
    }
    // The Chi cục manager creates one for team 3 with a capacity of 2: the rest wait.
    let form = class_form("a-khung-phap-ly", team3, "attendance").replace("capacity=200", "capacity=2");
    let class_id = create(&app, &chi_cuc, &form).await;
    let r = app
        .call("class_page", &format!("id={class_id}"), Some(&team1_manager))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(&format!("/classes/{class_id}/enrol"), "code=X", Some(&team1_manager))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let listed = app.call("classes_page", "", Some(&team1_manager)).await.json();
    assert!(listed["run"].as_array().unwrap().iter().all(|c| c["id"] != class_id));

    let page = app
        .call("class_page", &format!("id={class_id}"), Some(&chi_cuc))
        .await
        .json();
    let people = page["detail"]["people"].as_array().unwrap().clone();
    let enrolled: Vec<i64> = people
        .iter()
        .filter(|p| p["status"] == "enrolled")
        .map(|p| p["person_id"].as_i64().unwrap())
        .collect();
    assert_eq!(enrolled.len(), 2);
    assert!(people.iter().any(|p| p["status"] == "waiting"));
    // Course A is required of enforcement officials (DA319-THUCTHI): they get the places first.
    for pid in &enrolled {
        let p = person::Entity::find_by_id(*pid)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            p.enforcement,
            "{} has a place before an official the program requires",
            p.full_name
        );
    }

    // The checklist marks one present: attendance alone completes the course for them.
    let session = page["detail"]["summary"]["sessions"][0]["id"].as_i64().unwrap();
    let r = app
        .post_form(
            &format!("/classes/{class_id}/sessions/{session}/attendance"),
            &format!("present={}&present=999999", enrolled[0]),
            Some(&chi_cuc),
        )
        .await;
    assert!(
        r.location.as_deref().unwrap_or_default().contains("marked=1"),
        "{:?}",
        r.location
    );
    assert_eq!(class_completions(&app, enrolled[0], class_id).await.len(), 1);
    assert!(class_completions(&app, enrolled[1], class_id).await.is_empty());

    // Cancelling the other's place gives it to the first on the waiting list.
    let first_waiting = people.iter().find(|p| p["status"] == "waiting").unwrap()["person_id"]
        .as_i64()
        .unwrap();
    app.post_form(
        &format!("/classes/{class_id}/people/{}/cancel", enrolled[1]),
        "",
        Some(&chi_cuc),
    )
    .await;
    assert_eq!(
        enrolment_status(&app, class_id, enrolled[1]).await.as_deref(),
        Some("cancelled")
    );
    let waiting_now = enrolment_status(&app, class_id, first_waiting).await;
    let promoted: Vec<_> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(class_id))
        .filter(class_enrolment::Column::Status.eq("enrolled"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        promoted.len(),
        2,
        "a waiting official took the freed place ({waiting_now:?})"
    );

    // A sign-in sheet with an unknown code is refused at its line and column; nothing is applied,
    // not even the good line.
    let code_of = |pid: i64| {
        let app = &app;
        async move {
            person::Entity::find_by_id(pid)
                .one(&app.state.db)
                .await
                .unwrap()
                .unwrap()
                .code
        }
    };
    let second = promoted
        .iter()
        .map(|e| e.person_id)
        .find(|p| *p != enrolled[0])
        .unwrap();
    let good = code_of(second).await;
    let sheet = format!("STT,Mã cán bộ,Họ và tên,Buổi 1\r\n1,{good},A,x\r\n2,GL-KHONG-CO,B,x\r\n");
    let r = upload_sheet(&app, &chi_cuc, class_id, &sheet).await;
    let loc = r.location.clone().unwrap_or_default();
    assert!(loc.contains("error=sheet"), "{loc} {}", r.body);
    let page = app.get(&loc, Some(&chi_cuc)).await;
    assert!(
        page.body
            .contains("dòng 3, cột 2 (Mã cán bộ): không có cán bộ mã &quot;GL-KHONG-CO&quot;")
            || page
                .body
                .contains("dòng 3, cột 2 (Mã cán bộ): không có cán bộ mã \"GL-KHONG-CO\""),
        "{}",
        page.body
    );
    assert!(class_completions(&app, second, class_id).await.is_empty());
    // The corrected sheet records the presence, and attendance alone completes the course.
    let sheet = format!("STT,Mã cán bộ,Họ và tên,Buổi 1\r\n1,{good},A,x\r\n");
    let r = upload_sheet(&app, &chi_cuc, class_id, &sheet).await;
    assert!(
        r.location.as_deref().unwrap_or_default().contains("marked=1"),
        "{:?}",
        r.location
    );
    assert_eq!(class_completions(&app, second, class_id).await.len(), 1);

    // A team 1 official added by code from the Chi cục's scope.
    let team1_person = person::Entity::find()
        .filter(person::Column::AgencyId.eq(team1))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = app
        .post_form(
            &format!("/classes/{class_id}/enrol"),
            &format!("code={}", team1_person.code),
            Some(&chi_cuc),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/classes/{class_id}?added=waiting"))
    );
    let r = app
        .post_form(&format!("/classes/{class_id}/enrol"), "code=KHONG-CO", Some(&chi_cuc))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/classes/{class_id}?error=unknown_code"))
    );

    // Cancelling the whole class needs the confirmation; then no one can check in any more, and
    // what was completed stays.
    let r = app
        .post_form(&format!("/classes/{class_id}/cancel"), "", Some(&chi_cuc))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/classes/{class_id}?error=confirm_cancel"))
    );
    let r = app
        .post_form(&format!("/classes/{class_id}/cancel"), "confirm=1", Some(&chi_cuc))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/classes/{class_id}?class_cancelled=1"))
    );
    let window = app::domain::class::window_of(app::ssr::clock::now().timestamp());
    let code = app::ssr::classes::code_at(&app.state, session, window);
    let token = token_of_person(&app, first_waiting).await;
    let r = app
        .post_form(&format!("/checkin/{session}"), &format!("c={code}"), Some(&token))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/checkin/{session}?error=cancelled"))
    );
    assert_eq!(class_completions(&app, enrolled[0], class_id).await.len(), 1);
    let page = app
        .call("class_page", &format!("id={class_id}"), Some(&chi_cuc))
        .await
        .json();
    assert_eq!(page["detail"]["summary"]["cancelled"], true);
}

#[tokio::test]
async fn an_official_asks_for_a_place_in_an_upcoming_class_of_their_unit() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let learner = app.sign_in_demo("hocvien").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    let me = person_of(&app, "hocvien").await;
    let course = untaken_course(&app, me).await;
    let tomorrow = (app::ssr::clock::today() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let today = app::ssr::clock::today().format("%Y-%m-%d").to_string();
    let form = class_form(&course, team1, "attendance").replace(&today, &tomorrow);
    let class_id = create(&app, &manager, &form).await;
    // Invited with the team; not open to them while they are in it.
    let page = app.call("classes_page", "", Some(&learner)).await.json();
    assert!(page["open"].as_array().unwrap().is_empty(), "{page}");
    // The manager cancels their place; the class is now open to them, and they ask again.
    app.post_form(&format!("/classes/{class_id}/people/{me}/cancel"), "", Some(&manager))
        .await;
    let page = app.call("classes_page", "", Some(&learner)).await.json();
    assert_eq!(page["open"][0]["id"], class_id, "{page}");
    let r = app
        .post_form(&format!("/classes/{class_id}/join"), "", Some(&learner))
        .await;
    assert_eq!(r.location.as_deref(), Some("/classes?joined=enrolled"));
    assert_eq!(enrolment_status(&app, class_id, me).await.as_deref(), Some("enrolled"));
    // An official of another unit cannot.
    let police = app.agency_id("GL-CA-PC03").await;
    let stranger = person::Entity::find()
        .filter(person::Column::AgencyId.eq(police))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let token = token_of_person(&app, stranger).await;
    let r = app
        .post_form(&format!("/classes/{class_id}/join"), "", Some(&token))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(enrolment_status(&app, class_id, stranger).await, None);
}

#[tokio::test]
async fn guessing_check_in_codes_is_slowed_down() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let learner = app.sign_in_demo("hocvien").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    let me = person_of(&app, "hocvien").await;
    let course = untaken_course(&app, me).await;
    let class_id = create(&app, &manager, &class_form(&course, team1, "attendance")).await;
    let session = session_of(&app, &manager, class_id).await;
    let checkin = |c: String| {
        let app = &app;
        let learner = learner.clone();
        async move {
            app.post_form(&format!("/checkin/{session}"), &format!("c={c}"), Some(&learner))
                .await
                .location
                .unwrap_or_default()
        }
    };
    // Five wrong guesses are each told "wrong"; the sixth starts a wait.
    for i in 0..5 {
        assert!(checkin(format!("1234567{i}")).await.ends_with("error=wrong_code"));
    }
    assert!(checkin("12345679".into()).await.ends_with("error=wrong_code"));
    // While it lasts, even the right code is not looked at, and nothing is recorded.
    let window = app::domain::class::window_of(app::ssr::clock::now().timestamp());
    let code = app::ssr::classes::code_at(&app.state, session, window);
    assert!(checkin(code).await.ends_with("error=too_many"));
    let marks = class_attendance::Entity::find()
        .filter(class_attendance::Column::SessionId.eq(session))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(marks.is_empty());
    let page = app
        .get(&format!("/checkin/{session}?error=too_many"), Some(&learner))
        .await;
    assert!(page.body.contains("Bạn đã nhập sai mã nhiều lần."), "{}", page.body);
}

//! The exam through the real router: attempts are limited under concurrency, a submission
//! counts once however often it is sent, answer keys never leave the server before a
//! submission, and a passed exam yields a certificate that `taphuan verify` accepts offline.
//! Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

mod common;

use app::ssr::db::entities::{attempt, certificate, completion, course_credit};
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::path::{Path, PathBuf};

const COURSE: &str = "k-hang-gia";

/// Strings planted in the answer key and feedback of the test exam. None may reach a browser
/// before the attempt is submitted.
const CANARIES: &[&str] = &[
    "CANARY-SHORT-7f3a9",
    "CANARY-FB-RIGHT",
    "CANARY-GENERAL",
    "CANARY-FB-MC",
    "CANARY-FB-WRONG",
    "CANARY-TF-WRONG",
    "CANARY-TF-RIGHT",
    "987654321",
];

const EXAM: &str = r#"+++
title = "Bài kiểm tra có chim hoàng yến"
draw = 4
pass_mark = 75
max_attempts = 3
cooldown_minutes = 0
time_limit_minutes = 20
shuffle_questions = true
shuffle_answers = true
review = "after_submit"
+++
Mỗi lượt rút 4 câu.

```gift
// lesson: 01-tong-quan.md#san-la-gi
::canary-short:: Mã bí mật của bài kiểm tra là gì? {=CANARY-SHORT-7f3a9 #CANARY-FB-RIGHT ####CANARY-GENERAL}

// lesson: 01-tong-quan.md#san-la-gi
::canary-mc:: Website nào phải đăng ký với Bộ Công Thương? {
  =Sàn giao dịch thương mại điện tử #CANARY-FB-MC
  ~Website bán hàng của chính doanh nghiệp #CANARY-FB-WRONG
}

// lesson: 02-nghia-vu.md#go-hang
::canary-num:: Nhập con số bí mật. {#987654321}

// lesson: 02-nghia-vu.md
::canary-tf:: Sàn phải gỡ hàng vi phạm. {T#CANARY-TF-WRONG#CANARY-TF-RIGHT}
```
"#;

/// A copy of the valid test course with the canary exam, in a fresh folder.
/// A program requiring the canary course of every official of the tree, counted by `metric`.
async fn course_program(app: &TestApp, code: &str, metric: &str) -> i64 {
    use app::ssr::db::entities::{agency, program};
    use sea_orm::{ActiveModelTrait, Set};
    let root = agency::Entity::find()
        .filter(agency::Column::ParentId.is_null())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    program::ActiveModel {
        code: Set(code.into()),
        name: Set(code.into()),
        description: Set(String::new()),
        root_agency_id: Set(root.id),
        positions: Set("[]".into()),
        enforcement_only: Set(false),
        course_ids: Set(serde_json::to_string(&[COURSE]).unwrap()),
        course_rule: Set("all".into()),
        threshold_percent: Set(100),
        // Soon: a certificate expiring before the deadline would not count.
        deadline: Set(chrono::Utc::now().date_naive() + chrono::Duration::days(30)),
        metric: Set(metric.into()),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

fn canary_content() -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/content-fixtures/valid");
    let dir = std::env::temp_dir().join(format!(
        "taphuan-canary-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    common::copy_dir(&src, &dir);
    std::fs::write(dir.join(COURSE).join("exam.md"), EXAM).unwrap();
    dir
}

async fn person_id(app: &TestApp) -> i64 {
    use app::ssr::db::entities::account;
    account::Entity::find()
        .filter(account::Column::Username.eq("hocvien"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap()
}

/// Signs in as the demo learner and reads every lesson of the test course.
async fn ready_learner(app: &TestApp) -> String {
    let token = app.sign_in_demo("hocvien").await;
    for n in 1..=2 {
        let r = app
            .post_form(&format!("/courses/{COURSE}/lessons/{n}/read"), "", Some(&token))
            .await;
        assert_eq!(r.status, 303, "marking lesson {n} read: {}", r.body);
    }
    token
}

/// A learner ready for the exam who has started it: their token, person id and open attempt.
async fn exam_started(app: &TestApp) -> (String, i64, serde_json::Value) {
    let token = ready_learner(app).await;
    let pid = person_id(app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(app, &token).await;
    (token, pid, open)
}

/// The open attempt as the exam page's server function returns it.
async fn open_attempt(app: &TestApp, token: &str) -> serde_json::Value {
    let r = app.call("exam_page", &format!("course={COURSE}"), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["open"].clone()
}

/// Right answers for the drawn questions, as form fields.
fn right_answers(open: &serde_json::Value) -> String {
    let mut form = format!("attempt={}&seq={}", open["id"], open["seq"]);
    for q in open["questions"].as_array().unwrap() {
        let pos = q["position"].as_u64().unwrap();
        let field = match q["name"].as_str().unwrap() {
            "canary-short" => "CANARY-SHORT-7f3a9".to_string(),
            "canary-num" => "987654321".to_string(),
            "canary-tf" => "true".to_string(),
            "canary-mc" => choice_id(q, "Sàn giao dịch thương mại điện tử"),
            other => panic!("unexpected question {other}"),
        };
        form.push_str(&format!("&q{pos}={}", field));
    }
    form
}

/// The opaque id the page sends for the choice of question `q` that reads `text`.
fn choice_id(q: &serde_json::Value, text: &str) -> String {
    q["question"]["kind"]["choices"]
        .as_array()
        .expect("a choice question")
        .iter()
        .find(|c| c["text"] == text)
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("no choice {text:?} in {q}"))
        .to_string()
}

/// The ids sent for the canary choice question, in the order shown.
fn mc_ids(open: &serde_json::Value) -> Vec<String> {
    let q = open["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "canary-mc")
        .expect("the choice question is drawn (the pool is the draw)");
    q["question"]["kind"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

async fn attempts_count(app: &TestApp, pid: i64) -> u64 {
    attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(pid))
        .filter(attempt::Column::CourseId.eq(COURSE))
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_starts_never_exceed_an_attempt_limit_of_three() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let pid = person_id(&app).await;

    // Twenty starts at once with nothing open: one attempt, resumed by the other nineteen.
    let starts = in_parallel(20, &app, |app| {
        let token = token.clone();
        async move {
            app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
                .await
        }
    });
    for r in starts.await {
        assert_eq!(r.status, 303, "{}", r.body);
    }
    assert_eq!(attempts_count(&app, pid).await, 1, "a double start opened two attempts");

    // Twenty learners' tabs each start and submit (wrongly) five times, all at once.
    in_parallel(20, &app, |app| {
        let token = token.clone();
        async move {
            for _ in 0..5 {
                app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
                    .await;
                let r = app.call("exam_page", &format!("course={COURSE}"), Some(&token)).await;
                let open = r.json()["open"].clone();
                if open.is_null() {
                    continue;
                }
                // Blank answers, submitted as they are.
                let form = format!("attempt={}&seq={}&confirm=1", open["id"], open["seq"]);
                app.post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
                    .await;
            }
        }
    })
    .await;
    assert_eq!(
        attempts_count(&app, pid).await,
        3,
        "the limit of 3 attempts was not held"
    );

    // A further start is refused and the page says why.
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/courses/{COURSE}/exam?refused=1"))
    );
    let page = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert_eq!(page["refusal"], "NoAttemptsLeft");
    assert_eq!(attempts_count(&app, pid).await, 3);
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_submission_sent_fifty_times_makes_one_result_and_one_certificate() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let (token, pid, open) = exam_started(&app).await;
    let form = right_answers(&open);
    let results = in_parallel(50, &app, |app| {
        let (token, form) = (token.clone(), form.clone());
        async move {
            app.post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
                .await
        }
    })
    .await;
    let expected = format!("/courses/{COURSE}/exam/attempts/{}", open["id"]);
    for r in &results {
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected.as_str()));
    }
    let a = attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(pid))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].score_percent, a[0].passed), (Some(100), Some(true)));
    let completions = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(pid))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(completions.len(), 1, "one submission, one completion");
    assert_eq!(completions[0].attempt_id, Some(a[0].id));
    let certs = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(pid))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(certs, 1);
    // The coverage credit moved in the same transaction as the completion.
    let credits = course_credit::Entity::find()
        .filter(course_credit::Column::PersonId.eq(pid))
        .filter(course_credit::Column::CourseId.eq(COURSE))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(credits.len(), 1, "the pass counts for coverage at once");
    assert_eq!(credits[0].first_completed_at, completions[0].completed_at);
    // Passed and certified: no further attempt opens.
    let page = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert_eq!(page["refusal"], "AlreadyCompleted");
    std::fs::remove_dir_all(content).ok();
}

/// A failing submission writes its result in one statement, without a transaction: twenty
/// different wrong answer sheets raced for one attempt still store exactly one of them, whole,
/// and every sender is sent to that one result.
#[tokio::test]
async fn twenty_different_failing_submissions_raced_store_one_whole_sheet() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let (token, pid, open) = exam_started(&app).await;
    let pos = |name: &str| {
        open["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"] == name)
            .unwrap()["position"]
            .as_u64()
            .unwrap()
    };
    let (short, num) = (pos("canary-short"), pos("canary-num"));
    let sheet = |i: usize| {
        format!(
            "attempt={}&seq={i}&confirm=1&q{short}=sai-{i}-x&q{num}={}",
            open["id"],
            1000 + i
        )
    };
    let log = common::LogCapture::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let senders: Vec<_> = (1..=20)
        .map(|i| {
            let (app, token, form) = (app.clone(), token.clone(), sheet(i));
            tokio::spawn(async move {
                app.post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
                    .await
            })
        })
        .collect();
    let expected = format!("/courses/{COURSE}/exam/attempts/{}", open["id"]);
    for s in senders {
        let r = s.await.expect("sender");
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected.as_str()));
    }
    let a = attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(pid))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].passed, Some(false));
    // One sender's sheet, whole: its short answer, its number and its sequence number agree.
    let seq = a[0].submit_seq.expect("submitted") as usize;
    let responses = a[0].responses.clone().unwrap();
    assert!(responses.contains(&format!("sai-{seq}-x")), "{responses}");
    assert!(responses.contains(&format!("{}", 1000 + seq)), "{responses}");
    assert_eq!(
        log.text().matches("exam attempt submitted").count(),
        1,
        "one sheet written, the others handed the stored result"
    );
    // A sheet sent after it changes nothing: the result stored is the first.
    let late = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &sheet(99), Some(&token))
        .await;
    assert_eq!(late.location.as_deref(), Some(expected.as_str()));
    let again = attempt::Entity::find_by_id(a[0].id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.submit_seq, again.responses), (a[0].submit_seq, Some(responses)));
    let completions = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(pid))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(completions, 0, "a fail completes nothing");
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn no_answer_key_or_feedback_leaves_the_server_before_submission() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    assert_eq!(r.status, 303);
    let open = open_attempt(&app, &token).await;
    assert_eq!(
        open["questions"].as_array().unwrap().len(),
        4,
        "the attempt draws 4 questions"
    );

    let mut seen = Vec::new();
    for path in [
        format!("/courses/{COURSE}/exam"),
        format!("/courses/{COURSE}"),
        format!("/courses/{COURSE}/lessons/1"),
        format!("/courses/{COURSE}/lessons/2"),
        "/learn".to_string(),
    ] {
        let r = app.get(&path, Some(&token)).await;
        assert_eq!(r.status, 200, "{path}");
        seen.push((path, r.body));
    }
    for (endpoint, args) in [
        ("exam_page", format!("course={COURSE}")),
        ("course_detail", format!("course={COURSE}")),
        ("lesson_page", format!("course={COURSE}&number=1&query=")),
        ("my_courses", String::new()),
        ("courses", String::new()),
    ] {
        let r = app.call(endpoint, &args, Some(&token)).await;
        assert_eq!(r.status, 200, "{endpoint}: {}", r.body);
        seen.push((endpoint.to_string(), r.body));
    }
    // The exam page really shows the attempt (so the check below is not vacuous)…
    assert!(seen[0].1.contains("Mã bí mật của bài kiểm tra là gì?"));
    assert!(seen[0].1.contains("Sàn giao dịch thương mại điện tử"));
    // …and nothing anywhere carries a key, a feedback or a numeric answer.
    for (what, body) in &seen {
        for canary in CANARIES {
            assert!(!body.contains(canary), "{what} leaks {canary}");
        }
    }

    // After submitting, the review shows the feedback: the canaries were live all along.
    let form = right_answers(&open);
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
        .await;
    let result = app.get(r.location.as_deref().unwrap(), Some(&token)).await;
    assert!(result.body.contains("CANARY-FB-RIGHT") && result.body.contains("CANARY-GENERAL"));
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_submission_after_the_time_limit_is_closed_at_the_deadline_with_no_answers() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let id = open["id"].as_i64().unwrap();
    // Time ran out ten minutes ago.
    let a = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let deadline = chrono::Utc::now() - chrono::Duration::minutes(10);
    let mut am = a.into_active_model();
    am.deadline = Set(Some(deadline));
    am.update(&app.state.db).await.unwrap();
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&open),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 303);
    let a = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((a.score_percent, a.passed, a.late), (Some(0), Some(false), true));
    assert_eq!(
        a.submitted_at.map(|t| t.timestamp()),
        Some(deadline.timestamp()),
        "graded as submitted at the deadline"
    );
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_certificate_verifies_online_and_offline_and_an_altered_token_is_rejected() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&open),
            Some(&token),
        )
        .await;
    let args = format!("course={COURSE}&attempt={}", open["id"]);
    let result = app.call("attempt_result", &args, Some(&token)).await.json();
    assert_eq!(result["passed"], true, "{result}");
    let number = result["certificate"].as_str().expect("a certificate").to_string();
    assert!(r.location.is_some());

    // The certificate page shows a QR code; its token is what the QR carries.
    let cert = app
        .call("certificate_page", &format!("number={number}"), Some(&token))
        .await;
    assert_eq!(cert.status, 200, "{}", cert.body);
    let cert = cert.json();
    assert!(cert["qr_svg"].as_str().unwrap().contains("<svg"));
    let jwt = cert["token"].as_str().unwrap().to_string();
    assert!(
        cert["verify_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/verify/{number}?t={jwt}"))
    );

    // Anyone, signed out, can check the number.
    let page = app.get(&format!("/verify/{number}?t={jwt}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Còn hiệu lực") && page.body.contains("Chữ ký số trên mã QR hợp lệ."));
    let unknown = app.get("/verify/GL-2026-999999", None).await;
    assert!(unknown.body.contains("Không tìm thấy chứng nhận có số này."));
    assert_eq!(unknown.status, 404, "an unknown number is not found, in the status too");
    // The lookup form on /verify (a number typed from paper) answers the same.
    let form = app.get("/verify", None).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"number\""), "a lookup form");
    let typed = app.get(&format!("/verify?number={number}"), None).await;
    assert_eq!(typed.status, 200);
    assert!(typed.body.contains("Còn hiệu lực"), "looked up by the typed number");
    // Another learner's certificate is not shown to a different account.
    let other = app.sign_in_demo("giangvien").await;
    let r = app
        .call("certificate_page", &format!("number={number}"), Some(&other))
        .await;
    assert_eq!(r.status, 404);

    // Offline: the published key and the CLI.
    let key = app.get("/.well-known/taphuan-cert-key.pem", None).await;
    assert!(key.body.starts_with("-----BEGIN PUBLIC KEY-----"));
    let key_file = content.join("key.pem");
    std::fs::write(&key_file, &key.body).unwrap();
    let run = |t: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_taphuan"))
            .args(["verify", t, "--key"])
            .arg(&key_file)
            .output()
            .expect("run taphuan verify")
    };
    let ok = run(&jwt);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out} {}", String::from_utf8_lossy(&ok.stderr));
    assert!(out.contains(&number) && out.contains("genuine signature"), "{out}");
    // Alter the payload (another certificate number, same signature): rejected.
    let parts: Vec<&str> = jwt.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: serde_json::Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = serde_json::Value::String("GL-2026-000999".into());
    let forged = format!("{}.{}.{}", parts[0], b64.encode(claims.to_string()), parts[2]);
    let bad = run(&forged);
    assert!(!bad.status.success(), "an altered token was accepted");
    // And so is a token whose signature was tampered with.
    let mut sig = parts[2].to_string();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    sig.replace_range(0..1, flipped);
    assert!(!run(&format!("{}.{}.{sig}", parts[0], parts[1])).status.success());
    let page = app.get(&format!("/verify/{number}?t={forged}"), None).await;
    assert!(page.body.contains("KHÔNG hợp lệ"));
    std::fs::remove_dir_all(content).ok();
}

/// Runs `n` copies of `f` at the same time, each on its own tokio task (real parallelism on
/// the multi-threaded runtime), and collects their results.
async fn in_parallel<T, Fut>(n: usize, app: &TestApp, f: impl Fn(TestApp) -> Fut) -> Vec<T>
where
    T: Send + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = (0..n).map(|_| tokio::spawn(f(app.clone()))).collect();
    let mut out = Vec::with_capacity(n);
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn answers_saved_mid_exam_come_back_filled_in_and_count_only_when_submitted() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let (token, pid, open) = exam_started(&app).await;
    assert_eq!(open["draft"], serde_json::json!([]));
    let answers = right_answers(&open);

    // The page's autosave: 204, and only this attempt's answer fields are kept.
    let req = Request::post(format!("/courses/{COURSE}/exam/save"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-taphuan-autosave", "1")
        .header(header::COOKIE, format!("{}={token}", app::ssr::auth::COOKIE))
        .body(Body::from(format!("{answers}&junk=1&q99=5")))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let again = open_attempt(&app, &token).await;
    let draft: Vec<(String, String)> = serde_json::from_value(again["draft"].clone()).unwrap();
    let keys: Vec<&str> = draft.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["q0", "q1", "q2", "q3"], "{draft:?}");
    assert!(again["draft_saved_at"].is_string());
    // The exam page, rendered on the server, fills the saved answers back in.
    let page = app.get(&format!("/courses/{COURSE}/exam"), Some(&token)).await;
    assert!(
        page.body.contains("value=\"CANARY-SHORT-7f3a9\""),
        "the typed answer is back"
    );
    assert!(page.body.contains("Câu trả lời đã được lưu tạm lúc"));

    // "Save and continue later" without JavaScript: back to the exam page.
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/save"), &answers, Some(&token))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/courses/{COURSE}/exam?saved=1").as_str())
    );
    // Saved is not submitted: nothing graded, nothing completed.
    let a = attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(pid))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(a.submitted_at.is_none() && a.score_percent.is_none());
    assert_eq!(
        completion::Entity::find()
            .filter(completion::Column::PersonId.eq(pid))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    // Another learner cannot write into this attempt.
    let other = app.sign_in_demo("quanly").await;
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/save"), &answers, Some(&other))
        .await;
    assert!(r.status == 403 || r.status == 404, "{}", r.status);

    // Submitted: graded from what is sent; a late save changes nothing.
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &answers, Some(&token))
        .await;
    assert_eq!(r.status, 303);
    app.post_form(
        &format!("/courses/{COURSE}/exam/save"),
        &format!("attempt={}&seq=9&q0=zzz", open["id"]),
        Some(&token),
    )
    .await;
    let a = attempt::Entity::find_by_id(a.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.passed, Some(true));
    assert!(!a.draft.unwrap_or_default().contains("zzz"));
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_submission_with_blank_questions_keeps_the_answers_and_asks_first() {
    let app = TestApp::spawn_with_content(&canary_content()).await;
    let token = ready_learner(&app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let all = right_answers(&open);
    // Every answer but the last.
    let partial = all.rsplit_once('&').unwrap().0.to_string();
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &partial, Some(&token))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/courses/{COURSE}/exam?unanswered=1").as_str())
    );
    // Not submitted; what was given is kept and comes back on the page, which asks.
    let again = open_attempt(&app, &token).await;
    assert_eq!(again["id"], open["id"], "the same attempt is still open");
    assert_eq!(
        again["draft"].as_array().unwrap().len(),
        open["questions"].as_array().unwrap().len() - 1
    );
    let page = app
        .get(&format!("/courses/{COURSE}/exam?unanswered=1"), Some(&token))
        .await;
    assert!(
        page.body.contains("Bạn còn 1 câu chưa trả lời."),
        "the page says how many"
    );
    assert!(
        page.body.contains(r#"name="confirm" value="1""#),
        "and the next submit goes through"
    );
    // Submitted as it is when confirmed: graded, the blank one scores nothing.
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &format!("{partial}&confirm=1"),
            Some(&token),
        )
        .await;
    assert!(
        r.location.as_deref().unwrap().contains("/exam/attempts/"),
        "{:?}",
        r.location
    );
    // The attempt is closed now.
    let r2 = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert!(r2["open"].is_null());
}

#[tokio::test]
async fn choice_values_are_opaque_per_attempt_and_a_source_position_scores_nothing() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let first = open_attempt(&app, &token).await;
    let ids_first = mc_ids(&first);
    // The page's radio values are these ids, not positions.
    let page = app.get(&format!("/courses/{COURSE}/exam"), Some(&token)).await;
    for id in &ids_first {
        assert!(page.body.contains(&format!("value=\"{id}\"")), "{id} is a radio value");
    }
    assert!(
        ids_first
            .iter()
            .all(|id| id.len() == 8 && id.parse::<usize>().map_or(true, |n| n > 9))
    );
    // "0" everywhere, as a position-guesser would answer: no credit at all.
    let mut zeros = format!("attempt={}&seq={}&confirm=1", first["id"], first["seq"]);
    for q in first["questions"].as_array().unwrap() {
        zeros.push_str(&format!("&q{}=0", q["position"]));
    }
    app.post_form(&format!("/courses/{COURSE}/exam/submit"), &zeros, Some(&token))
        .await;
    let result = app
        .call(
            "attempt_result",
            &format!("course={COURSE}&attempt={}", first["id"]),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(result["score"], 0, "{result}");
    // A failure is not a dead end: the result offers another attempt and says how many remain.
    assert_eq!(result["next"], serde_json::json!({"Now": {"left": 2}}), "{result}");
    let page = app
        .get(
            &format!("/courses/{COURSE}/exam/attempts/{}", first["id"]),
            Some(&token),
        )
        .await;
    assert!(page.body.contains("Làm lại bài kiểm tra") && page.body.contains("Còn 2 lượt làm bài."));
    // …and names the lessons that teach what was missed, each once, at the section they share.
    let reread: Vec<(u64, String, u64)> = result["reread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["number"].as_u64().unwrap(),
                l["href"].as_str().unwrap().to_string(),
                l["missed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reread,
        [
            (1, format!("/courses/{COURSE}/lessons/1#san-la-gi"), 2),
            (2, format!("/courses/{COURSE}/lessons/2"), 2)
        ],
        "{result}"
    );
    assert!(page.body.contains("Bài học nên đọc lại"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("href=\"/courses/{COURSE}/lessons/1#san-la-gi\""))
    );
    for item in result["review"].as_array().unwrap() {
        assert_eq!(item["correct"], false);
        assert!(
            item["lesson"]["href"]
                .as_str()
                .unwrap()
                .starts_with(&format!("/courses/{COURSE}/lessons/")),
            "{item}"
        );
    }
    // A second attempt sends other values for the same question.
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let second = open_attempt(&app, &token).await;
    let result = app
        .call(
            "attempt_result",
            &format!("course={COURSE}&attempt={}", first["id"]),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(result["next"], "Open", "an open attempt is continued: {result}");
    assert_ne!(first["id"], second["id"]);
    let ids_second = mc_ids(&second);
    let a: std::collections::BTreeSet<_> = ids_first.iter().collect();
    let b: std::collections::BTreeSet<_> = ids_second.iter().collect();
    assert!(a.is_disjoint(&b), "{ids_first:?} vs {ids_second:?}");
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn an_exam_passed_at_one_in_the_morning_in_vietnam_is_dated_that_day() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    // 01:00 on 2 December 2026 in Gia Lai is 18:00 on 1 December in UTC.
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T18:00:00Z")
        .unwrap()
        .to_utc();
    let _frozen = app::ssr::clock::freeze(at);
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    app.post_form(
        &format!("/courses/{COURSE}/exam/submit"),
        &right_answers(&open),
        Some(&token),
    )
    .await;
    let result = app
        .call(
            "attempt_result",
            &format!("course={COURSE}&attempt={}", open["id"]),
            Some(&token),
        )
        .await
        .json();
    let number = result["certificate"].as_str().expect("passed").to_string();
    let cert = app
        .call("certificate_page", &format!("number={number}"), Some(&token))
        .await
        .json();
    assert_eq!(cert["completed_on"], "02/12/2026", "{cert}");
    assert!(number.starts_with("GL-2026-"));
    let row = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.as_str()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // The validity runs from the Vietnamese date too.
    if let Some(until) = row.valid_until {
        assert_eq!(until.format("%d/%m").to_string(), "02/12", "{until}");
    }
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_damaged_attempt_row_is_an_error_logged_with_its_request_not_a_silent_zero() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let id = open["id"].as_i64().unwrap();
    // Someone (or a disk) damages the stored question list.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let row = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: attempt::ActiveModel = row.into();
    am.questions = Set("[\"canary-mc\", oops".into());
    am.update(&app.state.db).await.unwrap();

    let log = common::LogCapture::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    // The exam page: an error, not an empty exam; nothing of the cause reaches the browser.
    let r = app.call("exam_page", &format!("course={COURSE}"), Some(&token)).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert!(!r.body.contains("oops") && !r.body.contains("damaged"), "{}", r.body);
    // Submitting: refused with an error, not graded as 0.
    let form = format!("attempt={id}&seq=1&q0=x");
    let s = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
        .await;
    assert_eq!(s.status, 500, "{:?} {}", s.location, s.body);
    let after = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        after.submitted_at.is_none() && after.score_percent.is_none(),
        "not graded as 0"
    );
    // The log names the damaged row, inside the request's span.
    let text = log.text();
    assert!(
        text.lines()
            .any(|l| l.contains("damaged row: attempts.questions") && l.contains("route=/api/exam_page")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("damaged row") && l.contains("exam/submit")),
        "{text}"
    );
    std::fs::remove_dir_all(content).ok();
}

/// Issue 14, item 5: after a learner's attempts, the trainer sees how each question behaved —
/// through the real router, from the attempts the exam wrote — and downloads it; the learner,
/// and a trainer of other courses, are refused (the page carries the key).
#[tokio::test]
async fn a_trainer_sees_how_each_question_behaved_and_no_one_else_does() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    // Attempt 1: all right but the multiple-choice question (the wrong choice picked).
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let mut form = right_answers(&open);
    let mc = open["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "canary-mc")
        .expect("4 of 4 drawn");
    let right = choice_id(mc, "Sàn giao dịch thương mại điện tử");
    let wrong = choice_id(mc, "Website bán hàng của chính doanh nghiệp");
    form = form.replace(&format!("={right}"), &format!("={wrong}"));
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&token))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let trainer = app.sign_in_demo("giangvien").await;
    let r = app
        .call("question_stats", &format!("course={COURSE}"), Some(&trainer))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json();
    assert_eq!(s["attempts"], 1);
    let q = |name: &str| {
        s["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"] == name)
            .unwrap()
            .clone()
    };
    let mc = q("canary-mc");
    assert_eq!((mc["exposure"].as_u64(), mc["facility"].as_f64()), (Some(1), Some(0.0)));
    let picked: Vec<(String, bool, u64)> = mc["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["text"].as_str().unwrap().to_string(),
                c["key"].as_bool().unwrap(),
                c["picked"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        picked,
        vec![
            ("Sàn giao dịch thương mại điện tử".to_string(), true, 0),
            ("Website bán hàng của chính doanh nghiệp".to_string(), false, 1),
        ]
    );
    assert_eq!(q("canary-short")["facility"].as_f64(), Some(100.0));
    assert_eq!(q("canary-tf")["choices"][0]["picked"], 1, "true was answered");
    assert_eq!(mc["at"], format!("{COURSE}/exam.md:19"));
    // One attempt: figures, but too few to flag or to split into groups.
    assert_eq!(mc["flags"], serde_json::json!([]));
    assert!(mc["discrimination"].is_null());

    // The page, and the download as a Vietnamese-locale spreadsheet reads it.
    let page = app.get(&format!("/courses/{COURSE}/questions"), Some(&trainer)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Website nào phải đăng ký với Bộ Công Thương?"));
    let csv = app
        .get(&format!("/courses/{COURSE}/questions/export/items.csv"), Some(&trainer))
        .await;
    assert_eq!(csv.status, 200);
    let text = csv.body.strip_prefix('\u{feff}').expect("a BOM, for Excel");
    let mut rows = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let line = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == "canary-mc")
        .unwrap();
    assert_eq!((&line[3], &line[4], &line[9]), ("1", "0", "A: 0; B: 1"));
    let xlsx = app
        .get(
            &format!("/courses/{COURSE}/questions/export/items.xlsx"),
            Some(&trainer),
        )
        .await;
    assert_eq!(xlsx.status, 200);

    // The learner is refused, and nothing of the key is in the refusal.
    let r = app
        .call("question_stats", &format!("course={COURSE}"), Some(&token))
        .await;
    assert_eq!(r.status, 403);
    for canary in CANARIES {
        assert!(!r.body.contains(canary));
    }
    let r = app
        .get(&format!("/courses/{COURSE}/questions/export/items.csv"), Some(&token))
        .await;
    assert_eq!(r.status, 403);

    // A trainer of another course only is refused this one.
    let other = trainer_of_another_course(&app).await;
    let r = app
        .call("question_stats", &format!("course={COURSE}"), Some(&other))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .get(&format!("/courses/{COURSE}/questions/export/items.csv"), Some(&other))
        .await;
    assert_eq!(r.status, 403);
    std::fs::remove_dir_all(content).ok();
}

/// The English twin of the canary exam: the same answers in the same order, other words, and
/// its own feedback (planted, so the review can tell which language it speaks).
const EXAM_EN: &str = r#"+++
title = "The canary exam"
+++
Each attempt draws 4 questions.

```gift
// lesson: 02-nghia-vu.md#go-hang
::canary-short:: What is the exam's secret code? {=CANARY-SHORT-7f3a9 =CANARY-SHORT-EN #CANARY-EN-FB-RIGHT ####CANARY-EN-GENERAL}

::canary-mc:: Which website must register with the Ministry of Industry and Trade? {
  =An e-commerce trading platform #CANARY-EN-FB-MC
  ~A business's own sales website #CANARY-EN-FB-WRONG
}

::canary-num:: Enter the secret number. {#987654321}

::canary-tf:: A platform must take infringing listings down. {T#CANARY-EN-TF-WRONG#CANARY-EN-TF-RIGHT}
```
"#;

#[tokio::test]
async fn an_english_reader_reads_and_takes_the_exam_in_english_and_it_counts_in_both_languages() {
    let content = canary_content();
    std::fs::write(content.join(COURSE).join("exam.en.md"), EXAM_EN).unwrap();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let en = format!("{token}; lang=en");
    let course = format!("course={COURSE}");

    // The course and its lessons in English where the course translates them…
    let d = app.call("course_detail", &course, Some(&en)).await.json();
    assert_eq!(d["summary"]["title"], "Counterfeits on e-commerce platforms");
    assert_eq!(d["fallback"], false);
    assert_eq!(d["lessons"][1]["title"], "Platform duties");
    assert_eq!(d["exam_title"], "The canary exam");
    let l2 = app
        .call("lesson_page", &format!("{course}&number=2&query="), Some(&en))
        .await
        .json();
    assert_eq!(
        (l2["title"].as_str(), l2["fallback"].as_bool()),
        (Some("Platform duties"), Some(false))
    );
    assert!(
        l2.to_string()
            .contains("A platform must take down infringing listings on request.")
    );
    // …and in Vietnamese, with a note, where it does not.
    let l1 = app
        .call("lesson_page", &format!("{course}&number=1&query="), Some(&en))
        .await
        .json();
    assert_eq!(l1["fallback"], true);
    let page = app.get(&format!("/courses/{COURSE}/lessons/1"), Some(&en)).await.body;
    assert!(page.contains("This part has not been translated into English yet"));
    assert!(
        page.contains(r#"<div lang="vi" class="prose">"#),
        "the Vietnamese text is marked as such"
    );
    let vi_page = app
        .get(&format!("/courses/{COURSE}/lessons/1"), Some(&token))
        .await
        .body;
    assert!(!vi_page.contains("not been translated") && !vi_page.contains(r#"lang="vi" class="prose""#));

    // The attempt shows the English words over the same ids and order as the Vietnamese page.
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&en))
        .await;
    assert_eq!(r.status, 303);
    let open_en = open_attempt(&app, &en).await;
    let open_vi = open_attempt(&app, &token).await;
    let ids = |open: &serde_json::Value| -> Vec<(String, Vec<String>)> {
        open["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let choices = q["question"]["kind"]["choices"].as_array().cloned().unwrap_or_default();
                (
                    q["name"].as_str().unwrap().to_string(),
                    choices.iter().map(|c| c["id"].as_str().unwrap().to_string()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(ids(&open_en), ids(&open_vi));
    let texts = open_en.to_string();
    for english in [
        "What is the exam's secret code?",
        "An e-commerce trading platform",
        "A business's own sales website",
        "Enter the secret number.",
    ] {
        assert!(texts.contains(english), "{english} in {texts}");
    }
    assert!(!texts.contains("Sàn giao dịch thương mại điện tử"));
    // The English page carries no key or feedback either.
    let page = app.get(&format!("/courses/{COURSE}/exam"), Some(&en)).await.body;
    assert!(page.contains("Which website must register"));
    for canary in ["CANARY-SHORT-EN", "CANARY-EN-FB", "CANARY-EN-GENERAL", "CANARY-EN-TF"]
        .iter()
        .chain(CANARIES)
    {
        assert!(!page.contains(canary) && !texts.contains(canary), "{canary} leaks");
    }

    // Answered in English (the short answer in its English words), graded on the one key.
    let mut form = format!("attempt={}&seq={}", open_en["id"], open_en["seq"]);
    for q in open_en["questions"].as_array().unwrap() {
        let value = match q["name"].as_str().unwrap() {
            "canary-short" => "CANARY-SHORT-EN".to_string(),
            "canary-num" => "987654321".to_string(),
            "canary-tf" => "true".to_string(),
            _ => choice_id(q, "An e-commerce trading platform"),
        };
        form.push_str(&format!("&q{}={value}", q["position"]));
    }
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &form, Some(&en))
        .await;
    let at = r.location.expect("a result page");
    let result = app.get(&at, Some(&en)).await.body;
    assert!(
        result.contains("CANARY-EN-FB-MC") && result.contains("CANARY-EN-TF-RIGHT"),
        "English feedback"
    );
    assert!(
        !result.contains("CANARY-FB-MC"),
        "not the Vietnamese feedback: {}",
        &result[result.find("CANARY-FB-MC").unwrap_or(0).saturating_sub(600)..]
    );
    let attempt = at.rsplit('/').next().unwrap();
    let res = app
        .call("attempt_result", &format!("{course}&attempt={attempt}"), Some(&en))
        .await
        .json();
    assert_eq!(
        (res["score"].as_i64(), res["passed"].as_bool()),
        (Some(100), Some(true))
    );

    // One completion, seen in Vietnamese too.
    let pid = person_id(&app).await;
    let done = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(pid))
        .filter(completion::Column::CourseId.eq(COURSE))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(done, 1);
    let d = app.call("course_detail", &course, Some(&token)).await.json();
    assert_eq!(d["summary"]["title"], "Kiểm tra hàng giả trên sàn thương mại điện tử");
    assert_eq!(d["progress"]["complete"], true);
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_trainer_previews_a_draw_of_the_exam_without_its_key_and_nothing_is_recorded() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let trainer = app.sign_in_demo("giangvien").await;
    let r = app.call("exam_page", &format!("course={COURSE}"), Some(&trainer)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = r.json();
    let drawn: Vec<&str> = page["preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(drawn.len(), 4, "one draw of `draw` questions");
    assert!(drawn.contains(&"canary-mc"));
    assert!(page["open"].is_null() && page["attempts"].as_array().unwrap().is_empty());
    let html = app.get(&format!("/courses/{COURSE}/exam"), Some(&trainer)).await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("Xem trước dành cho giảng viên"));
    assert!(html.body.contains("Website nào phải đăng ký với Bộ Công Thương?"));
    for canary in CANARIES {
        assert!(
            !r.body.contains(canary) && !html.body.contains(canary),
            "{canary} leaks"
        );
    }
    let attempts = attempt::Entity::find().count(&app.state.db).await.unwrap();
    assert_eq!(attempts, 0, "a preview records nothing");
    // A learner sees their own exam page, with no preview.
    let token = ready_learner(&app).await;
    let mine = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert!(mine["preview"].as_array().unwrap().is_empty());
    // A trainer of another course only is refused this one.
    let other = trainer_of_another_course(&app).await;
    let r = app.call("exam_page", &format!("course={COURSE}"), Some(&other)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    std::fs::remove_dir_all(content).ok();
}

/// The demo trainer, restricted to another course only, signed in again.
async fn trainer_of_another_course(app: &TestApp) -> String {
    use app::ssr::db::entities::{account, role_grant};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let giangvien = account::Entity::find()
        .filter(account::Column::Username.eq("giangvien"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    for g in role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(giangvien.id))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let mut g = g.into_active_model();
        g.course_id = Set(Some("another-course".into()));
        g.update(&app.state.db).await.unwrap();
    }
    app.sign_in_demo("giangvien").await
}

/// The official `username`'s (person id, code).
async fn official(app: &TestApp, username: &str) -> (i64, String) {
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
    (p.id, p.code)
}

/// Saves `edit(text)` as the draft of `file` of the course, through the editor's form.
async fn redraft(app: &TestApp, trainer: &str, file: &str, edit: impl Fn(&str) -> String) {
    let open = app
        .call("editor_file", &format!("course={COURSE}&name={file}"), Some(trainer))
        .await;
    assert_eq!(open.status, 200, "{}", open.body);
    let text = edit(open.json()["text"].as_str().unwrap());
    let enc: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let saved = app
        .post_form(
            &format!("/editor/{COURSE}/save"),
            &format!("file={file}&text={enc}"),
            Some(trainer),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// Publishes the course's draft as a substantive change with `reason` (form-encoded): the
/// publish's id.
async fn publish_substantive(app: &TestApp, trainer: &str, reason: &str) -> i64 {
    let published = app
        .post_form(
            &format!("/editor/{COURSE}/publish"),
            &format!("kind=substantive&reason={reason}"),
            Some(trainer),
        )
        .await;
    published
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix(&format!("/content/{COURSE}?published=")))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("published: {:?} {}", published.location, published.body))
}

/// How many officials the program covers today, as the dashboard shows it.
async fn covered(app: &TestApp, admin: &str, program: i64) -> u64 {
    let r = app
        .call("coverage", &format!("program={program}&as_of="), Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["overall"]["covered"].as_u64().unwrap()
}

/// The retraining page's line for `publish`.
fn retraining_item(page: &serde_json::Value, publish: i64) -> serde_json::Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["publish_id"] == publish)
        .cloned()
        .expect("the publish is listed")
}

#[tokio::test]
async fn after_a_substantive_change_the_certified_reread_the_changed_lesson_and_pass_a_short_exam_on_what_changed() {
    use app::ssr::db::entities::{person, recertification_person};
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    // The learner is certified on the first version by passing its exam.
    let token = ready_learner(&app).await;
    let (pid, code) = official(&app, "hocvien").await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    app.post_form(
        &format!("/courses/{COURSE}/exam/submit"),
        &right_answers(&open),
        Some(&token),
    )
    .await;
    // And an official of another unit, certified too.
    let elsewhere = person::Entity::find()
        .filter(
            person::Column::AgencyId.ne(person::Entity::find_by_id(pid)
                .one(&app.state.db)
                .await
                .unwrap()
                .unwrap()
                .agency_id),
        )
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    common::certify(&app.state.db, elsewhere.id, COURSE).await;
    let me = app.call("my_recertifications", "", Some(&token)).await;
    assert_eq!(me.json(), serde_json::json!([]), "nothing owed before a change");
    // Two programs on this course over the whole tree: one counts any valid certificate, the
    // other only those earned on the current substantive version.
    let admin = app.sign_in_demo("quantri").await;
    let valid = course_program(&app, "VALID-V", "valid_at_deadline").await;
    let current = course_program(&app, "CUR-V", "current_version").await;
    assert_eq!(
        (covered(&app, &admin, valid).await, covered(&app, &admin, current).await),
        (2, 2)
    );

    // The law changes: lesson 2 and one exam question are rewritten, published as substantive.
    let trainer = app.sign_in_demo("giangvien").await;
    redraft(&app, &trainer, "02-nghia-vu.md", |t| {
        format!("{t}\nMột quy định mới có hiệu lực.\n")
    })
    .await;
    redraft(&app, &trainer, "exam.md", |t| {
        t.replace(
            "::canary-tf:: Sàn phải gỡ hàng vi phạm.",
            "::canary-tf:: Sàn phải gỡ ngay hàng vi phạm.",
        )
    })
    .await;
    let publish = publish_substantive(
        &app,
        &trainer,
        "Lu%E1%BA%ADt+122%2F2025%2FQH15+c%C3%B3+hi%E1%BB%87u+l%E1%BB%B1c",
    )
    .await;

    assert_eq!(
        (covered(&app, &admin, valid).await, covered(&app, &admin, current).await),
        (2, 0),
        "certified on the old version: valid, not current"
    );
    let record = app
        .call("person_record", &format!("id={pid}"), Some(&admin))
        .await
        .json();
    let standing = |program: i64| {
        record["programs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["program_id"] == program)
            .map(|p| p["courses"][0].clone())
            .expect("the program is on the record")
    };
    assert_eq!(
        (standing(current)["held"].clone(), standing(current)["outdated"].clone()),
        (serde_json::json!(false), serde_json::json!(true)),
        "the record says why: certified on the version before the change"
    );
    assert_eq!(standing(valid)["outdated"], false);

    // The trainer sees both certified officials waiting; the unit's manager only theirs.
    let item = |page: &serde_json::Value| retraining_item(page, publish);
    let waiting = |i: &serde_json::Value| -> Vec<String> {
        i["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect()
    };
    let seen = item(&app.call("retraining", "", Some(&trainer)).await.json());
    assert_eq!(seen["everyone"], true);
    let mut both = vec![code.clone(), elsewhere.code.clone()];
    both.sort();
    let mut listed = waiting(&seen);
    listed.sort();
    assert_eq!(listed, both);
    assert_eq!(seen["lessons"].as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(
        seen["questions"], 1,
        "the short exam draws from the one changed question"
    );
    assert_eq!(
        seen["current"],
        serde_json::json!([2, 0]),
        "two certified, none on this version"
    );
    let manager = app.sign_in_demo("quanly.doi1").await;
    let theirs = item(&app.call("retraining", "", Some(&manager)).await.json());
    assert_eq!(waiting(&theirs), vec![code.clone()]);
    assert_eq!(theirs["everyone"], false);

    // The manager opens it for their unit, one question: it reaches only the learner.
    let deadline = (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d");
    let past = (chrono::Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%d");
    let refused = app
        .post_form(
            "/retraining/open",
            &format!("publish={publish}&deadline={past}&draw=5"),
            Some(&manager),
        )
        .await;
    assert_eq!(refused.location.as_deref(), Some("/retraining?refused=deadline"));
    let learner_cannot = app
        .post_form(
            "/retraining/open",
            &format!("publish={publish}&deadline={deadline}&draw=5"),
            Some(&token),
        )
        .await;
    assert_eq!(learner_cannot.status, 403);
    let opened = app
        .post_form(
            "/retraining/open",
            &format!("publish={publish}&deadline={deadline}&draw=1"),
            Some(&manager),
        )
        .await;
    let to = opened.location.clone().unwrap_or_default();
    assert!(
        to.starts_with("/retraining?opened=") && to.ends_with("&people=1"),
        "{to} {}",
        opened.body
    );
    // The trainer then reaches the one left; after that there is no one to reach.
    assert_eq!(
        waiting(&item(&app.call("retraining", "", Some(&trainer)).await.json())),
        vec![elsewhere.code.clone()]
    );

    // The learner's page lists it: why, by when, the lesson to reread, a one-question exam.
    let owed = app.call("my_recertifications", "", Some(&token)).await.json();
    let owed = &owed[0];
    assert_eq!(owed["course_id"], COURSE);
    assert_eq!(owed["reason"], "Luật 122/2025/QH15 có hiệu lực");
    assert_eq!(owed["draw"], 1);
    assert_eq!(owed["lessons"][0]["number"], 2);
    assert_eq!(owed["lessons"][0]["done"], false);
    let learn = app.get("/learn", Some(&token)).await;
    assert!(
        learn.body.contains("Luật 122/2025/QH15 có hiệu lực"),
        "the learner's page shows it"
    );

    // The changed lesson must be read again first; the lesson page asks for it.
    let lesson = app
        .call("lesson_page", &format!("course={COURSE}&number=2&query="), Some(&token))
        .await
        .json();
    assert_eq!(lesson["read"], false, "read before the change is not read");
    let refused = app
        .post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    assert_eq!(
        refused.location.as_deref(),
        Some(&*format!("/courses/{COURSE}/exam?refused=1"))
    );
    let page = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert_eq!(page["refusal"], "LessonsUnread");
    assert_eq!(page["recert_draw"], 1);
    app.post_form(&format!("/courses/{COURSE}/lessons/2/read"), "", Some(&token))
        .await;
    let owed = app.call("my_recertifications", "", Some(&token)).await.json();
    assert_eq!(owed[0]["lessons"][0]["done"], true);

    // The short exam asks the changed question only, and passing it certifies on this version.
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let names: Vec<&str> = open["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["canary-tf"]);
    let done = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&open),
            Some(&token),
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let last = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(pid))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.id)
        .unwrap();
    assert_eq!(last.source, "recert");
    assert_eq!(
        last.course_hash,
        app.state.content.get().library.course(COURSE).unwrap().hash
    );
    let mine = recertification_person::Entity::find()
        .filter(recertification_person::Column::PersonId.eq(pid))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mine.completion_id, Some(last.id));
    assert_eq!(
        app.call("my_recertifications", "", Some(&token)).await.json(),
        serde_json::json!([])
    );
    let seen = item(&app.call("retraining", "", Some(&trainer)).await.json());
    assert_eq!(
        seen["current"],
        serde_json::json!([2, 1]),
        "one of two now on the current version"
    );
    assert_eq!(seen["recerts"][0]["done"], 1);
    assert_eq!(seen["recerts"][0]["total"], 1);
    assert_eq!(
        (covered(&app, &admin, valid).await, covered(&app, &admin, current).await),
        (2, 1),
        "the recertified official counts on the current version again"
    );
    // The short exam's scores stay out of the exam's item statistics.
    let stats = app
        .call("question_stats", &format!("course={COURSE}"), Some(&trainer))
        .await
        .json();
    assert_eq!(stats["attempts"], 1, "{stats}");

    // Another substantive change, to lesson 1. Only the newest publish is opened; an official
    // certified before both (the other unit's) is asked to reread what either changed.
    redraft(&app, &trainer, "01-tong-quan.md", |t| {
        format!("{t}\nMột quy định khác.\n")
    })
    .await;
    let second = app
        .post_form(
            &format!("/editor/{COURSE}/publish"),
            "kind=substantive&reason=Ngh%E1%BB%8B+%C4%91%E1%BB%8Bnh+241%2F2025",
            Some(&trainer),
        )
        .await;
    assert!(
        second.location.as_deref().unwrap_or_default().contains("published="),
        "{:?}",
        second.location
    );
    let old = app
        .post_form(
            "/retraining/open",
            &format!("publish={publish}&deadline={deadline}&draw=5"),
            Some(&trainer),
        )
        .await;
    assert_eq!(old.location.as_deref(), Some("/retraining?refused=newer"));
    let page = app.call("retraining", "", Some(&trainer)).await.json();
    let newest = &page["items"][0];
    assert_eq!(newest["newest"], true);
    let mut waiting_now = waiting(newest);
    waiting_now.sort();
    assert_eq!(waiting_now, both, "both were certified before the second change");
    assert_eq!(
        newest["lessons"].as_array().unwrap().len(),
        2,
        "lessons 1 and 2: {newest}"
    );
    assert_eq!(item(&page)["newest"], false);
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_questions_mean_time_comes_from_when_its_answer_was_first_saved() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let t0 = chrono::Utc::now();
    let frozen = app::ssr::clock::freeze(t0);
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let answers = right_answers(&open);
    // 40 s in, the page's autosave holds the first question's answer only.
    drop(frozen);
    let frozen = app::ssr::clock::freeze(t0 + chrono::Duration::seconds(40));
    let first: Vec<&str> = answers.split('&').take(3).collect();
    let req = Request::post(format!("/courses/{COURSE}/exam/save"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-taphuan-autosave", "1")
        .header(header::COOKIE, format!("{}={token}", app::ssr::auth::COOKIE))
        .body(Body::from(first.join("&")))
        .unwrap();
    assert_eq!(app.send(req).await.status, 204);
    // Submitted at 100 s with the other three: they share the last 60 s.
    drop(frozen);
    let _frozen = app::ssr::clock::freeze(t0 + chrono::Duration::seconds(100));
    let r = app
        .post_form(&format!("/courses/{COURSE}/exam/submit"), &answers, Some(&token))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let trainer = app.sign_in_demo("giangvien").await;
    let stats = app
        .call("question_stats", &format!("course={COURSE}"), Some(&trainer))
        .await
        .json();
    let first_name = open["questions"][0]["name"].as_str().unwrap();
    for q in stats["questions"].as_array().unwrap() {
        let want = if q["name"] == first_name { 40.0 } else { 20.0 };
        assert_eq!(q["mean_seconds"].as_f64(), Some(want), "{q}");
    }
    // The download carries it too.
    let csv = app
        .get(&format!("/courses/{COURSE}/questions/export/items.csv"), Some(&trainer))
        .await;
    assert!(csv.body.contains("Thời gian trung bình (giây)"), "{}", csv.body);
    std::fs::remove_dir_all(content).ok();
}

#[tokio::test]
async fn a_short_exam_opened_before_the_certificate_was_revoked_certifies_nothing() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let (pid, _) = official(&app, "hocvien").await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    app.post_form(
        &format!("/courses/{COURSE}/exam/submit"),
        &right_answers(&open),
        Some(&token),
    )
    .await;
    // A substantive change to one question, and a recertification for everyone.
    let trainer = app.sign_in_demo("giangvien").await;
    redraft(&app, &trainer, "exam.md", |t| {
        t.replace(
            "::canary-tf:: Sàn phải gỡ hàng vi phạm.",
            "::canary-tf:: Sàn phải gỡ ngay hàng vi phạm.",
        )
    })
    .await;
    let publish = publish_substantive(&app, &trainer, "Lu%E1%BA%ADt+m%E1%BB%9Bi").await;
    let deadline = (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d");
    let opened = app
        .post_form(
            "/retraining/open",
            &format!("publish={publish}&deadline={deadline}&draw=1"),
            Some(&trainer),
        )
        .await;
    assert!(opened.location.unwrap_or_default().ends_with("&people=1"));
    // The short exam is opened, then the certificate it would renew is revoked.
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let short = open_attempt(&app, &token).await;
    assert_eq!(short["questions"].as_array().unwrap().len(), 1);
    let cert = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(pid))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut revoked: certificate::ActiveModel = cert.into();
    revoked.revoked_at = Set(Some(chrono::Utc::now()));
    revoked.revoked_reason = Set(Some("Gian lận".into()));
    revoked.update(&app.state.db).await.unwrap();
    // Passed, but it renews nothing: no completion, no certificate; still owed.
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&short),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let done = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(pid))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(done, 1, "only the first exam's completion");
    // The whole exam is what is open to them now.
    let page = app
        .call("exam_page", &format!("course={COURSE}"), Some(&token))
        .await
        .json();
    assert!(page["recert_draw"].is_null(), "{page}");
    std::fs::remove_dir_all(content).ok();
}

/// An exam started before a law change and submitted after it was taken on the old text: its
/// certificate is on the replaced version — for the list of whom the change must reach, for the
/// coverage metric "certified on the current version", and for the recertification it owes.
#[tokio::test]
async fn an_exam_started_before_a_substantive_publish_and_passed_after_it_is_on_the_old_version() {
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let token = ready_learner(&app).await;
    let (pid, code) = official(&app, "hocvien").await;
    let valid = course_program(&app, "VALID-S", "valid_at_deadline").await;
    let current = course_program(&app, "CUR-S", "current_version").await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;

    // While the learner answers, the law changes.
    let trainer = app.sign_in_demo("giangvien").await;
    redraft(&app, &trainer, "02-nghia-vu.md", |t| {
        format!("{t}\nMột quy định mới.\n")
    })
    .await;
    let publish = publish_substantive(&app, &trainer, "Lu%E1%BA%ADt+122%2F2025%2FQH15").await;

    // They submit after the publish, and pass.
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&open),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cert = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(pid))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("passed: a certificate");
    assert!(
        cert.earned_on_version_at() < cert.issued_at,
        "earned on the version served when the exam started"
    );

    let admin = app.sign_in_demo("quantri").await;
    assert_eq!(
        (covered(&app, &admin, valid).await, covered(&app, &admin, current).await),
        (1, 0),
        "a valid certificate, on the version the change replaced"
    );
    let item = retraining_item(&app.call("retraining", "", Some(&trainer)).await.json(), publish);
    let waiting: Vec<&str> = item["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, vec![code.as_str()], "the change must reach them");
    assert_eq!(item["current"], serde_json::json!([1, 0]));
}

/// A database from before certificates recorded their version is upgraded with each
/// certificate dated by its exam attempt's start; one without an attempt by when it was issued.
#[tokio::test]
async fn an_upgraded_database_dates_each_certificate_by_the_start_of_its_exam() {
    use migrations::MigratorTrait;
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    let db = &app.state.db;
    let token = ready_learner(&app).await;
    let (pid, _) = official(&app, "hocvien").await;
    app.post_form(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    let open = open_attempt(&app, &token).await;
    let r = app
        .post_form(
            &format!("/courses/{COURSE}/exam/submit"),
            &right_answers(&open),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let started = attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(pid))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .started_at;
    let by_exam = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(pid))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_exam.version_at, Some(started));
    // Someone else's, recorded without an attempt.
    let other = app::ssr::db::entities::person::Entity::find()
        .filter(app::ssr::db::entities::person::Column::Id.ne(pid))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    common::certify(db, other.id, COURSE).await;

    // Back to the schema before the column, then upgraded.
    migrations::Migrator::down(db, Some(1)).await.unwrap();
    migrations::Migrator::up(db, None).await.unwrap();
    let after = |id: i64| async move { certificate::Entity::find_by_id(id).one(db).await.unwrap().unwrap() };
    let upgraded = after(by_exam.id).await;
    assert_eq!(upgraded.version_at, Some(started), "filled from the attempt");
    let without = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(other.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(without.version_at, None);
    assert_eq!(without.earned_on_version_at(), without.issued_at);
}

/// After a substantive change, the count "certified on the current version" falls: the dashboard
/// says the fall in words, with its usual causes, never as a negative pace ("-1.0").
#[tokio::test]
async fn a_coverage_count_falling_after_a_law_change_is_said_as_a_fall() {
    use app::ssr::db::entities::person;
    use sea_orm::QuerySelect;
    let content = canary_content();
    let app = TestApp::spawn_with_content(&content).await;
    // Four officials certified six weeks ago, on the first version.
    let six_weeks_ago = chrono::Utc::now() - chrono::Duration::days(42);
    for p in person::Entity::find().limit(4).all(&app.state.db).await.unwrap() {
        common::certify_at(&app.state.db, p.id, COURSE, six_weeks_ago).await;
    }
    let admin = app.sign_in_demo("quantri").await;
    let current = course_program(&app, "CUR-F", "current_version").await;
    assert_eq!(covered(&app, &admin, current).await, 4);

    let trainer = app.sign_in_demo("giangvien").await;
    redraft(&app, &trainer, "02-nghia-vu.md", |t| {
        format!("{t}\nMột quy định mới có hiệu lực.\n")
    })
    .await;
    publish_substantive(&app, &trainer, "Lu%E1%BA%ADt+m%E1%BB%9Bi").await;
    assert_eq!(covered(&app, &admin, current).await, 0);

    // Four fewer in four weeks: one a week, down.
    let page = app.get(&format!("/coverage?program={current}"), Some(&admin)).await;
    assert_eq!(page.status, 200);
    let text = common::visible_text(&page.body);
    assert!(
        text.contains("Tốc độ 4 tuần gần nhất: giảm 1,0 cán bộ/tuần — số cán bộ đạt đang giảm"),
        "{text}"
    );
    assert!(!text.contains("-1.0") && !text.contains("-1,0"), "{text}");
    std::fs::remove_dir_all(content).ok();
}

/// A completion settles the recertifications of its course that its official owes and that
/// follow a publish made by the version it was earned on (an exam's start): not a later
/// publish's, not another course's, not another official's. (One statement, nothing read
/// first: `recert::settle`.)
#[tokio::test]
async fn a_completion_settles_only_the_recertifications_published_by_the_version_it_was_earned_on() {
    use app::ssr::db::entities::{content_publish, person, recertification, recertification_person};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let (pid, _) = official(&app, "hocvien").await;
    let other = person::Entity::find()
        .filter(person::Column::Id.ne(pid))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = chrono::Utc::now();
    let hours_ago = |h: i64| now - chrono::Duration::hours(h);
    let (course, other_course) = ("a-khung-phap-ly", "b-hang-gia-che-tai");
    let mut owed = Vec::new();
    // (course, published hours ago, who owes it)
    for (c, h, who) in [
        (course, 3, pid),
        (course, 1, pid),
        (other_course, 3, pid),
        (course, 3, other),
    ] {
        let publish = content_publish::ActiveModel {
            course_id: Set(c.into()),
            kind: Set("substantive".into()),
            reason: Set("Luật 122/2025/QH15".into()),
            published_by: Set(None),
            published_at: Set(hours_ago(h)),
            course_hash: Set("h".into()),
            based_on: Set("b".into()),
            changes: Set("[]".into()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let recert = recertification::ActiveModel {
            course_id: Set(c.into()),
            publish_id: Set(publish.id),
            reason: Set("Luật 122/2025/QH15".into()),
            lessons: Set("[]".into()),
            questions: Set("[]".into()),
            draw: Set(0),
            deadline: Set(now.date_naive() + chrono::Duration::days(30)),
            scope_agency_id: Set(None),
            opened_by: Set(None),
            opened_at: Set(hours_ago(h)),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        owed.push(
            recertification_person::ActiveModel {
                recertification_id: Set(recert.id),
                person_id: Set(who),
                completion_id: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap()
            .id,
        );
    }
    // Earned on the version served two hours ago: after the first publish, before the second.
    let tx = db.begin_with_options(app::ssr::db::write_tx()).await.unwrap();
    let (done, _) = app::ssr::completions::record_completion(
        &tx,
        app::ssr::completions::NewCompletion {
            person_id: pid,
            course_id: course,
            course_hash: "h",
            score_percent: Some(100),
            completed_at: now,
            source: "exam",
            attempt_id: None,
            attempt_started_at: Some(hours_ago(2)),
            class_id: None,
            validity_months: 24,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut settled = Vec::new();
    for id in owed {
        let row = recertification_person::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        settled.push(row.completion_id);
    }
    assert_eq!(settled, vec![Some(done.id), None, None, None]);
}

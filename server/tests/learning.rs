//! The learner's courses and lessons through the real router: what the programs assign, progress
//! as lessons are read, knowledge checks graded on the server, and the exam locked until every
//! lesson is read.

mod common;

use common::TestApp;

const F: &str = "f-de-an-319-gia-lai";

#[tokio::test]
async fn an_enforcement_officer_is_assigned_the_core_courses_and_the_overview_with_due_dates() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    let my = app.call("my_courses", "", Some(&token)).await;
    assert_eq!(my.status, 200, "{}", my.body);
    let my = my.json();
    let assigned: Vec<(String, String)> = my["assigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["course"]["id"].as_str().unwrap().to_string(),
                a["due"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("a-khung-phap-ly", "31/12/2026"),
        ("b-hang-gia-che-tai", "31/12/2026"),
        ("c-bao-ve-nguoi-tieu-dung", "31/12/2026"),
        ("d-kiem-tra-xu-ly-vi-pham", "31/12/2026"),
        (F, "31/03/2027"),
    ];
    assert_eq!(assigned, expected.map(|(c, d)| (c.to_string(), d.to_string())).to_vec());
    // Everything else is the catalogue.
    let others: Vec<&str> = my["others"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o[0]["id"].as_str().unwrap())
        .collect();
    assert_eq!(others, vec!["e-to-chuc-luc-luong-qltt"]);
    // An account with no official on the roster browses only.
    let trainer = app.sign_in_demo("giangvien").await;
    let t = app.call("my_courses", "", Some(&trainer)).await.json();
    assert_eq!(t["learner"], false);
    assert_eq!(t["assigned"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn reading_lessons_records_progress_and_unlocks_the_exam() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    let exam = |t: String| {
        let app = &app;
        async move { app.call("exam_page", &format!("course={F}"), Some(&t)).await.json() }
    };
    assert_eq!(exam(token.clone()).await["refusal"], "LessonsUnread");
    // The course page says the exam is locked, and why.
    let page = app.get(&format!("/courses/{F}"), Some(&token)).await.body;
    assert!(page.contains("Bài kiểm tra mở khi bạn đã đọc hết các bài học."));
    assert!(!page.contains("Làm bài kiểm tra"));
    let r = app
        .post_form(&format!("/courses/{F}/exam/start"), "", Some(&token))
        .await;
    assert_eq!(r.location.as_deref(), Some(&*format!("/courses/{F}/exam?refused=1")));

    let r = app
        .post_form(&format!("/courses/{F}/lessons/1/read"), "", Some(&token))
        .await;
    assert_eq!(r.location.as_deref(), Some(&*format!("/courses/{F}/lessons/2")));
    // Marking twice is harmless.
    app.post_form(&format!("/courses/{F}/lessons/1/read"), "", Some(&token))
        .await;
    let d = app
        .call("course_detail", &format!("course={F}"), Some(&token))
        .await
        .json();
    assert_eq!(d["progress"]["lessons_read"], 1);
    assert_eq!(d["progress"]["resume"], 2, "resume at the first unread lesson");
    let mut last = None;
    for n in 2..=4 {
        last = app
            .post_form(&format!("/courses/{F}/lessons/{n}/read"), "", Some(&token))
            .await
            .location;
    }
    // The last lesson read lands on the course page, which says the exam is open and makes it
    // the primary action.
    let landing = last.expect("a redirect");
    assert_eq!(landing, format!("/courses/{F}?read=all"));
    let page = app.get(&landing, Some(&token)).await.body;
    assert!(page.contains("Bài kiểm tra đã mở"), "the exam is announced");
    assert!(
        page.contains(&format!(r#"<a href="/courses/{F}/exam" class="button primary">"#)),
        "the exam is the primary action"
    );
    let d = app
        .call("course_detail", &format!("course={F}"), Some(&token))
        .await
        .json();
    assert_eq!(d["progress"]["lessons_read"], 4);
    assert!(d["progress"]["resume"].is_null());
    assert!(exam(token.clone()).await["refusal"].is_null(), "the exam is open");
    // Signed out, a form post is sent to sign in instead.
    let r = app.post_form(&format!("/courses/{F}/lessons/1/read"), "", None).await;
    assert!(r.location.unwrap().starts_with("/sign-in"));
}

#[tokio::test]
async fn a_knowledge_check_is_graded_on_the_server_with_feedback_and_no_key_before() {
    use app::domain::gift::QuestionKind;
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    // The first choice check of F's lessons, and its right and a wrong answer, from the files.
    let loaded = app.state.content.get();
    let course = loaded.library.course(F).unwrap();
    let (lesson, index, right, wrong) = course
        .lessons
        .iter()
        .flat_map(|l| l.checks.iter().enumerate().map(move |(i, c)| (l, i, c)))
        .find_map(|(l, i, c)| match &c.question.kind {
            QuestionKind::MultipleChoice { single: true, choices } => {
                let right = choices.iter().find(|c| c.fraction >= 0.999)?;
                let wrong = choices.iter().find(|c| c.fraction <= 0.0)?;
                Some((l.number, i, right.clone(), wrong.clone()))
            }
            _ => None,
        })
        .expect("a single-choice knowledge check in course F");
    let page = |query: String| {
        let app = app.clone();
        let token = token.clone();
        async move {
            let args = format!(
                "course={F}&number={lesson}&query={}",
                form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
            );
            let r = app.call("lesson_page", &args, Some(&token)).await.json();
            r["segments"]
                .as_array()
                .unwrap()
                .iter()
                .find_map(|s| s["check"].as_object().filter(|c| c["index"] == index).cloned())
                .unwrap()
        }
    };
    // Before answering: the choices' texts, opaque ids, no feedback anywhere.
    let before = page(String::new()).await;
    let id_of = |text: &str| -> String {
        before["question"]["kind"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["text"] == text)
            .and_then(|c| c["id"].as_str())
            .unwrap()
            .to_string()
    };
    let html = app.get(&format!("/courses/{F}/lessons/{lesson}"), Some(&token)).await;
    assert!(html.body.contains(&right.text), "the choice is shown");
    if let Some(fb) = right.feedback.as_deref().filter(|f| f.len() > 8) {
        assert!(!html.body.contains(fb), "no feedback before answering");
    }
    let got = page(format!("kc={index}&k{index}={}", id_of(&right.text))).await;
    assert_eq!(got["outcome"]["correct"], true, "{got:?}");
    if let Some(fb) = right.feedback.as_deref() {
        // The right choice's own feedback comes back after answering.
        let shown: Vec<String> = serde_json::from_value(got["outcome"]["feedback"].clone()).unwrap();
        assert!(shown.iter().any(|s| s == fb), "{shown:?} lacks {fb:?}");
    }
    let page_html = app
        .get(
            &format!(
                "/courses/{F}/lessons/{lesson}?kc={index}&k{index}={}",
                id_of(&right.text)
            ),
            Some(&token),
        )
        .await;
    assert!(page_html.body.contains("Chính xác!"), "right answer feedback");
    let got = page(format!("kc={index}&k{index}={}", id_of(&wrong.text))).await;
    assert_eq!(got["outcome"]["correct"], false);
    let page_html = app
        .get(
            &format!(
                "/courses/{F}/lessons/{lesson}?kc={index}&k{index}={}",
                id_of(&wrong.text)
            ),
            Some(&token),
        )
        .await;
    assert!(page_html.body.contains("Chưa đúng."));
    // A source position is not an answer.
    let got = page(format!("kc={index}&k{index}=0")).await;
    assert_eq!(got["outcome"]["correct"], false);
    // Knowledge checks are not exam attempts.
    let exam = app.call("exam_page", &format!("course={F}"), Some(&token)).await.json();
    assert_eq!(exam["attempts"].as_array().unwrap().len(), 0);
}

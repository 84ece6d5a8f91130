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
    for n in 2..=4 {
        app.post_form(&format!("/courses/{F}/lessons/{n}/read"), "", Some(&token))
            .await;
    }
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
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    // Lesson 1 of F: check 0 is "signed on which date?", the right answer (29/3/2023) is choice 0.
    let before = app.get(&format!("/courses/{F}/lessons/1"), Some(&token)).await;
    assert!(before.body.contains("Quyết định 319/QĐ-TTg được ký ngày nào?"));
    assert!(
        !before
            .body
            .contains("Phó Thủ tướng Trần Lưu Quang ký, hiệu lực từ ngày ký (S01, S02)")
    );
    let right = app
        .get(&format!("/courses/{F}/lessons/1?kc=0&k0=0"), Some(&token))
        .await;
    assert!(right.body.contains("Chính xác!"), "right answer feedback");
    assert!(
        right
            .body
            .contains("Phó Thủ tướng Trần Lưu Quang ký, hiệu lực từ ngày ký (S01, S02)")
    );
    let wrong = app
        .get(&format!("/courses/{F}/lessons/1?kc=0&k0=1"), Some(&token))
        .await;
    assert!(wrong.body.contains("Chưa đúng."));
    // Numerical check 1: 100.
    let r = app
        .call(
            "lesson_page",
            &format!("course={F}&number=1&query=kc%3D1%26k1%3D100"),
            Some(&token),
        )
        .await
        .json();
    let check = r["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["check"].as_object().filter(|c| c["index"] == 1).cloned())
        .unwrap();
    assert_eq!(check["outcome"]["correct"], true);
    // Knowledge checks are not exam attempts.
    let exam = app.call("exam_page", &format!("course={F}"), Some(&token)).await.json();
    assert_eq!(exam["attempts"].as_array().unwrap().len(), 0);
}

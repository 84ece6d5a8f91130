//! In development an edited lesson shows on the next request, without a restart.

mod common;
use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn an_edited_course_shows_on_the_next_request() {
    let dir = common::content_copy();
    let app = TestApp::spawn_with(|c| c.content_dir = dir.clone()).await;
    let token = app.sign_in_demo("giangvien").await;
    let before = app.call("library_status", "", Some(&token)).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Khung pháp lý về thương mại điện tử"));

    let course = dir.join("a-khung-phap-ly/course.md");
    let text = std::fs::read_to_string(&course).unwrap();
    let edited = text.replacen(
        "title = \"Khung pháp lý về thương mại điện tử\"",
        "title = \"Khung pháp lý TMĐT (bản sửa)\"",
        1,
    );
    assert_ne!(text, edited, "the fixture title is where the test expects it");
    std::fs::write(&course, edited).unwrap();
    let after = app.call("library_status", "", Some(&token)).await;
    assert!(
        after.body.contains("Khung pháp lý TMĐT (bản sửa)"),
        "the edit shows without a restart"
    );

    // A mistake shows up as a located diagnostic instead of taking the library down.
    std::fs::write(&course, text.replacen("pass_mark = 80", "pass_mark = 180", 1)).unwrap();
    let broken = app.call("library_status", "", Some(&token)).await.json();
    assert_eq!(broken["errors"], 1, "{broken}");
    assert!(
        broken["diagnostics"][0]
            .as_str()
            .unwrap()
            .starts_with("a-khung-phap-ly/course.md:"),
        "{broken}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

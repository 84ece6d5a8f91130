//! The course library as the server loads it: checked, recorded by version, listed by role.

mod common;
use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn the_shipped_library_loads_without_errors_and_every_version_is_recorded_once() {
    let app = TestApp::spawn_empty().await;
    let loaded = app.state.content.get();
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "content errors:\n{}", errors.join("\n"));
    assert_eq!(loaded.library.courses.len(), 6);

    use app::ssr::db::entities::content_version;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let recorded = content_version::Entity::find().count(&app.state.db).await.unwrap();
    assert!(
        recorded > 6 + 24,
        "courses, lessons and questions recorded ({recorded})"
    );
    // Loading the same library again records nothing new.
    app::ssr::content::record_versions(&app.state.db, &loaded.library)
        .await
        .unwrap();
    assert_eq!(
        content_version::Entity::find().count(&app.state.db).await.unwrap(),
        recorded
    );
}

#[tokio::test]
async fn trainers_see_the_library_health_and_learners_see_only_the_catalogue() {
    let app = TestApp::spawn().await;
    let trainer = app.sign_in_demo("giangvien").await;
    let s = app.call("library_status", "", Some(&trainer)).await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.json()["courses"].as_array().unwrap().len(), 6);
    let learner = app.sign_in_demo("hocvien").await;
    assert_eq!(
        app.call("library_status", "", Some(&learner)).await.status,
        StatusCode::FORBIDDEN
    );
    let list = app.call("courses", "", Some(&learner)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Khung pháp lý"), "course titles listed");
    assert!(!list.body.contains("\"fraction\""), "no answer keys in the catalogue");
}

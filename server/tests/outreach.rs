//! Outreach, the plan's other two 100 % targets: events recorded and the known population of
//! businesses or consumers set by a manager for agencies of their subtree, shown beside
//! officials' coverage on the dashboard.

mod common;
use axum::http::StatusCode;
use common::TestApp;
use serde_json::Value;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn line<'a>(report: &'a Value, agency: &str, kind: &str) -> Option<&'a Value> {
    report["outreach"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["agency_name"] == agency && l["kind"] == kind)
}

#[tokio::test]
async fn a_manager_sets_a_known_population_and_records_events_against_it() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let team = app.agency_id("GL-QLTT-D01").await;
    let name = "Đội Quản lý thị trường số 1";

    let r = app
        .call(
            "set_outreach_population",
            &format!(
                "agency_id={team}&kind=consumers&population=12000&source={}",
                enc("UBND xã, 10/2026")
            ),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let today = app::ssr::clock::today();
    let r = app
        .call(
            "record_outreach",
            &format!(
                "agency_id={team}&held_on={today}&kind=consumers&title={}&reached=3000",
                enc("Ngày hội người tiêu dùng")
            ),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = app.call("coverage", "as_of=", Some(&token)).await.json();
    let l = line(&report, name, "consumers").expect("the line is shown");
    assert_eq!(l["population"], 12000);
    assert_eq!(l["reached"], 3000);
    assert_eq!(l["events"], 1);
    assert_eq!(l["source"], "UBND xã, 10/2026");

    // Setting it again replaces the figure (one line, not two).
    app.call(
        "set_outreach_population",
        &format!("agency_id={team}&kind=consumers&population=15000&source=x"),
        Some(&token),
    )
    .await;
    let report = app.call("coverage", "as_of=", Some(&token)).await.json();
    let n = report["outreach"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["agency_name"] == name && l["kind"] == "consumers")
        .count();
    assert_eq!(n, 1);
    assert_eq!(line(&report, name, "consumers").unwrap()["population"], 15000);

    // Nonsense is refused in words; another team is out of reach.
    let r = app
        .call(
            "set_outreach_population",
            &format!("agency_id={team}&kind=consumers&population=0&source=x"),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tổng số phải từ 1"), "{}", r.body);
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let r = app
        .call(
            "set_outreach_population",
            &format!("agency_id={d2}&kind=sellers&population=10&source=x"),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

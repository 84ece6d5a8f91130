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

/// The outreach forms are plain form posts (the page has no island, so with JavaScript on or
/// off): the browser goes back to the dashboard it came from, which says "saved" or what is
/// wrong, in the right form, with every field as typed. Only our own dashboard is gone back to.
#[tokio::test]
async fn an_outreach_form_goes_back_to_the_dashboard_saying_what_happened_and_keeping_what_was_typed() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let team = app.agency_id("GL-QLTT-D01").await;
    let post = |path: &'static str, form: String, referer: &'static str| {
        let req = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::REFERER, referer)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("{}={token}", app::ssr::auth::COOKIE))
            .body(Body::from(form))
            .unwrap();
        app.send(req)
    };
    let today = app::ssr::clock::today();
    let dashboard = "http://127.0.0.1:3000/coverage?program=1&as_of=2026-11-01";

    // A title left empty: back to the same dashboard, the form open with the problem and
    // everything typed.
    let r = post(
        "/api/record_outreach",
        format!("agency_id={team}&held_on={today}&kind=consumers&title=%20&reached=77"),
        dashboard,
    )
    .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let to = r.location.clone().expect("sent back");
    assert!(
        to.starts_with("/coverage?program=1&as_of=2026-11-01&outreach=record.title"),
        "{to}"
    );
    let page = app.get(&to, Some(&token)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = common::visible_text(&page.body);
    assert!(text.contains("Ghi tên hoạt động (tối đa 200 ký tự)."), "{text}");
    assert!(
        page.body
            .contains(r#"<details open class="record-outreach"><summary>Ghi nhận"#),
        "the form is open: {}",
        page.body
            .match_indices("<details")
            .map(|(i, _)| &page.body[i..i + 60])
            .collect::<Vec<_>>()
            .join(" | ")
    );
    assert!(
        page.body.contains(r#"name="reached" type="number" min="0" value="77""#),
        "typed reach kept"
    );
    assert!(
        page.body.contains(r#"<option value="consumers" selected"#),
        "typed audience kept"
    );
    let report = app.call("coverage", "as_of=", Some(&token)).await.json();
    assert!(
        line(&report, "Đội Quản lý thị trường số 1", "consumers").is_none_or(|l| l["reached"] == 0),
        "nothing was recorded"
    );

    // A known population out of range.
    let r = post(
        "/api/set_outreach_population",
        format!("agency_id={team}&kind=sellers&population=0&source=S%E1%BB%9F"),
        dashboard,
    )
    .await;
    let to = r.location.clone().expect("sent back");
    assert!(to.contains("outreach=population.population"), "{to}");
    let page = app.get(&to, Some(&token)).await;
    let text = common::visible_text(&page.body);
    assert!(text.contains("Tổng số phải từ 1 đến 100 000 000."), "{text}");
    assert!(
        page.body.contains(r#"placeholder="Sở Công Thương, 10/2026""#) && page.body.contains(r#"value="Sở""#),
        "typed source kept"
    );

    // Saved: the dashboard says so, and shows the event.
    let r = post(
        "/api/record_outreach",
        format!(
            "agency_id={team}&held_on={today}&kind=consumers&title={}&reached=77",
            enc("Ngày hội người tiêu dùng")
        ),
        dashboard,
    )
    .await;
    let to = r.location.clone().expect("sent back");
    assert!(to.ends_with("outreach=record.saved#outreach"), "{to}");
    assert!(!to.contains("o."), "nothing typed is carried after a save: {to}");
    let page = app.get(&to, Some(&token)).await;
    assert!(common::visible_text(&page.body).contains("Đã lưu."));
    let report = app.call("coverage", "as_of=", Some(&token)).await.json();
    assert_eq!(
        line(&report, "Đội Quản lý thị trường số 1", "consumers").unwrap()["reached"],
        77
    );

    // Another site as the referrer: back to our own dashboard, not there.
    let r = post(
        "/api/record_outreach",
        format!("agency_id={team}&held_on={today}&kind=x&title=t&reached=1"),
        "https://evil.example/coverage?program=1",
    )
    .await;
    let want = format!(
        "/coverage?outreach=record.kind&o.agency={team}&o.date={today}&o.kind=x&o.title=t&o.reached=1#outreach"
    );
    assert_eq!(r.location.as_deref(), Some(want.as_str()));

    // An agency outside the manager's team: refused, and said so.
    let other = app.agency_id("GL-QLTT-D02").await;
    let r = post(
        "/api/record_outreach",
        format!("agency_id={other}&held_on={today}&kind=sellers&title=t&reached=1"),
        dashboard,
    )
    .await;
    assert!(
        r.location
            .as_deref()
            .is_some_and(|l| l.contains("outreach=record.forbidden")),
        "{:?}",
        r.location
    );
}

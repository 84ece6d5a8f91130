//! A manager sees only their agency subtree, through every server function that returns people.

mod common;
use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn a_team_manager_sees_only_their_team() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let d1 = app.agency_id("GL-QLTT-D01").await;
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let chi_cuc = app.agency_id("GL-QLTT").await;

    let tree = app.call("agencies", "", Some(&token)).await;
    assert_eq!(tree.status, StatusCode::OK);
    let rows = tree.json();
    let ids: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![d1], "[{}] only their own team", app.backend);

    let own = app
        .call("people", &format!("agency_id={d1}&search=&page=0"), Some(&token))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let own = own.json();
    assert!(own["total"].as_u64().unwrap() > 0);
    assert!(
        own["people"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["agency_id"].as_i64() == Some(d1))
    );

    for other in [d2, chi_cuc, 999_999] {
        let r = app
            .call("people", &format!("agency_id={other}&search=&page=0"), Some(&token))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{}] agency {other}", app.backend);
        assert!(!r.body.contains("full_name"), "no people leak in the refusal");
    }

    // get_person: someone in team 2 is out of reach, someone in team 1 is not.
    let quantri = app.sign_in_demo("quantri").await;
    let d2_people = app
        .call("people", &format!("agency_id={d2}&search=&page=0"), Some(&quantri))
        .await
        .json();
    let outsider = d2_people["people"][0]["id"].as_i64().unwrap();
    let r = app.call("person", &format!("id={outsider}"), Some(&token)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let insider = own["people"][0]["id"].as_i64().unwrap();
    let r = app.call("person", &format!("id={insider}"), Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_chi_cuc_manager_sees_every_team_with_rolled_up_counts_but_not_the_police() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly").await;
    let rows = app.call("agencies", "", Some(&token)).await.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 12, "the Chi cục and its 11 teams");
    assert_eq!(rows[0]["code"], "GL-QLTT", "the scope root comes first");
    let teams: Vec<String> = rows[1..]
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (1..=11).map(|i| format!("Đội Quản lý thị trường số {i}")).collect();
    assert_eq!(teams, expected, "teams in their numbered order, not text order");
    let sum_teams: i64 = rows[1..].iter().map(|r| r["people_total"].as_i64().unwrap()).sum();
    assert_eq!(
        rows[0]["people_total"].as_i64().unwrap(),
        rows[0]["people"].as_i64().unwrap() + sum_teams
    );
    let police = app.agency_id("GL-CA-PC03").await;
    let r = app
        .call("people", &format!("agency_id={police}&search=&page=0"), Some(&token))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn learners_and_trainers_cannot_list_people_at_all() {
    let app = TestApp::spawn().await;
    let d1 = app.agency_id("GL-QLTT-D01").await;
    for user in ["hocvien", "giangvien"] {
        let token = app.sign_in_demo(user).await;
        assert_eq!(
            app.call("agencies", "", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        let r = app
            .call("people", &format!("agency_id={d1}&search=&page=0"), Some(&token))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(
            app.call("admin_overview", "", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
}

#[tokio::test]
async fn a_manager_of_one_team_lands_on_its_people_and_a_larger_scope_picks_an_agency() {
    let app = TestApp::spawn().await;
    let team = app.sign_in_demo("quanly.doi1").await;
    let page = app.get("/coverage", Some(&team)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("aria-label=\"Cán bộ chưa đạt\""),
        "the team's officials not yet covered, without a click"
    );
    let province = app.sign_in_demo("quanly").await;
    let page = app.get("/coverage", Some(&province)).await;
    assert!(!page.body.contains("aria-label=\"Cán bộ chưa đạt\""));
    assert!(page.body.contains("Chọn một đơn vị để xem danh sách cán bộ chưa đạt"));
    // The server function says the same: no agency named = the team, or nothing.
    let r = app.call("coverage_missing", "as_of=", Some(&team)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["agency_id"], app.agency_id("GL-QLTT-D01").await);
    let r = app.call("coverage_missing", "as_of=", Some(&province)).await;
    assert_eq!(r.json(), serde_json::Value::Null);
}

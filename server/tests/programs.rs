//! Programs (targets) and exemptions written from the web, through the real router: the form
//! routes the browser posts to (JavaScript off and on; there is no other way to change them)
//! and the server functions that read them back.
//! Every test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

mod common;
use app::ssr::db::entities::{exemption, program, program_revision};
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A program form body as the browser sends it.
fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The demo's province-wide target for enforcement officials.
async fn da319(app: &TestApp) -> program::Model {
    program::Entity::find()
        .filter(program::Column::Code.eq("DA319-THUCTHI-2026"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("seeded")
}

async fn program_count(app: &TestApp) -> u64 {
    program::Entity::find().count(&app.state.db).await.unwrap()
}

/// The program form, filled in with `draft` (as the page renders it) and posted.
async fn save(app: &TestApp, token: &str, id: i64, draft: &Value) -> common::Resp {
    let d: app::domain::program::ProgramDraft = serde_json::from_value(draft.clone()).unwrap();
    let mut fields = vec![("id".to_string(), id.to_string())];
    fields.extend(d.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)));
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    app.post_form("/programs/save", &body, Some(token)).await
}

/// The exemption form on an official's record, posted.
async fn exempt(app: &TestApp, token: &str, program: i64, who: i64, reason: &str, approver: &str) -> common::Resp {
    app.post_form(
        &format!("/people/{who}/exemptions"),
        &format!(
            "program_id={program}&reason={}&approved_by={}",
            enc(reason),
            enc(approver)
        ),
        Some(token),
    )
    .await
}

async fn coverage(app: &TestApp, token: &str, program: i64, as_of: &str) -> Value {
    let r = app
        .call("coverage", &format!("program={program}&as_of={as_of}"), Some(token))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_manager_creates_a_target_for_their_team_and_coverage_counts_it() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let team = app.agency_id("GL-QLTT-D01").await;
    let before = program_count(&app).await;
    let body = form(&[
        ("id", ""),
        ("code", "DOI1-TMDT-2027"),
        ("name", "Đội 1: nghiệp vụ kiểm tra TMĐT"),
        ("description", "Theo KH 1122/KH-UBND"),
        ("root_agency_id", &team.to_string()),
        ("enforcement_only", "on"),
        ("courses", "d-kiem-tra-xu-ly-vi-pham"),
        ("rule", "all"),
        ("threshold_percent", "90"),
        ("deadline", "2027-06-30"),
        ("metric", "ever_completed"),
        ("active", "on"),
        ("reason", ""),
    ]);
    let r = app.post_form("/programs/save", &body, Some(&manager)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.location.clone().unwrap();
    assert!(to.ends_with("?saved=1"), "{to}");
    assert_eq!(program_count(&app).await, before + 1);
    let id: i64 = to
        .trim_start_matches("/programs/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();

    // The page shows it saved, with its values.
    let page = app.get(&to, Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đã lưu chỉ tiêu"), "saved notice");
    assert!(page.body.contains("DOI1-TMDT-2027"));

    // Coverage for the new target: the team's enforcement officials, threshold 90 %.
    let c = coverage(&app, &manager, id, "").await;
    assert_eq!(c["program"]["code"], "DOI1-TMDT-2027");
    assert_eq!(c["program"]["threshold_percent"], 90);
    let population = c["overall"]["population"].as_u64().unwrap();
    assert!(population > 0, "the team's enforcement officials are the population");
    // The province's manager sees the same target in their (larger) scope with the same count.
    let province = app.sign_in_demo("quanly").await;
    let c2 = coverage(&app, &province, id, "").await;
    assert_eq!(c2["overall"]["population"].as_u64().unwrap(), population);
    // The target's page shows the same count beside the rule.
    let ed = app
        .call("program_editor", &format!("id={id}"), Some(&manager))
        .await
        .json();
    assert_eq!(ed["today"]["population"].as_u64(), Some(population));

    let revs = program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].changed_by_name, "Phạm Văn Đức");
}

#[tokio::test]
async fn a_draft_with_problems_changes_nothing_and_comes_back_with_every_field() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly").await;
    let before = program_count(&app).await;
    let body = form(&[
        ("id", ""),
        ("code", "DA319-THUCTHI-2026"),
        ("name", "Chỉ tiêu thử"),
        ("root_agency_id", &app.agency_id("GL-QLTT").await.to_string()),
        ("positions", "Kiểm soát viên thị trường"),
        ("courses", "a-khung-phap-ly"),
        ("rule", "all"),
        ("threshold_percent", "120"),
        ("deadline", "31/12/2027"),
        ("metric", "valid_at_deadline"),
        ("active", "on"),
    ]);
    let r = app.post_form("/programs/save", &body, Some(&manager)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(program_count(&app).await, before, "nothing saved");
    let back = r.location.unwrap();
    assert!(back.starts_with("/programs/new?check=1&"), "{back}");
    // The form page, rendered on the server (JavaScript off), shows each problem and keeps
    // what was typed.
    let page = app.get(&back, Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(b.contains("Chưa lưu"), "summary");
    assert!(b.contains("đã dùng cho chỉ tiêu khác"), "code taken");
    assert!(b.contains("120%: ngưỡng phải từ 1 đến 100"), "threshold");
    assert!(
        b.contains("\"31/12/2027\" không phải ngày — ghi dạng yyyy-mm-dd"),
        "deadline"
    );
    assert!(b.contains("value=\"Chỉ tiêu thử\""), "name kept");
    assert!(b.contains("aria-invalid=\"true\""));

    // An empty form: every problem at once, each beside its field, and still nothing saved.
    let r = app
        .post_form(
            "/programs/save",
            &form(&[
                ("id", ""),
                ("root_agency_id", "1"),
                ("threshold_percent", "abc"),
                ("metric", "x"),
            ]),
            Some(&manager),
        )
        .await;
    let page = app.get(r.location.as_deref().unwrap(), Some(&manager)).await;
    for (field, said) in [
        ("code", "Ghi mã chỉ tiêu"),
        ("name", "Ghi tên"),
        ("threshold", "abc"),
        ("deadline", "yyyy-mm-dd"),
    ] {
        assert!(page.body.contains(said), "{field}: {said}");
    }
    assert!(
        page.body.matches("aria-invalid=\"true\"").count() >= 5,
        "code, name, root (GL-UBND is outside quanly's subtree), courses, threshold, deadline are marked"
    );
    assert_eq!(program_count(&app).await, before);
}

#[tokio::test]
async fn a_change_needs_a_reason_and_the_history_shows_what_changed() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let p = da319(&app).await;
    let ed = app.call("program_editor", &format!("id={}", p.id), Some(&admin)).await;
    assert_eq!(ed.status, StatusCode::OK, "{}", ed.body);
    let mut draft = ed.json()["draft"].clone();
    draft["threshold_percent"] = json!("95");
    let r = save(&app, &admin, p.id, &draft).await;
    let back = r.location.unwrap();
    assert!(back.starts_with(&format!("/programs/{}?check=1&", p.id)), "{back}");
    let page = app.get(&back, Some(&admin)).await;
    assert!(page.body.contains("Ghi lý do thay đổi"), "the reason is asked for");
    assert_eq!(da319(&app).await.threshold_percent, 100, "nothing saved without it");
    draft["reason"] = json!("Theo KH 1122/KH-UBND: 95% trong năm 2026");
    let r = save(&app, &admin, p.id, &draft).await;
    assert_eq!(r.location, Some(format!("/programs/{}?saved=1", p.id)));
    let c = coverage(&app, &admin, p.id, "").await;
    assert_eq!(c["program"]["threshold_percent"], 95);
    assert_eq!(
        c["rule_changed_after"],
        Value::Null,
        "today's view is under today's rule"
    );
    // A past date is computed with today's rule, and the dashboard says the rule changed since.
    let today = app::ssr::clock::today();
    let past = coverage(&app, &admin, p.id, &(today - chrono::Duration::days(30)).to_string()).await;
    assert_eq!(past["rule_changed_after"], json!(today.to_string()));

    let ed = app
        .call("program_editor", &format!("id={}", p.id), Some(&admin))
        .await
        .json();
    let history = ed["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "seeded revision + the change");
    assert_eq!(history[0]["by"], "Võ Thị Mai");
    assert_eq!(history[0]["reason"], "Theo KH 1122/KH-UBND: 95% trong năm 2026");
    assert_eq!(
        history[0]["changes"],
        json!([{"field": "Threshold", "before": "100%", "after": "95%"}])
    );
    // Saving the same again changes nothing and adds no revision.
    let r = save(&app, &admin, p.id, &draft).await;
    assert_eq!(r.location, Some(format!("/programs/{}?saved=1", p.id)));
    let n = program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(p.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn nobody_changes_a_target_above_their_level() {
    let app = TestApp::spawn().await;
    let p = da319(&app).await;
    let team = app.sign_in_demo("quanly.doi1").await;
    // The province-wide target: readable, not writable, for a team manager.
    let ed = app.call("program_editor", &format!("id={}", p.id), Some(&team)).await;
    assert_eq!(ed.status, StatusCode::OK);
    assert_eq!(ed.json()["can_edit"], false);
    let mut draft = ed.json()["draft"].clone();
    draft["threshold_percent"] = json!("10");
    draft["reason"] = json!("thử");
    let r = save(&app, &team, p.id, &draft).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let body = form(&[("id", &p.id.to_string()), ("threshold_percent", "10"), ("reason", "x")]);
    let r = app.post_form("/programs/save", &body, Some(&team)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let after = program::Entity::find_by_id(p.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.threshold_percent, 100, "unchanged");
    // A learner cannot use the API at all; signed out, the form sends to sign-in.
    let learner = app.sign_in_demo("hocvien").await;
    let r = app.call("programs", "", Some(&learner)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.post_form("/programs/save", &body, None).await;
    assert!(r.location.unwrap_or_default().starts_with("/sign-in"));
}

/// The first enforcement official of Đội 1 on the roster who is still missing the target.
async fn someone_missing(app: &TestApp, token: &str, program: i64) -> i64 {
    let team = app.agency_id("GL-QLTT-D01").await;
    let r = app
        .call(
            "coverage_missing",
            &format!("program={program}&agency_id={team}&as_of="),
            Some(token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["missing"][0]["id"].as_i64().expect("someone is missing")
}

#[tokio::test]
async fn an_exemption_leaves_the_base_from_today_and_a_withdrawal_brings_them_back() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let p = da319(&app).await;
    let who = someone_missing(&app, &manager, p.id).await;
    let yesterday = (app::ssr::clock::today() - chrono::Duration::days(1)).to_string();
    let today0 = coverage(&app, &manager, p.id, "").await["overall"].clone();
    let past0 = coverage(&app, &manager, p.id, &yesterday).await["overall"].clone();

    // Reason and approver are both required; nothing is written without them, and the form
    // comes back to the record with the problem.
    let r = exempt(&app, &manager, p.id, who, "", "").await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/people/{who}?program={}&error=reason", p.id).as_str())
    );
    let page = app.get(r.location.as_deref().unwrap(), Some(&manager)).await;
    assert!(
        page.body.contains("Ghi lý do miễn trừ"),
        "the problem is shown on the record"
    );
    let r = app
        .post_form(
            &format!("/people/{who}/exemptions"),
            &format!("program_id={}&reason={}&approved_by=", p.id, enc("Nghỉ thai sản")),
            Some(&manager),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/people/{who}?program={}&error=approver", p.id).as_str())
    );
    let page = app.get(r.location.as_deref().unwrap(), Some(&manager)).await;
    assert!(
        page.body.contains("Ghi người phê duyệt"),
        "the problem is shown on the record"
    );

    let r = app
        .post_form(
            &format!("/people/{who}/exemptions"),
            &format!(
                "program_id={}&reason={}&approved_by={}",
                p.id,
                enc("Nghỉ thai sản đến 30/6/2027"),
                enc("Chi cục trưởng — QĐ 15/QĐ-CCQLTT")
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/people/{who}?program={}&exempted=1", p.id).as_str())
    );
    let today1 = coverage(&app, &manager, p.id, "").await["overall"].clone();
    assert_eq!(today1["exempt"], today0["exempt"].as_u64().unwrap() + 1);
    assert_eq!(
        today1["population"], today0["population"],
        "still counted in the population"
    );
    assert_eq!(
        coverage(&app, &manager, p.id, &yesterday).await["overall"],
        past0,
        "yesterday's figures do not change"
    );
    // Listed apart in the drill-down, with reason and approver.
    let team = app.agency_id("GL-QLTT-D01").await;
    let m = app
        .call(
            "coverage_missing",
            &format!("program={}&agency_id={team}&as_of=", p.id),
            Some(&manager),
        )
        .await
        .json();
    let listed = m["exempt"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == who)
        .cloned()
        .unwrap();
    assert_eq!(listed["approved_by"], "Chi cục trưởng — QĐ 15/QĐ-CCQLTT");
    // Twice is refused, in words on the record.
    let r = exempt(&app, &manager, p.id, who, "x", "y").await;
    let back = r.location.unwrap();
    assert!(back.ends_with("&error=already"), "{back}");
    let page = app.get(&back, Some(&manager)).await;
    assert!(page.body.contains("đã được miễn trừ"), "shown on the record");

    // Withdrawn: back in the base today; the row stays as history.
    let ex = exemption::Entity::find()
        .filter(exemption::Column::PersonId.eq(who))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = app
        .post_form(
            &format!("/exemptions/{}/withdraw", ex.id),
            &format!(
                "reason={}&back={}",
                enc("Đã đi làm lại"),
                enc(&format!("/people/{who}"))
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/people/{who}?withdrawn=1").as_str())
    );
    let today2 = coverage(&app, &manager, p.id, "").await["overall"].clone();
    assert_eq!(today2, today0);
    let rows = exemption::Entity::find()
        .filter(exemption::Column::PersonId.eq(who))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].withdrawal_reason.as_deref(), Some("Đã đi làm lại"));
    // …and may be exempted again later (a new row).
    let r = exempt(&app, &manager, p.id, who, "x", "y").await;
    assert!(r.location.unwrap().ends_with("&exempted=1"));
    // The record lists both, in force and withdrawn.
    let rec = app
        .call("person_record", &format!("id={who}"), Some(&manager))
        .await
        .json();
    assert_eq!(rec["exemptions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn exemptions_are_refused_outside_the_subtree_for_oneself_and_outside_the_population() {
    let app = TestApp::spawn().await;
    let p = da319(&app).await;
    let province = app.sign_in_demo("quanly").await;
    let who = someone_missing(&app, &province, p.id).await;
    // An official of Đội 2, seen by Đội 1's manager: 403 and nothing written.
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let other = app
        .call(
            "coverage_missing",
            &format!("program={}&agency_id={d2}&as_of=", p.id),
            Some(&province),
        )
        .await
        .json()["missing"][0]["id"]
        .as_i64()
        .unwrap();
    let team = app.sign_in_demo("quanly.doi1").await;
    let r = exempt(&app, &team, p.id, other, "x", "y").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        exemption::Entity::find()
            .filter(exemption::Column::PersonId.eq(other))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    // A learner cannot exempt anyone, themself included.
    let learner = app.sign_in_demo("hocvien").await;
    let r = exempt(&app, &learner, p.id, who, "x", "y").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Someone outside the population (no enforcement duty): nothing to exempt.
    use app::ssr::db::entities::person;
    let admin = app.sign_in_demo("quantri").await;
    let ne = person::Entity::find()
        .filter(person::Column::Enforcement.eq(false))
        .filter(person::Column::Active.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo has officials without an enforcement duty");
    let r = exempt(&app, &admin, p.id, ne.id, "x", "y").await;
    let back = r.location.unwrap();
    assert!(back.ends_with("&error=not-in-population"), "{back}");
    let page = app.get(&back, Some(&admin)).await;
    assert!(page.body.contains("không thuộc đối tượng"), "shown on the record");
}

#[tokio::test]
async fn a_revoked_certificate_stops_counting_from_today_and_verifies_as_revoked() {
    use app::ssr::db::entities::{certificate, person};
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let p = da319(&app).await;
    let team = app.agency_id("GL-QLTT-D01").await;
    // Someone of Đội 1 covered today, and one of their certificates for a required course.
    let mut found = None;
    for who in person::Entity::find()
        .filter(person::Column::AgencyId.eq(team))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let rec = app
            .call("person_record", &format!("id={}", who.id), Some(&manager))
            .await
            .json();
        let standing = &rec["programs"][0];
        if standing["program_id"] == p.id && standing["status"] == "covered" {
            found = Some((
                who.id,
                standing["courses"][0]["certificate"].as_str().unwrap().to_string(),
            ));
            break;
        }
    }
    let (who, number) = found.expect("someone in Đội 1 is covered in the demo");
    let yesterday = (app::ssr::clock::today() - chrono::Duration::days(1)).to_string();
    let today0 = coverage(&app, &manager, p.id, "").await["overall"].clone();
    let past0 = coverage(&app, &manager, p.id, &yesterday).await["overall"].clone();

    // A reason is required (the form comes back with the problem); a learner may not revoke.
    let r = app
        .post_form(&format!("/certificates/{number}/revoke"), "reason=", Some(&manager))
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/people/{who}?revoke_error=reason&cert={number}").as_str())
    );
    let learner = app.sign_in_demo("hocvien").await;
    let r = app
        .post_form(&format!("/certificates/{number}/revoke"), "reason=x", Some(&learner))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = app
        .post_form(
            &format!("/certificates/{number}/revoke"),
            &format!("reason={}", enc("Gian lận khi làm bài — BB ngày 20/11/2026")),
            Some(&manager),
        )
        .await;
    assert_eq!(r.location.as_deref(), Some(format!("/people/{who}?revoked=1").as_str()));
    let today1 = coverage(&app, &manager, p.id, "").await["overall"].clone();
    assert_eq!(
        today1["covered"].as_u64().unwrap() + 1,
        today0["covered"].as_u64().unwrap(),
        "one fewer covered today"
    );
    assert_eq!(
        coverage(&app, &manager, p.id, &yesterday).await["overall"],
        past0,
        "the past stays"
    );
    let v = app
        .call("verify_certificate", &format!("number={number}"), None)
        .await
        .json();
    assert_eq!(v["status"], "Revoked");
    let row = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.as_str()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.revoked_by.is_some());
    // Twice is refused, in words on the record.
    let r = app
        .post_form(&format!("/certificates/{number}/revoke"), "reason=x", Some(&manager))
        .await;
    let back = r.location.unwrap();
    assert!(back.contains("revoke_error="), "{back}");
    let page = app.get(&back, Some(&manager)).await;
    assert!(page.body.contains("đã bị thu hồi"), "shown on the record");
}

#[tokio::test]
async fn a_manager_cannot_revoke_outside_their_subtree() {
    use app::ssr::db::entities::{certificate, person};
    let app = TestApp::spawn().await;
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let holder = person::Entity::find()
        .filter(person::Column::AgencyId.eq(d2))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect::<Vec<_>>();
    let cert = certificate::Entity::find()
        .filter(certificate::Column::PersonId.is_in(holder))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("Đội 2 holds certificates in the demo");
    let team1 = app.sign_in_demo("quanly.doi1").await;
    let r = app
        .post_form(
            &format!("/certificates/{}/revoke", cert.number),
            "reason=x",
            Some(&team1),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let after = certificate::Entity::find_by_id(cert.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(after.revoked_at.is_none());
}

//! Roles and scopes through the real router: several roles at once, a trainer of named courses,
//! a manager of several subtrees switching between them, granting and withdrawing with a
//! reason (a manager only inside their own subtree), every change recorded, a withdrawal that
//! counts on the next request, and the old single-role accounts carried over by the migration.

mod common;

use app::domain::identity::Role;
use app::ssr::db::entities::{account, person, role_grant};
use app::ssr::rights::{By, RightsError};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Resp, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn account_of(app: &TestApp, username: &str) -> account::Model {
    account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The sign-in name of an active official of the agency `code` (their account came with the roster).
async fn official_in(app: &TestApp, code: &str) -> account::Model {
    let agency = app.agency_id(code).await;
    let p = person::Entity::find()
        .filter(person::Column::AgencyId.eq(agency))
        .filter(person::Column::Active.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    account::Entity::find()
        .filter(account::Column::PersonId.eq(p.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Gives a roster official (no password yet) one, and signs them in.
async fn signed_in_as(app: &TestApp, acc: &account::Model) -> String {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let hash = app::ssr::auth::hash_password("mot-mat-khau-dai-2026".into())
        .await
        .unwrap();
    let mut am: account::ActiveModel = acc.clone().into();
    am.password_hash = Set(hash);
    am.update(&app.state.db).await.unwrap();
    app.sign_in(&acc.username, "mot-mat-khau-dai-2026")
        .await
        .expect("signs in")
}

async fn grant(app: &TestApp, token: &str, form: &str) -> Resp {
    app.post_form("/rights/grant", form, Some(token)).await
}

/// A server function called with the session and a chosen subtree (the `/scope` cookie).
async fn call_in_scope(app: &TestApp, endpoint: &str, token: &str, scope: i64) -> Resp {
    let req = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::COOKIE,
            format!(
                "{}={token}; {}={scope}",
                app::ssr::auth::COOKIE,
                app::ssr::auth::SCOPE_COOKIE
            ),
        )
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

fn codes(agencies: &serde_json::Value) -> Vec<String> {
    agencies
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_admin_grants_a_trainer_one_course_and_the_trainer_sees_only_that_course() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let official = official_in(&app, "GL-QLTT-D01").await;
    // Lệnh: trainer of one course, with the decision that appointed them.
    let r = grant(
        &app,
        &admin,
        &format!(
            "username={}&role=trainer&agency_id=&course_id=a-khung-phap-ly&reason=Quyết+định+phân+công+giảng+viên+số+12",
            official.username
        ),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?done=granted"), "{}", r.body);
    // The official (still a learner) now also holds the trainer role.
    let token = signed_in_as(&app, &official).await;
    let me = app.call("whoami", "", Some(&token)).await.json();
    assert_eq!(me["user"]["roles"], serde_json::json!(["learner", "trainer"]));
    assert_eq!(me["user"]["role"], "trainer");
    let lib = app.call("library_status", "", Some(&token)).await.json();
    let ids: Vec<&str> = lib["courses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-khung-phap-ly"], "a trainer of one course sees that course");
    // …and edits only that course in the browser editor.
    let mine = app
        .call("editor_file", "course=a-khung-phap-ly&name=exam.md", Some(&token))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    let other = app
        .call("editor_file", "course=b-hang-gia-che-tai&name=exam.md", Some(&token))
        .await;
    assert_eq!(
        other.status,
        StatusCode::FORBIDDEN,
        "another course's sources hold its key"
    );
    for form in ["save", "publish", "discard"] {
        let r = app
            .post_form(
                &format!("/editor/b-hang-gia-che-tai/{form}"),
                "file=exam.md&text=x&kind=minor&reason=x",
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{form}");
    }
    // The demo trainer holds every course.
    let all = app.sign_in_demo("giangvien").await;
    let lib = app.call("library_status", "", Some(&all)).await.json();
    assert!(lib["courses"].as_array().unwrap().len() >= 6);
    // A course that does not exist is refused with its own message, and nothing is recorded.
    let r = grant(
        &app,
        &admin,
        &format!(
            "username={}&role=trainer&course_id=khong-co&reason=x",
            official.username
        ),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=no-course"));
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(official.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].reason, "Quyết định phân công giảng viên số 12");
    assert_eq!(rows[0].granted_by, Some(account_of(&app, "quantri").await.id));
}

#[tokio::test]
async fn several_roles_at_once_open_each_role_s_pages() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let r = grant(
        &app,
        &admin,
        &format!(
            "username=giangvien&role=manager&agency_id={}&reason=Kiêm+nhiệm",
            app.agency_id("GL-QLTT-D02").await
        ),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?done=granted"), "{}", r.body);
    let token = app.sign_in_demo("giangvien").await;
    let me = app.call("whoami", "", Some(&token)).await.json();
    assert_eq!(
        me["user"]["roles"],
        serde_json::json!(["learner", "trainer", "manager"])
    );
    assert_eq!(me["user"]["scope_name"], "Đội Quản lý thị trường số 2");
    // Trainer's page and manager's page, both.
    assert_eq!(app.call("library_status", "", Some(&token)).await.status, 200);
    let agencies = app.call("agencies", "", Some(&token)).await.json();
    assert_eq!(codes(&agencies), ["GL-QLTT-D02"]);
    // The navigation is the union of both roles'.
    let page = app.get("/coverage", Some(&token)).await.body;
    for link in ["href=\"/content\"", "href=\"/coverage\"", "href=\"/rights\""] {
        assert!(page.contains(link), "{link} in the navigation");
    }
}

#[tokio::test]
async fn a_manager_of_two_subtrees_switches_between_them_and_sees_only_the_one_in_view() {
    let app = TestApp::spawn().await;
    let team = account_of(&app, "quanly.doi1").await;
    let police = app.agency_id("GL-CA-PC03").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    app::ssr::rights::ensure(
        &app.state.db,
        team.id,
        Role::Manager,
        Some(police),
        None,
        "Kiêm nhiệm",
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let token = app.sign_in_demo("quanly.doi1").await;
    let me = app.call("whoami", "", Some(&token)).await.json();
    assert_eq!(me["user"]["scopes"].as_array().unwrap().len(), 2);
    // The first subtree by default.
    assert_eq!(
        codes(&app.call("agencies", "", Some(&token)).await.json()),
        ["GL-QLTT-D01"]
    );
    // `/scope/{id}` remembers the choice and goes back.
    let r = app.get(&format!("/scope/{police}"), Some(&token)).await;
    assert!(
        r.set_cookie
            .iter()
            .any(|c| c.starts_with(&format!("taphuan_scope={police};"))),
        "{:?}",
        r.set_cookie
    );
    let in_police = codes(&call_in_scope(&app, "agencies", &token, police).await.json());
    assert_eq!(in_police, ["GL-CA-PC03"]);
    assert_eq!(
        codes(&call_in_scope(&app, "agencies", &token, team1).await.json()),
        ["GL-QLTT-D01"]
    );
    // A subtree that is not theirs is not granted by the cookie: back to their first.
    let province = app.agency_id("GL-UBND").await;
    assert_eq!(
        codes(&call_in_scope(&app, "agencies", &token, province).await.json()),
        ["GL-QLTT-D01"]
    );
    // The header offers the switch (links, so it works without JavaScript).
    let page = app.get("/coverage", Some(&token)).await.body;
    assert!(
        page.contains(&format!("href=\"/scope/{police}\"")),
        "the scope switch is on the page"
    );
}

#[tokio::test]
async fn a_manager_grants_the_manager_role_only_inside_their_subtree_and_every_change_is_recorded() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly").await; // Chi cục QLTT
    let inside = official_in(&app, "GL-QLTT-D01").await;
    let outsider = official_in(&app, "GL-CA-PC03").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    let police = app.agency_id("GL-CA-PC03").await;

    // Outside their subtree: the agency, or the person, or another role — refused, nothing written.
    for form in [
        format!("username={}&role=manager&agency_id={police}&reason=x", inside.username),
        format!("username={}&role=manager&agency_id={team1}&reason=x", outsider.username),
        format!("username={}&role=trainer&agency_id=&reason=x", inside.username),
        format!("username={}&role=admin&agency_id=&reason=x", inside.username),
    ] {
        let r = grant(&app, &manager, &form).await;
        assert_eq!(r.status, 403, "{form}: {}", r.body);
    }
    // No reason: said so.
    let r = grant(
        &app,
        &manager,
        &format!("username={}&role=manager&agency_id={team1}&reason=+", inside.username),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=needs-reason"));
    assert_eq!(
        role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.is_in([inside.id, outsider.id]))
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        0
    );

    // Inside: granted, and the new manager sees their team at once.
    let r = grant(
        &app,
        &manager,
        &format!(
            "username={}&role=manager&agency_id={team1}&reason=Phó+đội+trưởng",
            inside.username
        ),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?done=granted"), "{}", r.body);
    let deputy = signed_in_as(&app, &inside).await;
    assert_eq!(
        codes(&app.call("agencies", "", Some(&deputy)).await.json()),
        ["GL-QLTT-D01"]
    );

    // The rights page lists it, with who granted it and why.
    let page = app.call("rights_page", "", Some(&manager)).await.json();
    let held = page["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["username"] == inside.username.as_str())
        .expect("listed")
        .clone();
    assert_eq!(held["reason"], "Phó đội trưởng");
    assert_eq!(held["role"], "manager");
    assert_eq!(held["may_withdraw"], true);
    assert_eq!(page["grantable"], serde_json::json!(["manager"]));
    // A manager does not see rights outside their subtree (the admin's, the police's).
    assert!(
        page["grants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["role"] == "manager"),
        "{page}"
    );

    // Withdrawn with a reason: the deputy's next request already lacks the right.
    let id = held["id"].as_i64().unwrap();
    let r = app
        .post_form(&format!("/rights/{id}/withdraw"), "reason=", Some(&manager))
        .await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=needs-reason"));
    let r = app
        .post_form(
            &format!("/rights/{id}/withdraw"),
            "reason=Chuyển+công+tác",
            Some(&manager),
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/rights?done=withdrawn"));
    assert_eq!(app.call("agencies", "", Some(&deputy)).await.status, 403);
    let row = role_grant::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.revoke_reason.as_deref(), Some("Chuyển công tác"));
    assert_eq!(row.revoked_by, Some(account_of(&app, "quanly").await.id));
    assert!(row.revoked_at.is_some());
    // Withdrawn twice: no such right any more.
    let r = app
        .post_form(&format!("/rights/{id}/withdraw"), "reason=x", Some(&manager))
        .await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=no-grant"));

    // Nobody withdraws their own right; the team manager may not touch the Chi cục's.
    let own = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_of(&app, "quanly").await.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = app
        .post_form(&format!("/rights/{}/withdraw", own.id), "reason=x", Some(&manager))
        .await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=own"));
    let team_manager = app.sign_in_demo("quanly.doi1").await;
    let r = app
        .post_form(&format!("/rights/{}/withdraw", own.id), "reason=x", Some(&team_manager))
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn the_last_admin_keeps_the_right_and_learners_get_no_grant() {
    let app = TestApp::spawn().await;
    let admin = account_of(&app, "quantri").await;
    let g = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(admin.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let e = app::ssr::rights::withdraw(&app.state.db, By::Cli, g.id, "thử").await;
    assert!(matches!(e, Err(RightsError::LastAdmin)), "{e:?}");
    let token = app.sign_in_demo("quantri").await;
    let r = grant(&app, &token, "username=hocvien&role=learner&reason=x").await;
    assert_eq!(r.location.as_deref(), Some("/rights?error=learner"));
    // With a second admin, the first one's right may go (by someone else).
    let second = official_in(&app, "GL-SCT").await;
    let r = grant(
        &app,
        &token,
        &format!("username={}&role=admin&reason=Quản+trị+dự+phòng", second.username),
    )
    .await;
    assert_eq!(r.location.as_deref(), Some("/rights?done=granted"));
    app::ssr::rights::withdraw(&app.state.db, By::Cli, g.id, "Nghỉ hưu")
        .await
        .unwrap();
    assert!(app.sign_in("quantri", app::ssr::seed::DEMO_PASSWORD).await.is_some());
    let me = app.call("whoami", "", Some(&token)).await.json();
    assert_eq!(
        me["user"]["roles"],
        serde_json::json!(["learner"]),
        "the old admin is a learner now"
    );
}

#[tokio::test]
async fn accounts_of_the_single_role_schema_become_grants() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let (url, _) = common::fresh_database_url().await;
    let db = sea_orm::Database::connect(&url).await.unwrap();
    // The schema as it was before rights became grants.
    Migrator::up(&db, Some(10)).await.unwrap();
    let now = chrono::Utc::now();
    let unit = app::ssr::db::entities::agency::ActiveModel {
        code: Set("X".into()),
        name: Set("Đơn vị X".into()),
        kind: Set("doi".into()),
        parent_id: Set(None),
        path: Set("/1/".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let mk = |name: &'static str, role: &'static str, scope: Option<i64>| {
        let db = db.clone();
        async move {
            // Only the id comes back: the entity has columns later migrations add.
            account::Entity::insert(account::ActiveModel {
                username: Set(name.into()),
                password_hash: Set(String::new()),
                role: Set(role.into()),
                person_id: Set(None),
                scope_agency_id: Set(scope),
                token_version: Set(0),
                disabled: Set(false),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(&db)
            .await
            .unwrap()
            .last_insert_id
        }
    };
    let m = mk("old.manager", "manager", Some(unit.id)).await;
    let t = mk("old.trainer", "trainer", None).await;
    let a = mk("old.admin", "admin", None).await;
    let l = mk("old.learner", "learner", None).await;
    Migrator::up(&db, None).await.unwrap();
    let held = |id| app::ssr::rights::held(&db, id);
    let hm = held(m).await.unwrap();
    assert_eq!(hm.roles, [Role::Learner, Role::Manager]);
    assert_eq!(hm.scopes[0].agency_id, unit.id);
    assert_eq!(held(t).await.unwrap().roles, [Role::Learner, Role::Trainer]);
    assert_eq!(held(a).await.unwrap().roles, [Role::Learner, Role::Admin]);
    assert_eq!(held(l).await.unwrap().roles, [Role::Learner]);
    // The old columns no longer say anything.
    let left = account::Entity::find().all(&db).await.unwrap();
    assert!(left.iter().all(|a| a.role == "learner" && a.scope_agency_id.is_none()));
}

//! Every official on the roster can sign in: accounts made by the roster import, activation
//! codes printed by a manager, the first sign-in that makes the official choose a password,
//! password resets inside the manager's subtree only, and leavers who can no longer sign in.
//! Through the real router, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

mod common;
use app::ssr::db::entities::{account, account_code, person};
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Imports `csv` as `token` (an update) and applies it.
async fn import(app: &TestApp, token: &str, csv: &str) -> serde_json::Value {
    let r = app.upload(token, "roster", "danh-sach.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(token))
        .await
        .json();
    // Leavers confirmed by their number, as the page asks when many of a unit leave.
    let confirm = preview["leavers"].as_u64().unwrap_or(0);
    let applied = app
        .post_form("/roster/apply", &format!("upload={id}&confirm={confirm}"), Some(token))
        .await;
    assert!(
        !applied.location.clone().unwrap_or_default().contains("error"),
        "{:?}",
        applied.location
    );
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    preview
}

async fn account_of(app: &TestApp, code: &str) -> Option<account::Model> {
    account::Entity::find()
        .filter(account::Column::Username.eq(code.to_lowercase()))
        .one(&app.state.db)
        .await
        .unwrap()
}

/// The codes on a printed sheet, in order: (sign-in name, code).
fn slips(html: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    for part in html.split("<section class=\"slip\">").skip(1) {
        let field = |label: &str| {
            let after = part.split(&format!("<dt>{label}</dt><dd class=\"mono")).nth(1).unwrap();
            let v = after.split('>').nth(1).unwrap();
            v.split('<').next().unwrap().to_string()
        };
        out.push((field("Tên đăng nhập"), field("Mã kích hoạt")));
    }
    out
}

/// The unit's activation codes, as `token` asks for them (`print` or `xlsx`).
async fn codes(app: &TestApp, token: &str, agency: i64, format: &str) -> common::Resp {
    app.post_form(
        "/accounts/codes",
        &format!("agency_id={agency}&format={format}"),
        Some(token),
    )
    .await
}

async fn activate(app: &TestApp, username: &str, code: &str, password: &str) -> common::Resp {
    app.post_form(
        "/auth/activate",
        &format!(
            "username={}&code={}&password={}",
            enc(username),
            enc(code),
            enc(password)
        ),
        None,
    )
    .await
}

const NEW_OFFICIALS: &str = "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi\n\
GL97001,Đặng Thị Mới,GL-QLTT-D01,Kiểm soát viên thị trường,có\n\
GL97002,Lý Văn Mới,GL-QLTT-D01,Kiểm soát viên thị trường,có\n";

#[tokio::test]
async fn an_imported_official_signs_in_with_a_printed_code_and_must_choose_a_good_password() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let preview = import(&app, &manager, NEW_OFFICIALS).await;
    assert_eq!(preview["accounts_new"], 2, "{preview}");
    // Accounts made in the import: sign-in name = the official's code, linked, no password.
    let acc = account_of(&app, "GL97001")
        .await
        .expect("an account for the new official");
    assert_eq!(acc.role, "learner");
    assert!(acc.password_hash.is_empty());
    assert!(!acc.disabled);
    let p = person::Entity::find_by_id(acc.person_id.unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.code, "GL97001");
    // Without a code, the account cannot be used (same answer as a wrong password).
    assert!(app.sign_in("gl97001", "").await.is_none());

    // The manager prints the unit's codes: one slip per official without a password.
    let team = app.agency_id("GL-QLTT-D01").await;
    let sheet = codes(&app, &manager, team, "print").await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);
    assert!(sheet.body.contains("Phiếu mã kích hoạt tài khoản"));
    assert!(sheet.body.contains("Đặng Thị Mới") && sheet.body.contains("/activate"));
    let printed = slips(&sheet.body);
    let (user, code) = printed
        .iter()
        .find(|(u, _)| u == "gl97001")
        .cloned()
        .expect("a slip for the new official");
    assert_eq!(code.len(), 14, "XXXX-XXXX-XXXX: {code}");
    // Stored only as a hash.
    let stored = account_code::Entity::find().all(&app.state.db).await.unwrap();
    assert!(stored.iter().all(|c| !c.code_hash.contains(&code.replace('-', ""))));

    // A common password is refused in words, and the code still works afterwards.
    let r = activate(&app, &user, &code, "123456789").await;
    let back = r.location.clone().unwrap();
    assert!(back.starts_with("/activate?u=gl97001&error=common"), "{back}");
    let page = app.get(&back, None).await;
    assert!(page.body.contains("quá phổ biến"), "the reason is shown");
    let r = activate(&app, &user, &code, "ngắn").await;
    assert!(r.location.unwrap().contains("error=short8"));
    let r = activate(&app, &user, &code, "gl97001-pleiku").await;
    assert!(
        r.location.unwrap().contains("error=personal"),
        "the sign-in name inside is refused"
    );

    // Typed loosely (lower case, spaces), with a good password: signed in, on their courses.
    let loose = code.to_lowercase().replace('-', " ");
    let r = activate(&app, &user, &loose, "rừng cà phê Pleiku mùa mưa").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/learn"));
    let session = r.session_cookie().expect("a session");
    let me = app.call("whoami", "", Some(&session)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert!(
        me.body.contains("gl97001") || me.body.contains("Đặng Thị Mới"),
        "{}",
        me.body
    );
    let courses = app.call("my_courses", "", Some(&session)).await;
    assert_eq!(courses.status, StatusCode::OK, "{}", courses.body);
    assert!(courses.json()["learner"] == true, "an official who can learn");
    // Recorded: the password set with a code.
    use app::ssr::db::entities::sign_in_event;
    let events = sign_in_event::Entity::find()
        .filter(sign_in_event::Column::AccountId.eq(acc.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events.iter().map(|e| e.outcome.as_str()).collect::<Vec<_>>(), ["code"]);
    // The code works once; the password now signs in.
    let r = activate(&app, &user, &code, "một câu khác hẳn dài dài").await;
    assert!(r.location.unwrap().contains("error=code"));
    assert!(
        app.sign_in("gl97001", &enc("rừng cà phê Pleiku mùa mưa"))
            .await
            .is_some()
    );

    // Printing again issues new codes and voids the old sheet; the activated official is no
    // longer on it.
    let (_, old) = printed.iter().find(|(u, _)| u == "gl97002").cloned().unwrap();
    let again = codes(&app, &manager, team, "print").await;
    let again = slips(&again.body);
    assert!(again.iter().all(|(u, _)| u != "gl97001"));
    let (_, new) = again.iter().find(|(u, _)| u == "gl97002").cloned().unwrap();
    assert_ne!(old, new);
    let r = activate(&app, "gl97002", &old, "rừng cà phê Pleiku mùa mưa").await;
    assert!(r.location.unwrap().contains("error=code"), "the voided code is refused");
    let r = activate(&app, "gl97002", &new, "rừng cà phê Pleiku mùa mưa").await;
    assert_eq!(r.location.as_deref(), Some("/learn"));
}

#[tokio::test]
async fn codes_expire_and_a_manager_prints_only_inside_their_subtree() {
    let app = TestApp::spawn_with(|c| c.code_days = 30).await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    import(&app, &manager, NEW_OFFICIALS).await;
    let team = app.agency_id("GL-QLTT-D01").await;
    let police = app.agency_id("GL-CA-PC03").await;
    let r = codes(&app, &manager, police, "print").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let learner = app.sign_in_demo("hocvien").await;
    let r = codes(&app, &learner, team, "print").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The same codes as a workbook: one row per official, with their sign-in name.
    let x = codes(&app, &manager, team, "xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(x.bytes.clone())).expect("an .xlsx");
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    assert!(
        strings.contains("gl97002") && strings.contains("Mã kích hoạt"),
        "{strings}"
    );
    let sheet = codes(&app, &manager, team, "print").await;
    let (user, code) = slips(&sheet.body).into_iter().find(|(u, _)| u == "gl97002").unwrap();
    // 31 days later the code has expired.
    let _later = app::ssr::clock::freeze(chrono::Utc::now() + chrono::Duration::days(31));
    let r = activate(&app, &user, &code, "rừng cà phê Pleiku mùa mưa").await;
    assert!(r.location.unwrap().contains("error=code"), "expired");
}

#[tokio::test]
async fn a_manager_resets_a_password_in_their_subtree_only_and_old_sessions_end() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let learner = app.sign_in_demo("hocvien").await;
    let who = account_of(&app, "hocvien").await.unwrap().person_id.unwrap();
    let r = app
        .post_form(&format!("/people/{who}/reset-code"), "", Some(&manager))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Mã đặt lại mật khẩu"));
    // The learner's old session has ended.
    let me = app.call("my_courses", "", Some(&learner)).await;
    assert_ne!(me.status, StatusCode::OK, "the old session no longer works");
    // The code on the slip sets a new password.
    let code = r
        .body
        .split("<dt>Mã đặt lại</dt><dd class=\"mono code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let r = activate(&app, "hocvien", &code, "mưa rừng Kon Tum tháng bảy").await;
    assert_eq!(r.location.as_deref(), Some("/learn"));
    assert!(
        app.sign_in("hocvien", app::ssr::seed::DEMO_PASSWORD).await.is_none(),
        "the old password is gone"
    );

    // Outside the subtree: refused, nothing issued.
    let police = app.agency_id("GL-CA-PC03").await;
    let outsider = person::Entity::find()
        .filter(person::Column::AgencyId.eq(police))
        .filter(person::Column::Active.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let before = account_code::Entity::find().count(&app.state.db).await.unwrap();
    let r = app
        .post_form(&format!("/people/{}/reset-code", outsider.id), "", Some(&manager))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(account_code::Entity::find().count(&app.state.db).await.unwrap(), before);
}

#[tokio::test]
async fn a_leaver_cannot_sign_in_but_their_records_stay_and_a_return_restores_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let learner = app.sign_in_demo("hocvien").await;
    let acc = account_of(&app, "hocvien").await.unwrap();
    let p = person::Entity::find_by_id(acc.person_id.unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // A course completed with a certificate before leaving.
    common::certify(&app.state.db, p.id, "e-to-chuc-luc-luong-qltt").await;
    let rec_before = app
        .call("person_record", &format!("id={}", p.id), Some(&admin))
        .await
        .json();
    let certs_before = rec_before["certificates"].as_array().map_or(0, |c| c.len());
    // The roster says they left (an end date in an update).
    let agency_code = "GL-QLTT-D01";
    // The official's roster line, with an end date or without.
    let line = |end: &str| {
        format!(
            "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi,ngày kết thúc\n{},{},{agency_code},{},{},{end}\n",
            p.code,
            p.full_name,
            p.position,
            if p.enforcement { "có" } else { "không" }
        )
    };
    let left = line("01/12/2026");
    let pv = import(&app, &admin, &left).await;
    assert_eq!(pv["leavers"], 1, "{pv}");
    let p2 = person::Entity::find_by_id(p.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!p2.active, "person left");
    let acc = account_of(&app, "hocvien").await.unwrap();
    assert!(acc.disabled, "the leaver's account is disabled");
    assert_eq!(acc.disabled_reason.as_deref(), Some("left"));
    assert!(app.sign_in("hocvien", app::ssr::seed::DEMO_PASSWORD).await.is_none());
    assert_ne!(app.call("my_courses", "", Some(&learner)).await.status, StatusCode::OK);
    // Their completions and certificates are still in the reports.
    let rec = app
        .call("person_record", &format!("id={}", p.id), Some(&admin))
        .await
        .json();
    assert_eq!(rec["certificates"].as_array().map_or(0, |c| c.len()), certs_before);
    assert!(certs_before > 0, "the demo learner holds certificates");
    // Back on the roster: the same account works again.
    let back = line("");
    import(&app, &admin, &back).await;
    let acc = account_of(&app, "hocvien").await.unwrap();
    assert!(!acc.disabled);
    assert!(app.sign_in("hocvien", app::ssr::seed::DEMO_PASSWORD).await.is_some());
}

#[tokio::test]
async fn with_email_configured_an_official_asks_for_a_reset_link_and_nobody_learns_who_exists() {
    let (port, inbox) = common::smtp_sink().await;
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let acc = account_of(&app, "hocvien").await.unwrap();
    person::Entity::update_many()
        .col_expr(
            person::Column::Email,
            sea_orm::sea_query::Expr::value("hocvien@qltt.gialai.gov.vn"),
        )
        .filter(person::Column::Id.eq(acc.person_id.unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
    let old_session = app.sign_in_demo("hocvien").await;
    // The same answer for an existing account, an unknown one and one without an address.
    let asked = app.post_form("/auth/forgot", "username=hocvien", None).await;
    let unknown = app.post_form("/auth/forgot", "username=khong-ai-ca", None).await;
    let staff = app.post_form("/auth/forgot", "username=quanly", None).await;
    for r in [&asked, &unknown, &staff] {
        assert_eq!(r.location.as_deref(), Some("/activate?sent=1"));
    }
    let mails = inbox.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "only the account with an address gets a link");
    let (to, data) = &mails[0];
    assert_eq!(to, "hocvien@qltt.gialai.gov.vn");
    // Asking does not sign anyone out (anyone may ask in someone's name).
    assert_eq!(
        app.call("my_courses", "", Some(&old_session)).await.status,
        StatusCode::OK
    );
    // Asking again at once sends nothing more.
    app.post_form("/auth/forgot", "username=hocvien", None).await;
    assert_eq!(inbox.lock().unwrap().len(), 1);
    // The link carries the code; the page fills it in; a new password signs in.
    let unfolded = common::mail_text(data);
    let link = unfolded
        .split("/activate?u=hocvien&code=")
        .nth(1)
        .unwrap_or_else(|| panic!("a reset link in the e-mail:\n{data}"));
    let code: String = link.chars().take(14).collect();
    let page = app.get(&format!("/activate?u=hocvien&code={code}"), None).await;
    assert!(
        page.body.contains(&format!("value=\"{code}\"")),
        "the code is filled in"
    );
    let r = activate(&app, "hocvien", &code, "trăng rằm trên biển Quy Nhơn").await;
    assert_eq!(r.location.as_deref(), Some("/learn"));
    assert_ne!(
        app.call("my_courses", "", Some(&old_session)).await.status,
        StatusCode::OK,
        "using the link ends the old sessions"
    );
}

#[tokio::test]
async fn without_email_the_forgot_form_is_not_offered_and_says_to_ask_the_manager() {
    let app = TestApp::spawn().await;
    let page = app.get("/activate", None).await;
    assert!(!page.body.contains("action=\"/auth/forgot\""));
    let r = app.post_form("/auth/forgot", "username=hocvien", None).await;
    assert_eq!(r.location.as_deref(), Some("/activate?error=nomail"));
    assert_eq!(
        account_code::Entity::find().count(&app.state.db).await.unwrap(),
        0,
        "no code is made"
    );
}

/// A sign-in code sets the account's password, so a manager may issue one only for an account
/// whose every right they could have granted: not for a trainer of their subtree, nor for
/// someone managing a wider or another subtree. An administrator may.
#[tokio::test]
async fn a_manager_cannot_take_over_an_account_that_holds_rights_they_could_not_grant() {
    use app::domain::identity::Role;
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    import(&app, &manager, NEW_OFFICIALS).await;
    let team = app.agency_id("GL-QLTT-D01").await;
    let province = app.agency_id("GL-QLTT").await;
    // hocvien (activated) becomes a trainer; GL97001 (not yet activated) manages the province's
    // market surveillance, above the manager's team; GL97002 manages the team itself.
    let db = &app.state.db;
    let trainer = account_of(&app, "hocvien").await.unwrap();
    app::ssr::rights::ensure(db, trainer.id, Role::Trainer, None, None, "giảng dạy", None)
        .await
        .unwrap();
    let wider = account_of(&app, "GL97001").await.unwrap();
    app::ssr::rights::ensure(db, wider.id, Role::Manager, Some(province), None, "quản lý", None)
        .await
        .unwrap();
    let same = account_of(&app, "GL97002").await.unwrap();
    app::ssr::rights::ensure(db, same.id, Role::Manager, Some(team), None, "quản lý đội", None)
        .await
        .unwrap();
    let before = account_code::Entity::find().count(db).await.unwrap();

    for who in [&trainer, &wider] {
        let r = app
            .post_form(
                &format!("/people/{}/reset-code", who.person_id.unwrap()),
                "",
                Some(&manager),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", who.username);
        assert!(r.body.contains("chỉ quản trị viên"), "{}", r.body);
    }
    assert_eq!(
        account_code::Entity::find().count(db).await.unwrap(),
        before,
        "no code issued"
    );
    // The unit's activation sheet leaves the wider manager out and says so; the team's own
    // manager (a right the issuer could grant) gets a slip.
    let sheet = codes(&app, &manager, team, "print").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let names: Vec<String> = slips(&sheet.body).into_iter().map(|(u, _)| u).collect();
    assert!(!names.contains(&"gl97001".to_string()), "{names:?}");
    assert!(names.contains(&"gl97002".to_string()), "{names:?}");
    assert!(
        sheet.body.contains("1 tài khoản không có phiếu ở đây"),
        "{}",
        sheet.body
    );
    // Nor may the manager point the trainer's e-mail (where a reset link goes) elsewhere with
    // a roster; the team's own manager's address they may change.
    let trainer_person = person::Entity::find_by_id(trainer.person_id.unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let file = format!(
        "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi,email\n\
         {},{},GL-QLTT-D01,{},có,ke.gian@example.com\n\
         GL97002,Lý Văn Mới,GL-QLTT-D01,Kiểm soát viên thị trường,có,ly.van.moi@example.com\n",
        trainer_person.code, trainer_person.full_name, trainer_person.position
    );
    let r = app.upload(&manager, "roster", "danh-sach.csv", file.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&manager))
        .await
        .json();
    let errors = preview["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{preview}");
    assert!(
        errors[0].as_str().unwrap().starts_with("dòng 2: cán bộ") && errors[0].as_str().unwrap().contains("e-mail"),
        "{errors:?}"
    );
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&manager))
        .await;
    let after = person::Entity::find_by_id(trainer_person.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.email, trainer_person.email, "the address is unchanged");
    let same_file = "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi,email\n\
         GL97002,Lý Văn Mới,GL-QLTT-D01,Kiểm soát viên thị trường,có,ly.van.moi@example.com\n";
    import(&app, &manager, same_file).await;
    let moi = person::Entity::find_by_id(same.person_id.unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moi.email.as_deref(), Some("ly.van.moi@example.com"));
    // An administrator may.
    let admin = app.sign_in_demo("quantri").await;
    let r = app
        .post_form(
            &format!("/people/{}/reset-code", trainer.person_id.unwrap()),
            "",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

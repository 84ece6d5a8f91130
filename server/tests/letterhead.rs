//! Letterheads through the real router: the form saves an agency's issuing identity and the
//! printed coverage report carries it (its own agency's, else the nearest ancestor's, else dots
//! and a notice of where to set one); only an admin or a manager of the agency's subtree may set
//! one; a bad draft comes back with a clear error and changes nothing.

mod common;

use app::ssr::db::entities::agency_letterhead;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Resp, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The team's letterhead the tests save (the signer is fictitious).
const TEAM: [(&str, &str); 8] = [
    ("parent_body", "Chi cục Quản lý thị trường tỉnh Gia Lai"),
    ("issuer", "Đội Quản lý thị trường số 1"),
    ("symbol", "dqltt1"),
    ("place", "Quy Nhơn"),
    ("signer_authority", ""),
    ("signer_title", "Đội trưởng"),
    ("signer_name", "Lê Văn C"),
    ("recipients", "- Chi cục QLTT (để báo cáo);\r\n\r\n- Lưu: VT, ĐQLTT1."),
];

/// The letterhead form for `agency_id`: [`TEAM`] with some fields replaced.
fn form(agency_id: i64, replace: &[(&str, &str)]) -> String {
    let mut f = form_urlencoded::Serializer::new(String::new());
    f.append_pair("agency_id", &agency_id.to_string());
    for (k, v) in TEAM {
        let v = replace.iter().find(|(rk, _)| *rk == k).map_or(v, |(_, rv)| *rv);
        f.append_pair(k, v);
    }
    f.finish()
}

/// A bad draft (fields of [`TEAM`] replaced) and what the page must say about it.
type BadDraft<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);

async fn stored(app: &TestApp) -> Vec<agency_letterhead::Model> {
    agency_letterhead::Entity::find().all(&app.state.db).await.unwrap()
}

async fn own(app: &TestApp, agency_id: i64) -> Option<agency_letterhead::Model> {
    agency_letterhead::Entity::find()
        .filter(agency_letterhead::Column::AgencyId.eq(agency_id))
        .one(&app.state.db)
        .await
        .unwrap()
}

async fn report(app: &TestApp, token: &str) -> String {
    let r = app.get("/coverage/report", Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// A page in English (the `lang` cookie beside the session).
async fn get_in_english(app: &TestApp, path: &str, token: &str) -> Resp {
    let req = Request::get(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("{}={token}; lang=en", app::ssr::auth::COOKIE))
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn the_seeded_report_is_an_administrative_document_with_the_chi_cucs_letterhead() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly").await;
    let html = report(&app, &manager).await;
    for part in [
        "SỞ CÔNG THƯƠNG TỈNH GIA LAI",
        "CHI CỤC QUẢN LÝ THỊ TRƯỜNG",
        "Số: ……/BC-CCQLTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Gia Lai, ngày ",
        "BÁO CÁO",
        "Kết quả tập huấn cán bộ thực thi pháp luật về thương mại điện tử",
        "I. KẾT QUẢ CHUNG",
        "III. KẾT QUẢ THEO ĐƠN VỊ",
        "Nơi nhận:",
        "- Lưu: VT, NV.",
        "KT. CHI CỤC TRƯỞNG",
        "PHÓ CHI CỤC TRƯỞNG",
        "Nguyễn Văn A",
    ] {
        assert!(html.contains(part), "the report lacks {part:?}");
    }
    // The admin's report (the whole province) carries the root's letterhead.
    let admin = app.sign_in_demo("quantri").await;
    let html = report(&app, &admin).await;
    assert!(html.contains("UBND TỈNH GIA LAI") && html.contains("Số: ……/BC-SCT"));
    assert!(!html.contains("Chưa có thể thức văn bản"));
    // English labels, the same format and the same (Vietnamese) letterhead.
    let en = get_in_english(&app, "/coverage/report", &manager).await;
    for part in [
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "REPORT",
        "No.: ……/BC-CCQLTT",
        "Recipients:",
        "CHI CỤC QUẢN LÝ THỊ TRƯỜNG",
        "Nguyễn Văn A",
    ] {
        assert!(en.body.contains(part), "the English report lacks {part:?}");
    }
}

#[tokio::test]
async fn an_admin_saves_a_letterhead_and_the_report_of_that_agency_prints_it() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let team_manager = app.sign_in_demo("quanly.doi1").await;
    let chicuc_manager = app.sign_in_demo("quanly").await;
    let team1 = app.agency_id("GL-QLTT-D01").await;
    // Before: the team has none of its own and prints the Chi cục's.
    assert!(own(&app, team1).await.is_none());
    assert!(report(&app, &team_manager).await.contains("Số: ……/BC-CCQLTT"));

    let r = app.post_form("/letterhead/save", &form(team1, &[]), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.location.clone().unwrap();
    assert_eq!(back, format!("/letterhead?agency={team1}&saved=1"));
    let row = own(&app, team1).await.expect("saved");
    assert_eq!(row.issuer, "Đội Quản lý thị trường số 1");
    assert_eq!(row.symbol, "DQLTT1", "the symbol is upper-cased");
    assert_eq!(row.signer_authority, "");
    assert_eq!(row.recipients, "Chi cục QLTT (để báo cáo);\nLưu: VT, ĐQLTT1.");
    let admin_id = app::ssr::auth::account_named(&app.state.db, "quantri")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(row.updated_by, Some(admin_id));
    let page = app.get(&back, Some(&admin)).await;
    assert!(page.body.contains("Đã lưu thể thức văn bản."));
    assert!(page.body.contains("Đơn vị này đã có thể thức văn bản riêng."));

    let html = report(&app, &team_manager).await;
    for part in [
        "CHI CỤC QUẢN LÝ THỊ TRƯỜNG TỈNH GIA LAI",
        "ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 1",
        "Số: ……/BC-DQLTT1",
        "Quy Nhơn, ngày ",
        "- Chi cục QLTT (để báo cáo);",
        "- Lưu: VT, ĐQLTT1.",
        "ĐỘI TRƯỞNG",
        "Lê Văn C",
    ] {
        assert!(html.contains(part), "the team's report lacks {part:?}");
    }
    assert!(!html.contains("KT. "), "no signing authority was set");
    // The Chi cục's report keeps the Chi cục's.
    let html = report(&app, &chicuc_manager).await;
    assert!(html.contains("Nguyễn Văn A") && !html.contains("Lê Văn C"));

    // Saving again replaces it (one letterhead an agency).
    let r = app
        .post_form(
            "/letterhead/save",
            &form(team1, &[("signer_name", "Phạm Thị D")]),
            Some(&team_manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rows: Vec<_> = stored(&app)
        .await
        .into_iter()
        .filter(|r| r.agency_id == team1)
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].signer_name, "Phạm Thị D");
}

#[tokio::test]
async fn a_report_without_any_letterhead_prints_dots_and_says_on_screen_where_to_set_one() {
    let app = TestApp::spawn().await;
    agency_letterhead::Entity::delete_many()
        .exec(&app.state.db)
        .await
        .unwrap();
    let manager = app.sign_in_demo("quanly").await;
    let qltt = app.agency_id("GL-QLTT").await;
    let html = report(&app, &manager).await;
    assert!(html.contains("Chưa có thể thức văn bản cho Chi cục Quản lý thị trường tỉnh Gia Lai hay đơn vị cấp trên"));
    assert!(
        html.contains(r#"class="alert warn no-print""#),
        "the notice is not printed"
    );
    assert!(html.contains(&format!(r#"href="/letterhead?agency={qltt}""#)));
    for part in [
        "Số: ……/BC-……",
        "……………, ngày ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Nơi nhận:",
        "- ……………",
    ] {
        assert!(html.contains(part), "the blank report lacks {part:?}");
    }
    // The letterhead page says the same, and the form starts empty.
    let page = app.get(&format!("/letterhead?agency={qltt}"), Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Chưa có thể thức văn bản cho đơn vị này hay đơn vị cấp trên")
    );
}

#[tokio::test]
async fn only_an_admin_or_a_manager_of_the_agencys_subtree_may_set_its_letterhead() {
    let app = TestApp::spawn().await;
    let qltt = app.agency_id("GL-QLTT").await;
    let police = app.agency_id("GL-CA-PC03").await;
    let before = stored(&app).await;
    let learner = app.sign_in_demo("hocvien").await;
    let trainer = app.sign_in_demo("giangvien").await;
    let team_manager = app.sign_in_demo("quanly.doi1").await;
    let chicuc_manager = app.sign_in_demo("quanly").await;

    let r = app.post_form("/letterhead/save", &form(qltt, &[]), None).await;
    assert!(
        r.location.as_deref().is_some_and(|l| l.starts_with("/sign-in")),
        "{:?}",
        r.location
    );
    for (who, token, agency) in [
        ("learner", &learner, qltt),
        ("trainer", &trainer, qltt),
        // The team's manager: not the Chi cục above the team, not another branch.
        ("team manager", &team_manager, qltt),
        ("team manager", &team_manager, police),
        ("Chi cục manager", &chicuc_manager, police),
        // No such agency: the same answer as a foreign one.
        ("Chi cục manager", &chicuc_manager, 987_654),
    ] {
        let r = app.post_form("/letterhead/save", &form(agency, &[]), Some(token)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} on agency {agency}: {}", r.body);
        assert!(r.body.contains("phạm vi quản lý"), "{who}: {}", r.body);
        let page = app
            .call("letterhead_page", &format!("agency_id={agency}"), Some(token))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who} reads agency {agency}");
    }
    assert_eq!(stored(&app).await, before, "nothing changed");
    // The Chi cục's manager may set the Chi cục's own.
    let r = app
        .post_form("/letterhead/save", &form(qltt, &[]), Some(&chicuc_manager))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(own(&app, qltt).await.unwrap().signer_name, "Lê Văn C");
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let qltt = app.agency_id("GL-QLTT").await;
    let before = stored(&app).await;
    let long_name = "Nguyễn Văn ".repeat(40);
    let long_line = "x".repeat(151);
    let cases: [BadDraft; 4] = [
        (
            &[("issuer", "   ")],
            &["Ghi tên cơ quan ban hành, ví dụ \"Chi cục Quản lý thị trường\"."],
        ),
        (&[("signer_name", long_name.as_str())], &["Quá dài — tối đa 80 ký tự."]),
        (
            &[("symbol", "BC/QLTT"), ("recipients", "\n - \n")],
            &[
                "ký hiệu chỉ gồm chữ in hoa, chữ số và dấu",
                "Ghi ít nhất một nơi nhận, mỗi dòng một nơi",
            ],
        ),
        (
            &[("recipients", long_line.as_str())],
            &["Một dòng nơi nhận quá dài — tối đa 150 ký tự mỗi dòng."],
        ),
    ];
    for (replace, messages) in cases {
        let r = app
            .post_form("/letterhead/save", &form(qltt, replace), Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{replace:?}");
        let back = r.location.clone().unwrap();
        assert!(
            back.starts_with(&format!("/letterhead?agency={qltt}&check=1")),
            "{back}"
        );
        let page = app.get(&back, Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Chưa lưu — hãy sửa các mục sau:"), "{replace:?}");
        assert!(page.body.contains(r#"aria-invalid="true""#));
        for m in messages {
            assert!(page.body.contains(m), "{replace:?}: no {m:?} on the page");
        }
        // What was typed is still in the form.
        assert!(page.body.contains("Quy Nhơn"));
        assert_eq!(stored(&app).await, before, "{replace:?} changed something");
    }
    // A form without an agency cannot be read at all.
    let r = app.post_form("/letterhead/save", "issuer=x", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&app).await, before);
    // The report still prints the seeded letterhead.
    let manager = app.sign_in_demo("quanly").await;
    assert!(report(&app, &manager).await.contains("Nguyễn Văn A"));
}

#[tokio::test]
async fn a_certificate_carries_the_issuing_authority_of_the_officials_unit() {
    use app::ssr::db::entities::account;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let learner = app.sign_in_demo("hocvien").await;
    let me = account::Entity::find()
        .filter(account::Column::Username.eq("hocvien"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let number = common::certify(&app.state.db, me, "e-to-chuc-luc-luong-qltt").await;
    let page = |token: String| {
        let app = &app;
        let number = number.clone();
        async move {
            let r = app.get(&format!("/certificates/{number}"), Some(&token)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    // The team has no letterhead of its own: the Chi cục's, the nearest above it.
    let html = page(learner.clone()).await;
    for part in [
        "SỞ CÔNG THƯƠNG TỈNH GIA LAI",
        "CHI CỤC QUẢN LÝ THỊ TRƯỜNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Gia Lai, ngày ",
        "PHÓ CHI CỤC TRƯỞNG",
        "Nguyễn Văn A",
    ] {
        assert!(html.contains(part), "the certificate lacks {part:?}");
    }
    // The admin gives the team its own: the certificate now carries it.
    let team1 = app.agency_id("GL-QLTT-D01").await;
    let r = app.post_form("/letterhead/save", &form(team1, &[]), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let html = page(learner).await;
    for part in [
        "ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 1",
        "Quy Nhơn, ngày ",
        "ĐỘI TRƯỞNG",
        "Lê Văn C",
    ] {
        assert!(html.contains(part), "the certificate lacks {part:?}");
    }
    assert!(!html.contains("PHÓ CHI CỤC TRƯỞNG"));
}

//! Roster import, through the real web flow (multipart upload → preview → confirm) and the CLI:
//! a messy file is refused whole with every error located, the corrected file is applied in one
//! transaction, and importing it again changes nothing.

mod common;

use app::domain::roster::ImportMode;
use app::ssr::db::entities::{agency, membership, person};
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use unicode_normalization::UnicodeNormalization;

async fn upload(app: &TestApp, token: &str, filename: &str, bytes: &[u8]) -> common::Resp {
    app.upload(token, "roster", filename, bytes).await
}

async fn upload_as(app: &TestApp, token: &str, kind: &str, filename: &str, bytes: &[u8]) -> common::Resp {
    app.upload(token, kind, filename, bytes).await
}

/// The current roster of team 1 as `;`-separated lines with NFD names and mixed-case flags.
async fn team_lines(app: &TestApp) -> (Vec<String>, Vec<person::Model>) {
    let d1 = app.agency_id("GL-QLTT-D01").await;
    let people = person::Entity::find()
        .filter(person::Column::AgencyId.eq(d1))
        .filter(person::Column::Active.eq(true))
        .order_by_asc(person::Column::Code)
        .all(&app.state.db)
        .await
        .unwrap();
    let lines = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let flag = match (p.enforcement, i % 3) {
                (true, 0) => "CÓ",
                (true, 1) => "yes",
                (true, _) => "x",
                (false, 0) => "Không",
                (false, _) => "0",
            };
            format!(
                "{};{};gl-qltt-d01;{};{flag}",
                p.full_name.nfd().collect::<String>(),
                p.code,
                p.position
            )
        })
        .collect();
    (lines, people)
}

async fn active_in(app: &TestApp, code: &str) -> u64 {
    let id = app.agency_id(code).await;
    person::Entity::find()
        .filter(person::Column::AgencyId.eq(id))
        .filter(person::Column::Active.eq(true))
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_messy_roster_is_refused_whole_then_the_corrected_file_applies_once() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let (mut lines, people) = team_lines(&app).await;
    let before = active_in(&app, "GL-QLTT-D01").await;
    // One official leaves: drop them from the file (not the learner demo account's person).
    let leaver = people
        .iter()
        .rev()
        .find(|p| p.position == "Kiểm soát viên thị trường" || p.position.starts_with("Kiểm"))
        .unwrap()
        .clone();
    lines.retain(|l| !l.contains(&format!(";{};", leaver.code)));
    let header = "\u{feff}Họ và tên;Mã cán bộ;Mã đơn vị;Chức vụ;Nhiệm vụ thực thi";
    let joiner = format!(
        "{};GL90001;GL-QLTT-D01;Kiểm soát viên thị trường;có",
        "Ksor H'Nhí".nfd().collect::<String>()
    );
    let bad_agency = "Trần Văn Mới;GL90002;GL-QLTT-D99;Kiểm soát viên thị trường;có";
    let bad_flag = "Lê Thị Hai;GL90003;GL-QLTT-D01;Kiểm soát viên thị trường;có lẽ";
    let n = lines.len();
    let messy = format!(
        "{header}\r\n{}\r\n{joiner}\r\n{bad_agency}\r\n{bad_flag}\r\n",
        lines.join("\r\n")
    );

    // 1. The messy file: both errors, with their line numbers; nothing applied.
    let r = upload(&app, &token, "danh-sach.csv", messy.as_bytes()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = common::upload_id(&r.location);
    let preview = app.call("roster_preview", &format!("id={id}"), Some(&token)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let errors: Vec<String> = serde_json::from_value(preview.json()["errors"].clone()).unwrap();
    let agency_line = n + 3;
    let flag_line = n + 4;
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!(
            "dòng {agency_line}, cột 3 (Mã đơn vị): không có đơn vị mã \"GL-QLTT-D99\""
        )),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with(&format!(
            "dòng {flag_line}, cột 5 (Nhiệm vụ thực thi): không hiểu giá trị \"có lẽ\""
        )),
        "{}",
        errors[1]
    );
    let applied = app
        .post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    assert_eq!(active_in(&app, "GL-QLTT-D01").await, before, "nothing applied");
    assert!(
        person::Entity::find()
            .filter(person::Column::Code.eq("GL90001"))
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none(),
        "not even the valid joiner"
    );

    // 2. The corrected file: previewed, then applied in one go.
    let corrected = messy.replace("GL-QLTT-D99", "GL-QLTT-D01").replace(";có lẽ", ";X");
    let r = upload(&app, &token, "danh-sach-sua.csv", corrected.as_bytes()).await;
    let id = common::upload_id(&r.location);
    // Read as an update, nobody leaves; as the team's complete list, the missing official does.
    let update = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    assert_eq!(
        (update["joiners"].as_u64(), update["leavers"].as_u64()),
        (Some(3), Some(0)),
        "{update}"
    );
    let preview = app
        .call("roster_preview", &format!("id={id}&mode=complete"), Some(&token))
        .await
        .json();
    assert_eq!(preview["errors"].as_array().unwrap().len(), 0, "{preview}");
    assert_eq!(preview["joiners"], 3);
    assert_eq!(preview["leavers"], 1);
    // One leaver in a team this small is more than 10 % of it: the number must be typed.
    assert!(preview["active_in_unit"].as_u64().unwrap() < 10, "{preview}");
    assert_eq!(preview["needs_confirmation"], true, "{preview}");
    assert_eq!(preview["transfers"], 0);
    assert_eq!(
        preview["changes"], 0,
        "NFD names and every flag spelling match the roster"
    );
    let effects: Vec<String> = serde_json::from_value(preview["effects"].clone()).unwrap();
    assert!(
        effects
            .iter()
            .any(|e| e.starts_with("Mới: GL90001 Ksor H'Nhí") && e.contains("DA319-THUCTHI-2026: +1 người phải đạt")),
        "{effects:#?}"
    );
    assert!(
        effects.iter().any(|e| e.starts_with(&format!("Nghỉ: {}", leaver.code))),
        "{effects:#?}"
    );
    let applied = app
        .post_form(
            "/roster/apply",
            &format!("upload={id}&mode=complete&confirm=1"),
            Some(&token),
        )
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    assert_eq!(active_in(&app, "GL-QLTT-D01").await, before + 3 - 1);
    let joiner = person::Entity::find()
        .filter(person::Column::Code.eq("GL90001"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("joiner added");
    assert_eq!(joiner.full_name, "Ksor H'Nhí".nfc().collect::<String>(), "stored NFC");
    assert!(joiner.enforcement);
    // The leaver keeps their history: inactive, period closed, not deleted.
    let gone = person::Entity::find_by_id(leaver.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!gone.active);
    let periods = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(leaver.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(!periods.is_empty() && periods.iter().all(|m| m.valid_to.is_some()));
    let status = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    assert_eq!(status["status"], "applied");

    // 3. The same file again: no changes.
    let r = upload(&app, &token, "danh-sach-sua.csv", corrected.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    for k in ["joiners", "leavers", "transfers", "changes"] {
        assert_eq!(preview[k], 0, "{k}: {preview}");
    }
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    let status = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    assert_eq!(status["status"], "nochange");
    assert!(status["summary"].as_str().unwrap().contains("không có thay đổi"));
    assert_eq!(active_in(&app, "GL-QLTT-D01").await, before + 2);

    // Another manager cannot read this upload; a learner cannot upload at all.
    let other = app.sign_in_demo("quanly").await;
    let r = app.call("roster_preview", &format!("id={id}"), Some(&other)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let learner = app.sign_in_demo("hocvien").await;
    let r = upload(&app, &learner, "x.csv", b"code\n").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_manager_cannot_import_officials_into_another_agency() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let file = "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi\nGL90009,Phạm Văn Ngoài,GL-QLTT-D02,Kiểm soát viên thị trường,có\n";
    let r = upload(&app, &token, "x.csv", file.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    let errors = preview["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .as_str()
            .unwrap()
            .starts_with("dòng 2, cột 3 (mã đơn vị): đơn vị \"GL-QLTT-D02\" ngoài phạm vi")
    );
    let before = active_in(&app, "GL-QLTT-D02").await;
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    assert_eq!(active_in(&app, "GL-QLTT-D02").await, before);

    // Nor pull an official of another team into their own.
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let other = person::Entity::find()
        .filter(person::Column::AgencyId.eq(d2))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let file = format!(
        "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi\n{},{},GL-QLTT-D01,{},có\n",
        other.code, other.full_name, other.position
    );
    let r = upload(&app, &token, "y.csv", file.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    let errors = preview["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{preview}");
    assert!(
        errors[0].as_str().unwrap().starts_with(&format!(
            "dòng 2: cán bộ {} hiện thuộc đơn vị GL-QLTT-D02, ngoài phạm vi bạn quản lý",
            other.code
        )),
        "{}",
        errors[0]
    );
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    let still = person::Entity::find_by_id(other.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.agency_id, d2);
}

#[tokio::test]
async fn the_cli_imports_a_roster_with_a_transfer_and_an_agency_file() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let dir = std::env::temp_dir().join(format!("taphuan-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A new team under the Chi cục, by agency file.
    let agencies = dir.join("don-vi.csv");
    std::fs::write(
        &agencies,
        "mã đơn vị;tên đơn vị;mã đơn vị cấp trên;hiệu lực từ\nGL-QLTT-D12;Đội Quản lý thị trường số 12;GL-QLTT;01/01/2027\n",
    )
    .unwrap();
    let none = app::domain::roster::HeaderChoices::new();
    let (errors, summary, _) = app::ssr::roster::import_agencies(db, &std::fs::read(&agencies).unwrap(), true, &none)
        .await
        .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(summary, "1 đơn vị mới, 0 đơn vị thay đổi");
    let d12 = agency::Entity::find()
        .filter(agency::Column::Code.eq("GL-QLTT-D12"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let chi_cuc = agency::Entity::find()
        .filter(agency::Column::Code.eq("GL-QLTT"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d12.path, format!("{}{}/", chi_cuc.path, d12.id));
    let (_, again, _) = app::ssr::roster::import_agencies(db, &std::fs::read(&agencies).unwrap(), true, &none)
        .await
        .unwrap();
    assert!(again.starts_with("không có thay đổi"));

    // Move one official of team 2 to the new team 12.
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let p = person::Entity::find()
        .filter(person::Column::AgencyId.eq(d2))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let roster = dir.join("chuyen.csv");
    std::fs::write(
        &roster,
        format!(
            "code,full name,agency code,position,enforcement\n{},{},GL-QLTT-D12,{},{}\n",
            p.code,
            p.full_name,
            p.position,
            if p.enforcement { "yes" } else { "no" }
        ),
    )
    .unwrap();
    let effective = chrono::NaiveDate::from_ymd_opt(2027, 1, 1);
    assert_eq!(
        server::cli::import_roster(
            db,
            &roster,
            server::cli::ImportOptions {
                apply: false,
                scope: None,
                effective,
                mode: ImportMode::Update,
                confirm_leavers: None,
                choices: &none,
            }
        )
        .await
        .unwrap(),
        0
    );
    let still = person::Entity::find_by_id(p.id).one(db).await.unwrap().unwrap();
    assert_eq!(still.agency_id, d2, "a preview writes nothing");
    assert_eq!(
        server::cli::import_roster(
            db,
            &roster,
            server::cli::ImportOptions {
                apply: true,
                scope: None,
                effective,
                mode: ImportMode::Update,
                confirm_leavers: None,
                choices: &none,
            }
        )
        .await
        .unwrap(),
        0
    );
    let moved = person::Entity::find_by_id(p.id).one(db).await.unwrap().unwrap();
    assert_eq!(moved.agency_id, d12.id);
    let periods = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(p.id))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!((periods[0].agency_id, periods[0].valid_to), (d2, effective));
    assert_eq!(
        (periods[1].agency_id, periods[1].valid_from, periods[1].valid_to),
        (d12.id, effective, None)
    );
    // Idempotent: the same file again changes nothing (and the rest of team 2 did not leave:
    // without --scope the file speaks only for the agencies in it).
    let plan = app::ssr::roster::plan(
        db,
        &std::fs::read(&roster).unwrap(),
        None,
        effective.unwrap(),
        ImportMode::Complete,
        &none,
    )
    .await
    .unwrap();
    assert!(plan.diff.is_empty(), "{:?}", plan.diff);
    assert!(plan.summary().contains("không có thay đổi"));
    // A file with errors exits 1 from the CLI.
    let bad = dir.join("sai.csv");
    std::fs::write(
        &bad,
        "code,full name,agency code,position,enforcement\nGL1,A,NOPE,KSV,?\n",
    )
    .unwrap();
    assert_eq!(
        server::cli::import_roster(
            db,
            &bad,
            server::cli::ImportOptions {
                apply: true,
                scope: None,
                effective: None,
                mode: ImportMode::Update,
                confirm_leavers: None,
                choices: &none,
            }
        )
        .await
        .unwrap(),
        1
    );
}

#[tokio::test]
async fn files_headed_as_other_systems_write_them_import_from_the_cli_with_the_mapping_printed() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let dir = std::env::temp_dir().join(format!("taphuan-headers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let none = app::domain::roster::HeaderChoices::new();
    // An agency export with snake_case headers.
    let (errors, summary, columns) = app::ssr::roster::import_agencies(
        db,
        b"ma_don_vi,ten_don_vi,ma_don_vi_cap_tren\nGL-QLTT-D13,Doi QLTT so 13,GL-QLTT\n",
        true,
        &none,
    )
    .await
    .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(summary, "1 đơn vị mới, 0 đơn vị thay đổi");
    assert_eq!(
        columns.iter().filter_map(|c| c.label.clone()).collect::<Vec<_>>(),
        ["mã đơn vị", "tên đơn vị", "mã đơn vị cấp trên"]
    );
    // A roster whose duty column is named after the law: inferred, printed, imported.
    let roster = dir.join("tham-quyen.csv");
    std::fs::write(
        &roster,
        "Mã CB;Họ và tên;ma_don_vi;Chức danh;Thẩm quyền thực thi Luật TMĐT\nGL96001;Vũ Thị Suy Luận;GL-QLTT-D13;Kiểm soát viên thị trường;x\n",
    )
    .unwrap();
    let bytes = std::fs::read(&roster).unwrap();
    let today = app::ssr::clock::today();
    let plan = app::ssr::roster::plan(db, &bytes, None, today, ImportMode::Update, &none)
        .await
        .unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let lines = server::cli::column_lines(&roster, &plan.columns);
    assert!(
        lines.iter().any(|l| l
            .ends_with("cột 5 \"Thẩm quyền thực thi Luật TMĐT\" → nhiệm vụ thực thi — đoán theo tên cột (inferred)")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("\"Chức danh\" → chức vụ")), "{lines:?}");
    let opts = |apply| server::cli::ImportOptions {
        apply,
        scope: None,
        effective: None,
        mode: ImportMode::Update,
        confirm_leavers: None,
        choices: &none,
    };
    assert_eq!(server::cli::import_roster(db, &roster, opts(true)).await.unwrap(), 0);
    let p = person::Entity::find()
        .filter(person::Column::Code.eq("GL96001"))
        .one(db)
        .await
        .unwrap()
        .expect("imported");
    assert!(p.enforcement);
    // An unknown header is an error until --map names its column.
    let odd = dir.join("la.csv");
    std::fs::write(
        &odd,
        "mã cán bộ,họ và tên,mã đơn vị,chức vụ,Nhóm 3\nGL96002,Lê Văn Chọn,GL-QLTT-D13,Kiểm soát viên thị trường,có\n",
    )
    .unwrap();
    assert_eq!(server::cli::import_roster(db, &odd, opts(true)).await.unwrap(), 1);
    let chosen = app::domain::roster::HeaderChoices::from([(
        app::domain::roster::header_key("Nhóm 3"),
        "nhiệm vụ thực thi".to_string(),
    )]);
    let with_map = server::cli::ImportOptions {
        choices: &chosen,
        ..opts(true)
    };
    assert_eq!(server::cli::import_roster(db, &odd, with_map).await.unwrap(), 0);
}

/// One cell of a test workbook.
enum Cell {
    Text(String),
    Flag(bool),
    Date(u16, u8, u8),
}

/// An .xlsx with an empty first row and the header on row 2 (as a title-less export might be).
fn workbook(rows: &[Vec<Cell>]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Flag(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                Cell::Date(y, m, d) => ws
                    .write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                    .map(|_| ()),
            }
            .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_roster_reads_like_its_csv_with_sheet_rows_in_every_error() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly.doi1").await;
    let (_, people) = team_lines(&app).await;
    let t = |s: &str| Cell::Text(s.to_string());
    let header = vec![
        t("Mã cán bộ"),
        t("Họ và tên"),
        t("Mã đơn vị"),
        t("Chức vụ"),
        t("Nhiệm vụ thực thi"),
        t("Ngày bắt đầu"),
    ];
    let build = |agency: &str, flag: Cell| -> Vec<u8> {
        let mut rows = vec![header_clone(&header)];
        for (i, p) in people.iter().enumerate() {
            // Excel booleans for some rows, typed words for others; names decomposed (NFD).
            let f = if i % 2 == 0 {
                Cell::Flag(p.enforcement)
            } else {
                t(if p.enforcement { "Có" } else { "không" })
            };
            rows.push(vec![
                t(&p.code),
                t(&p.full_name.nfd().collect::<String>()),
                t("GL-QLTT-D01"),
                t(&p.position),
                f,
            ]);
        }
        rows.push(vec![
            t("GL91001"),
            t("Rơ Mah Hiền"),
            t(agency),
            t("Kiểm soát viên thị trường"),
            Cell::Flag(true),
            Cell::Date(2026, 11, 2),
        ]);
        rows.push(vec![
            t("GL91002"),
            t("Đinh Văn Ba"),
            t("GL-QLTT-D01"),
            t("Kiểm soát viên thị trường"),
            flag,
        ]);
        workbook(&rows)
    };
    fn header_clone(h: &[Cell]) -> Vec<Cell> {
        h.iter()
            .map(|c| match c {
                Cell::Text(s) => Cell::Text(s.clone()),
                Cell::Flag(b) => Cell::Flag(*b),
                Cell::Date(y, m, d) => Cell::Date(*y, *m, *d),
            })
            .collect()
    }
    // Sheet rows: 1 empty, 2 header, 3.. the team, then the joiner and the second newcomer.
    let joiner_row = people.len() + 3;
    let flag_row = joiner_row + 1;
    let before = active_in(&app, "GL-QLTT-D01").await;

    let r = upload(&app, &token, "danh-sach.xlsx", &build("GL-QLTT-D99", t("có lẽ"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    let errors: Vec<String> = serde_json::from_value(preview["errors"].clone()).unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!(
            "dòng {joiner_row}, cột 3 (Mã đơn vị): không có đơn vị mã \"GL-QLTT-D99\""
        )),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with(&format!(
            "dòng {flag_row}, cột 5 (Nhiệm vụ thực thi): không hiểu giá trị \"có lẽ\""
        )),
        "{}",
        errors[1]
    );
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    assert_eq!(active_in(&app, "GL-QLTT-D01").await, before, "nothing applied");

    // Corrected: two joiners, no change to anyone else (booleans and words agree with the roster).
    let fixed = build("GL-QLTT-D01", Cell::Flag(false));
    let r = upload(&app, &token, "danh-sach.xlsx", &fixed).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    assert_eq!(preview["errors"].as_array().unwrap().len(), 0, "{preview}");
    assert_eq!(
        (preview["joiners"].as_u64(), preview["changes"].as_u64()),
        (Some(2), Some(0)),
        "{preview}"
    );
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&token))
        .await;
    assert_eq!(active_in(&app, "GL-QLTT-D01").await, before + 2);
    let joiner = person::Entity::find()
        .filter(person::Column::Code.eq("GL91001"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("joiner added");
    assert!(joiner.enforcement, "an Excel TRUE is có");
    let period = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(joiner.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        period.valid_from,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 2),
        "the date cell"
    );
    let ba = person::Entity::find()
        .filter(person::Column::Code.eq("GL91002"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!ba.enforcement, "an Excel FALSE is không");

    // Again: no changes.
    let r = upload(&app, &token, "danh-sach.xlsx", &fixed).await;
    let id = common::upload_id(&r.location);
    let preview = app
        .call("roster_preview", &format!("id={id}"), Some(&token))
        .await
        .json();
    for k in ["joiners", "leavers", "transfers", "changes"] {
        assert_eq!(preview[k], 0, "{k}: {preview}");
    }

    // A damaged workbook is refused in words, with nothing stored.
    let mut broken = fixed.clone();
    broken.truncate(fixed.len() / 2);
    let r = upload(&app, &token, "hong.xlsx", &broken).await;
    let to = r.location.unwrap_or_default();
    assert!(to.starts_with("/roster?error=excel&detail="), "{to}");
    let page = app.get(&to, Some(&token)).await;
    assert!(page.body.contains("Không đọc được tệp Excel"), "the page explains");
}

#[tokio::test]
async fn an_admin_imports_the_agency_tree_from_the_web_with_the_same_check_preview_and_confirm() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let file = "Mã đơn vị;Tên đơn vị;Mã đơn vị cấp trên;Hiệu lực từ\r\n\
                GL-QLTT-D12;Đội Quản lý thị trường số 12;GL-QLTT-X;01/12/2026\r\n";
    // A manager may not touch the tree.
    let manager = app.sign_in_demo("quanly").await;
    let r = upload_as(&app, &manager, "agencies", "don-vi.csv", file.as_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Unknown parent: located, nothing applied.
    let r = upload_as(&app, &admin, "agencies", "don-vi.csv", file.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let p = app
        .call("roster_preview", &format!("id={id}"), Some(&admin))
        .await
        .json();
    assert_eq!(p["kind"], "agencies");
    let errors: Vec<String> = serde_json::from_value(p["errors"].clone()).unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("dòng 2, cột 3"), "{}", errors[0]);
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&admin))
        .await;
    let none = agency::Entity::find()
        .filter(agency::Column::Code.eq("GL-QLTT-D12"))
        .one(&app.state.db)
        .await
        .unwrap();
    assert!(none.is_none(), "nothing applied");

    // Corrected: the preview says what applying does, and nothing happens until confirmed.
    let fixed = file.replace("GL-QLTT-X", "GL-QLTT");
    let r = upload_as(&app, &admin, "agencies", "don-vi.csv", fixed.as_bytes()).await;
    let id = common::upload_id(&r.location);
    let p = app
        .call("roster_preview", &format!("id={id}"), Some(&admin))
        .await
        .json();
    assert_eq!(p["effects"], serde_json::json!(["1 đơn vị mới, 0 đơn vị thay đổi"]));
    assert!(
        agency::Entity::find()
            .filter(agency::Column::Code.eq("GL-QLTT-D12"))
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none(),
        "a preview writes nothing"
    );
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&admin))
        .await;
    let d12 = agency::Entity::find()
        .filter(agency::Column::Code.eq("GL-QLTT-D12"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("applied");
    assert_eq!(d12.parent_id, Some(app.agency_id("GL-QLTT").await));
    let p = app
        .call("roster_preview", &format!("id={id}"), Some(&admin))
        .await
        .json();
    assert_eq!(p["status"], "applied");
    // The team manager of the Chi cục now sees the new team in their scope.
    let tree = app.call("agencies", "", Some(&manager)).await.json();
    assert!(tree.as_array().unwrap().iter().any(|a| a["code"] == "GL-QLTT-D12"));

    // The same file again: no changes.
    let r = upload_as(&app, &admin, "agencies", "don-vi.csv", fixed.as_bytes()).await;
    let id = common::upload_id(&r.location);
    app.post_form("/roster/apply", &format!("upload={id}"), Some(&admin))
        .await;
    let p = app
        .call("roster_preview", &format!("id={id}"), Some(&admin))
        .await
        .json();
    assert_eq!(p["status"], "nochange");
}

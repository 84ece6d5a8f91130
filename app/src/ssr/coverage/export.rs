//! Downloads of coverage: per agency, and the official × course matrix, as CSV or real XLSX,
//! with Vietnamese headers. The CSV is written for Excel on a Vietnamese-locale computer: UTF-8
//! with a BOM (so the diacritics read), `;` between cells and a decimal comma (`53,6`), as that
//! locale's list separator and decimal mark are; the file name ends in `-vi.csv` to say so.
//!
//! Routes (GET, authorised like server functions — manager within their subtree, or admin):
//! `/coverage/export/{agencies|matrix}.{csv|xlsx}?program=ID&as_of=yyyy-mm-dd&agency=ID`.

use super::Snapshot;
use crate::domain::coverage::{Index, Status};
use crate::domain::identity::Role;
use crate::ssr::auth::Scope;
use crate::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

/// A table ready to write: headers, rows of cells.
pub struct Table {
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A cell: text or a number (numbers stay numbers in XLSX).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Written whole, or with one decimal.
    Num(f64),
    /// Written with this many decimals.
    Fixed(f64, usize),
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            // Names and codes come from uploaded rosters: never let a spreadsheet run one.
            Cell::Text(s) => crate::domain::spreadsheet::neutralise(s).into_owned(),
            Cell::Num(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            // A decimal comma: Excel on a Vietnamese locale reads "53.6" as text (or a date).
            Cell::Num(n) => format!("{n:.1}").replace('.', ","),
            Cell::Fixed(n, places) => format!("{n:.places$}").replace('.', ","),
        }
    }
}

fn rag_vi(r: crate::domain::coverage::Rag) -> &'static str {
    match r {
        crate::domain::coverage::Rag::Green => "Xanh (đạt)",
        crate::domain::coverage::Rag::Amber => "Vàng (gần đạt)",
        crate::domain::coverage::Rag::Red => "Đỏ (chậm)",
    }
}

/// Coverage per agency of the snapshot's scope.
pub fn agencies_table(s: &Snapshot) -> Table {
    let headers = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Cấp",
        "Số cán bộ thuộc diện",
        "Miễn trừ",
        "Phải đạt",
        "Đã đạt",
        "Chưa đạt",
        "Tỷ lệ (%)",
        "Mục tiêu (%)",
        "Đánh giá",
    ]
    .map(String::from)
    .to_vec();
    let rows = s
        .lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.agency.code.clone()),
                Cell::Text(l.agency.name.clone()),
                Cell::Num(l.depth as f64),
                Cell::Num(l.counts.population as f64),
                Cell::Num(l.counts.exempt as f64),
                Cell::Num(l.counts.base() as f64),
                Cell::Num(l.counts.covered as f64),
                Cell::Num(l.counts.missing() as f64),
                Cell::Num((l.counts.percent() * 10.0).round() / 10.0),
                Cell::Num(s.rule.threshold_percent as f64),
                Cell::Text(rag_vi(l.rag).into()),
            ]
        })
        .collect();
    Table {
        sheet: "Theo đơn vị".into(),
        headers,
        rows,
    }
}

/// One row per official of the population: the date each required course was obtained.
pub fn matrix_table(
    s: &Snapshot,
    people: &HashMap<i64, crate::ssr::db::entities::person::Model>,
    titles: &HashMap<String, String>,
) -> Table {
    let ix = Index::new(&s.rule, &s.facts);
    let names: HashMap<i64, &str> = s.lines.iter().map(|l| (l.agency.id, l.agency.name.as_str())).collect();
    // Earliest date per (person, course) on or before the date: completion or certificate.
    let mut first: HashMap<(i64, &str), chrono::NaiveDate> = HashMap::new();
    for c in &s.facts.credits {
        if c.completed_on <= s.as_of {
            let e = first
                .entry((c.person_id, c.course_id.as_str()))
                .or_insert(c.completed_on);
            *e = (*e).min(c.completed_on);
        }
    }
    for c in &s.facts.certificates {
        if c.issued_on <= s.as_of {
            let e = first.entry((c.person_id, c.course_id.as_str())).or_insert(c.issued_on);
            *e = (*e).min(c.issued_on);
        }
    }
    let mut headers: Vec<String> = ["Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ"]
        .map(String::from)
        .to_vec();
    headers.extend(
        s.rule
            .courses
            .iter()
            .map(|c| titles.get(c).cloned().unwrap_or_else(|| c.clone())),
    );
    headers.push("Trạng thái".into());
    let mut rows: Vec<Vec<Cell>> = s
        .statuses
        .iter()
        .filter_map(|st| {
            let p = people.get(&st.person_id)?;
            let mut row = vec![
                Cell::Text(p.code.clone()),
                Cell::Text(p.full_name.clone()),
                Cell::Text(names.get(&st.agency_id).copied().unwrap_or("").to_string()),
                Cell::Text(p.position.clone()),
            ];
            for (i, c) in s.rule.courses.iter().enumerate() {
                let held = ix.holds(st.person_id, i, s.as_of);
                row.push(Cell::Text(match (held, first.get(&(st.person_id, c.as_str()))) {
                    (true, Some(d)) => d.format("%d/%m/%Y").to_string(),
                    (true, None) => "có".into(),
                    (false, _) => String::new(),
                }));
            }
            row.push(Cell::Text(
                match st.status {
                    Status::Covered => "Đạt",
                    Status::Exempt => "Miễn trừ",
                    Status::Missing(_) => "Chưa đạt",
                }
                .into(),
            ));
            Some(row)
        })
        .collect();
    rows.sort_by(|a, b| (a[2].csv(), a[1].csv()).cmp(&(b[2].csv(), b[1].csv())));
    Table {
        sheet: "Cán bộ × khóa học".into(),
        headers,
        rows,
    }
}

/// CSV for a Vietnamese-locale spreadsheet: UTF-8 BOM, `;` between cells, decimal comma.
pub fn to_csv(t: &Table) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        // Headers too: the matrix's are course titles, which trainers write.
        let _ = w.write_record(
            t.headers
                .iter()
                .map(|h| crate::domain::spreadsheet::neutralise(h).into_owned()),
        );
        for r in &t.rows {
            let _ = w.write_record(r.iter().map(Cell::csv));
        }
        let _ = w.flush();
    }
    out
}

/// A real XLSX workbook with a bold, frozen header row.
pub fn to_xlsx(t: &Table, title: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&t.sheet)?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, title, &bold)?;
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, if c == 1 { 36 } else { 16 })?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => ws.write_string(3 + r as u32, c as u16, s)?,
                Cell::Num(n) | Cell::Fixed(n, _) => ws.write_number(3 + r as u32, c as u16, *n)?,
            };
        }
    }
    ws.set_freeze_panes(3, 0)?;
    wb.save_to_buffer()
}

/// Query of an export.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    pub program: Option<i64>,
    #[serde(default)]
    pub as_of: String,
    pub agency: Option<i64>,
}

/// `GET /coverage/export/{file}`: `agencies.csv`, `agencies.xlsx`, `matrix.csv`, `matrix.xlsx`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "download"))]
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<ExportQuery>,
    crate::ssr::web::SignedIn(user): crate::ssr::web::SignedIn,
) -> Response {
    if !user.holds_any(&[Role::Manager, Role::Admin]) {
        return (StatusCode::FORBIDDEN, "Bạn không có quyền tải tệp này.").into_response();
    }
    let Some((kind, ext)) = file.rsplit_once('.') else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !matches!(kind, "agencies" | "matrix") || !matches!(ext, "csv" | "xlsx") {
        return StatusCode::NOT_FOUND.into_response();
    }
    match build(&state, &user, kind, ext, &q).await {
        Ok(Some(r)) => r,
        Ok(None) => (StatusCode::FORBIDDEN, "Bạn không có quyền tải tệp này.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "coverage export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi, vui lòng thử lại.").into_response()
        }
    }
}

async fn build(
    state: &AppState,
    user: &crate::ssr::auth::AuthUser,
    kind: &str,
    ext: &str,
    q: &ExportQuery,
) -> anyhow::Result<Option<Response>> {
    let db = &state.db;
    let scope = match q.agency {
        Some(id) => match crate::ssr::db::queries::agency_in_scope(db, user.scope.as_ref(), id).await? {
            Some(a) => Some(Scope {
                agency_id: a.id,
                agency_name: a.name,
                path: a.path,
            }),
            None => return Ok(None),
        },
        None => user.scope.clone(),
    };
    let today = crate::ssr::clock::today();
    let Ok(crate::domain::coverage::AsOf(as_of)) = crate::domain::coverage::AsOf::parse(&q.as_of, today) else {
        return Ok(Some(
            (StatusCode::UNPROCESSABLE_ENTITY, "Ngày không hợp lệ.").into_response(),
        ));
    };
    let Some(program) = super::find_program(db, q.program).await? else {
        return Ok(Some(StatusCode::NOT_FOUND.into_response()));
    };
    let snap = super::snapshot(db, program, scope.as_ref(), as_of, false).await?;
    let table = if kind == "agencies" {
        agencies_table(&snap)
    } else {
        let ids: Vec<i64> = snap.statuses.iter().map(|s| s.person_id).collect();
        let people = super::people_by_id(db, &ids).await?;
        matrix_table(&snap, &people, &crate::ssr::content::titles(state))
    };
    let title = format!(
        "{} — {} — đến ngày {}",
        snap.program.name,
        snap.root.name,
        as_of.format("%d/%m/%Y")
    );
    let stem = format!("tien-do-{}-{}-{}", snap.program.code, kind, as_of.format("%Y%m%d"));
    Ok(Some(attachment(&table, &title, &stem, ext)?))
}

/// `table` as a download: `{stem}-vi.csv` (the CSV's separator and decimal mark are the
/// Vietnamese locale's, and the name says so) or `{stem}.xlsx` with `title` above the table.
pub fn attachment(table: &Table, title: &str, stem: &str, ext: &str) -> Result<Response, rust_xlsxwriter::XlsxError> {
    let (bytes, mime, name) = if ext == "csv" {
        (to_csv(table), "text/csv; charset=utf-8", format!("{stem}-vi.csv"))
    } else {
        (
            to_xlsx(table, title)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

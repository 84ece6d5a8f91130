//! Applying roster and agency files to the database. Parsing, validation and the diff are pure
//! (`domain::roster`); here we read the current roster, describe what each change does to
//! coverage, and apply a whole file in ONE transaction or not at all.
//!
//! Which officials a file is authoritative for (who becomes a leaver when missing from it):
//! the importer's scope subtree when there is one (a manager; `--scope CODE` on the CLI), else
//! the agencies that appear in the file. Leavers keep their history: their membership period
//! is closed and `people.active` turns false; nothing is deleted.

use super::auth::Scope;
use super::db::entities::{agency, membership, person, program};
use crate::domain::coverage::{Index, Status};
use crate::domain::roster::{self, Current, FileError, ImportMode, RosterDiff, RosterRow};
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A checked file and what it would change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub errors: Vec<FileError>,
    pub rows: Vec<RosterRow>,
    pub diff: RosterDiff,
    /// One line per change: what it does to each program's coverage (joiners, leavers,
    /// transfers, changes, in that order).
    pub effects: Vec<String>,
    /// The same lines by group.
    pub grouped: Effects,
    pub mode: ImportMode,
    /// Active officials the file speaks for (the unit, for a complete list): the base of the
    /// "more than 10 % leave" rule.
    pub active_in_unit: usize,
    /// Cells a spreadsheet would run as formulas (warnings, not errors).
    pub warnings: Vec<String>,
}

/// Effect lines by kind of change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Effects {
    pub joiners: Vec<String>,
    pub leavers: Vec<String>,
    pub transfers: Vec<String>,
    pub changes: Vec<String>,
}

impl Plan {
    fn refused(errors: Vec<FileError>, mode: ImportMode) -> Plan {
        Plan {
            errors,
            rows: vec![],
            diff: RosterDiff::default(),
            effects: vec![],
            grouped: Effects::default(),
            mode,
            active_in_unit: 0,
            warnings: vec![],
        }
    }

    /// Whether applying needs the number of leavers typed to confirm.
    pub fn needs_confirmation(&self) -> bool {
        roster::leavers_need_confirmation(self.diff.leavers.len(), self.active_in_unit)
    }
}

impl Plan {
    /// Valid and something to do.
    pub fn applicable(&self) -> bool {
        self.errors.is_empty() && !self.diff.is_empty()
    }

    /// A human summary in Vietnamese (CLI output, upload record).
    pub fn summary(&self) -> String {
        if !self.errors.is_empty() {
            let mut s = format!("{} lỗi, không áp dụng gì:\n", self.errors.len());
            for e in &self.errors {
                s.push_str(&format!("  {e}\n"));
            }
            return s;
        }
        if self.diff.is_empty() {
            return "không có thay đổi (no changes)\n".into();
        }
        let d = &self.diff;
        let mut s = format!(
            "{} cán bộ mới, {} nghỉ/chuyển đi, {} điều chuyển, {} thay đổi thông tin\n",
            d.joiners.len(),
            d.leavers.len(),
            d.transfers.len(),
            d.changes.len()
        );
        for e in &self.effects {
            s.push_str(&format!("  {e}\n"));
        }
        s
    }
}

/// Agency code → (id, path).
async fn agency_codes(db: &impl ConnectionTrait) -> Result<HashMap<String, agency::Model>, DbErr> {
    Ok(agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect())
}

/// The roster as it is now.
pub async fn current(db: &impl ConnectionTrait) -> Result<Vec<Current>, DbErr> {
    let codes: HashMap<i64, String> = agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.code))
        .collect();
    Ok(person::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| Current {
            person_id: p.id,
            code: p.code,
            full_name: p.full_name,
            agency_code: codes.get(&p.agency_id).cloned().unwrap_or_default(),
            position: p.position,
            enforcement: p.enforcement,
            email: p.email,
            phone: p.phone,
            active: p.active,
        })
        .collect())
}

/// Checks a roster file and computes its diff and effects, without writing anything. In
/// [`ImportMode::Update`] nobody leaves for being absent from the file.
pub async fn plan(
    db: &impl ConnectionTrait,
    bytes: &[u8],
    scope: Option<&Scope>,
    today: NaiveDate,
    mode: ImportMode,
) -> Result<Plan, DbErr> {
    let agencies = agency_codes(db).await?;
    let known: HashSet<String> = agencies.keys().cloned().collect();
    let allowed: Option<HashSet<String>> = scope.map(|s| {
        agencies
            .values()
            .filter(|a| a.path.starts_with(&s.path))
            .map(|a| a.code.clone())
            .collect()
    });
    let (rows, errors) = roster::parse_roster(bytes, &known, allowed.as_ref());
    if !errors.is_empty() {
        return Ok(Plan::refused(errors, mode));
    }
    let unit: HashSet<String> = match &allowed {
        Some(a) => a.clone(),
        None => rows.iter().map(|r| r.agency_code.clone()).collect(),
    };
    let now = current(db).await?;
    let active_in_unit = now.iter().filter(|c| c.active && unit.contains(&c.agency_code)).count();
    let authoritative = match mode {
        ImportMode::Complete => unit,
        ImportMode::Update => HashSet::new(),
    };
    let diff = roster::diff(&now, &rows, &authoritative);
    // A manager may not pull an official out of another agency's subtree (or take back one who
    // left from elsewhere): that official is not theirs to move.
    if let Some(allowed) = &allowed {
        let current = current(db).await?;
        let agency_of: HashMap<i64, &str> = current.iter().map(|c| (c.person_id, c.agency_code.as_str())).collect();
        let outside: Vec<(&RosterRow, &str)> = diff
            .transfers
            .iter()
            .map(|(pid, from, r)| (*pid, from.as_str(), r))
            .chain(
                diff.joiners
                    .iter()
                    .filter_map(|(pid, r)| pid.map(|p| (p, agency_of.get(&p).copied().unwrap_or(""), r))),
            )
            .filter(|(_, from, _)| !allowed.contains(*from))
            .map(|(_, from, r)| (r, from))
            .collect();
        if !outside.is_empty() {
            let mut errors: Vec<FileError> = outside
                .into_iter()
                .map(|(r, from)| FileError {
                    line: r.line,
                    column: 0,
                    header: String::new(),
                    what: format!("cán bộ {} hiện thuộc đơn vị {from}, ngoài phạm vi bạn quản lý", r.code),
                    hint: "đề nghị đơn vị đó hoặc quản trị viên điều chuyển".into(),
                })
                .collect();
            errors.sort_by_key(|e| e.line);
            return Ok(Plan::refused(errors, mode));
        }
    }
    let grouped = effects(db, &diff, &agencies, today).await?;
    let effects = [&grouped.joiners, &grouped.leavers, &grouped.transfers, &grouped.changes]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let warnings = roster::formula_warnings(&rows);
    Ok(Plan {
        errors,
        rows,
        diff,
        effects,
        grouped,
        mode,
        active_in_unit,
        warnings,
    })
}

/// How each change moves each active program's numbers.
async fn effects(
    db: &impl ConnectionTrait,
    diff: &RosterDiff,
    agencies: &HashMap<String, agency::Model>,
    today: NaiveDate,
) -> Result<Effects, DbErr> {
    let programs = program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut prepared = vec![];
    for p in &programs {
        let rule = super::coverage::rule_of(p)?;
        let facts = super::coverage::load_facts(db, &rule, p.id).await?;
        prepared.push((p.code.clone(), rule, facts));
    }
    let indexes: Vec<(&String, Index<'_>)> = prepared.iter().map(|(c, r, f)| (c, Index::new(r, f))).collect();
    let id_of = |code: &str| agencies.get(code).map(|a| a.id).unwrap_or(-1);
    let word = |covered: bool| if covered { "đã đạt" } else { "chưa đạt" };
    let describe = |who: String, before: Option<i64>, after: Option<(i64, &str, bool)>| -> String {
        let mut parts = vec![];
        for (code, ix) in &indexes {
            let was = before.is_some_and(|pid| ix.population_membership(pid, today).is_some());
            let covered = before.is_some_and(|pid| ix.status(pid, today) == Status::Covered);
            let will = after.is_some_and(|(a, pos, e)| ix.in_population(a, pos, e));
            match (was, will) {
                (false, true) => parts.push(format!("{code}: +1 mẫu số, {}", word(covered))),
                (true, false) => parts.push(format!("{code}: −1 mẫu số ({})", word(covered))),
                (true, true) if after.is_some() => parts.push(format!("{code}: vẫn thuộc diện, {}", word(covered))),
                _ => {}
            }
        }
        let tail = if parts.is_empty() {
            "không ảnh hưởng chỉ tiêu".to_string()
        } else {
            parts.join("; ")
        };
        format!("{who} → {tail}")
    };
    let mut out = Effects::default();
    for (pid, r) in &diff.joiners {
        out.joiners.push(describe(
            format!("Mới: {} {} ({})", r.code, r.full_name, r.agency_code),
            *pid,
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    for l in &diff.leavers {
        out.leavers.push(describe(
            format!("Nghỉ: {} {} ({})", l.code, l.full_name, l.agency_code),
            Some(l.person_id),
            None,
        ));
    }
    for (pid, from, r) in &diff.transfers {
        out.transfers.push(describe(
            format!("Điều chuyển: {} {} ({from} → {})", r.code, r.full_name, r.agency_code),
            Some(*pid),
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    for (pid, fields, r) in &diff.changes {
        out.changes.push(describe(
            format!("Thay đổi {}: {} {}", fields.join(", "), r.code, r.full_name),
            Some(*pid),
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    Ok(out)
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Errors: nothing written.
    Invalid(usize),
    NoChanges,
    /// (joiners, leavers, transfers, changes)
    Done(usize, usize, usize, usize),
}

/// Checks the file again and applies it in one transaction, or nothing at all. `effective` is
/// the date membership periods open and close on (unless the row has its own dates).
pub async fn apply(
    db: &DatabaseConnection,
    bytes: &[u8],
    scope: Option<&Scope>,
    effective: NaiveDate,
    mode: ImportMode,
) -> Result<(Applied, Plan), DbErr> {
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let plan = plan(&tx, bytes, scope, effective, mode).await?;
    if !plan.errors.is_empty() {
        tx.rollback().await?;
        return Ok((Applied::Invalid(plan.errors.len()), plan));
    }
    if plan.diff.is_empty() {
        tx.rollback().await?;
        return Ok((Applied::NoChanges, plan));
    }
    let agencies = agency_codes(&tx).await?;
    let now = crate::ssr::clock::now();
    let id_of = |code: &str| {
        agencies
            .get(code)
            .map(|a| a.id)
            .ok_or_else(|| DbErr::Custom(format!("agency {code}")))
    };
    let d = &plan.diff;
    for (existing, r) in &d.joiners {
        let start = r.start_date.or(Some(effective));
        let agency_id = id_of(&r.agency_code)?;
        let pid = match existing {
            // A former official coming back: the same record, active again.
            Some(pid) => update_person(&tx, *pid, agency_id, r, true).await?,
            None => {
                person::ActiveModel {
                    code: Set(r.code.clone()),
                    full_name: Set(r.full_name.clone()),
                    agency_id: Set(agency_id),
                    position: Set(r.position.clone()),
                    enforcement: Set(r.enforcement),
                    email: Set(r.email.clone()),
                    phone: Set(r.phone.clone()),
                    start_date: Set(start),
                    end_date: Set(None),
                    active: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        open_period(&tx, pid, agency_id, r, start, now).await?;
    }
    for l in &d.leavers {
        let end = l.end_date.unwrap_or(effective);
        close_periods(&tx, l.person_id, end).await?;
        let p = person::Entity::find_by_id(l.person_id)
            .one(&tx)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("person".into()))?;
        let mut am: person::ActiveModel = p.into();
        am.active = Set(false);
        am.end_date = Set(Some(end));
        am.update(&tx).await?;
    }
    for (pid, _, r) in d.transfers.iter().map(|(p, f, r)| (p, f, r)) {
        let agency_id = id_of(&r.agency_code)?;
        close_periods(&tx, *pid, effective).await?;
        open_period(&tx, *pid, agency_id, r, Some(effective), now).await?;
        update_person(&tx, *pid, agency_id, r, false).await?;
    }
    for (pid, fields, r) in &d.changes {
        let agency_id = id_of(&r.agency_code)?;
        // Position and duty are history (they decide who was in a population on a date).
        if fields.iter().any(|f| f == "chức vụ" || f == "nhiệm vụ thực thi") {
            close_periods(&tx, *pid, effective).await?;
            open_period(&tx, *pid, agency_id, r, Some(effective), now).await?;
        }
        update_person(&tx, *pid, agency_id, r, false).await?;
    }
    tx.commit().await?;
    let counts = (d.joiners.len(), d.leavers.len(), d.transfers.len(), d.changes.len());
    Ok((Applied::Done(counts.0, counts.1, counts.2, counts.3), plan))
}

/// Writes a roster row onto an existing official (the one place that does): name, agency,
/// position, duty, and e-mail/phone where the file has them; `reactivate` for a returning
/// official. Returns the person's id.
async fn update_person(
    db: &impl ConnectionTrait,
    pid: i64,
    agency_id: i64,
    r: &RosterRow,
    reactivate: bool,
) -> Result<i64, DbErr> {
    let p = person::Entity::find_by_id(pid)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("person".into()))?;
    let mut am: person::ActiveModel = p.into();
    am.full_name = Set(r.full_name.clone());
    am.agency_id = Set(agency_id);
    am.position = Set(r.position.clone());
    am.enforcement = Set(r.enforcement);
    if reactivate {
        am.active = Set(true);
        am.end_date = Set(None);
    }
    if r.email.is_some() {
        am.email = Set(r.email.clone());
    }
    if r.phone.is_some() {
        am.phone = Set(r.phone.clone());
    }
    Ok(am.update(db).await?.id)
}

async fn open_period(
    db: &impl ConnectionTrait,
    pid: i64,
    agency_id: i64,
    r: &RosterRow,
    from: Option<NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    membership::ActiveModel {
        person_id: Set(pid),
        agency_id: Set(agency_id),
        position: Set(r.position.clone()),
        enforcement: Set(r.enforcement),
        valid_from: Set(from),
        valid_to: Set(None),
        created_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Closes every open period of an official on `end` (exclusive).
async fn close_periods(db: &impl ConnectionTrait, pid: i64, end: NaiveDate) -> Result<(), DbErr> {
    membership::Entity::update_many()
        .col_expr(membership::Column::ValidTo, sea_orm::sea_query::Expr::value(end))
        .filter(membership::Column::PersonId.eq(pid))
        .filter(membership::Column::ValidTo.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Checks an agency file; with `apply`, upserts the agencies and recomputes every path, in
/// one transaction. Returns the errors (nothing applied when any) and a summary line.
pub async fn import_agencies(
    db: &DatabaseConnection,
    bytes: &[u8],
    apply: bool,
) -> Result<(Vec<FileError>, String), DbErr> {
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let existing = agency_codes(&tx).await?;
    let known: HashSet<String> = existing.keys().cloned().collect();
    let (rows, errors) = roster::parse_agencies(bytes, &known);
    if !errors.is_empty() {
        tx.rollback().await?;
        return Ok((errors, String::new()));
    }
    let mut new = 0;
    let mut changed = 0;
    let now = crate::ssr::clock::now();
    // Pass 1: create or update names and dates; pass 2: links (targets may be new).
    for r in &rows {
        match existing.get(&r.code) {
            Some(a) => {
                if a.name != r.name || a.valid_from != r.valid_from || a.valid_to != r.valid_to {
                    changed += 1;
                    let mut am: agency::ActiveModel = a.clone().into();
                    am.name = Set(r.name.clone());
                    am.valid_from = Set(r.valid_from);
                    am.valid_to = Set(r.valid_to);
                    am.update(&tx).await?;
                }
            }
            None => {
                new += 1;
                agency::ActiveModel {
                    code: Set(r.code.clone()),
                    name: Set(r.name.clone()),
                    kind: Set("other".into()),
                    parent_id: Set(None),
                    path: Set(String::new()),
                    valid_from: Set(r.valid_from),
                    valid_to: Set(r.valid_to),
                    merged_into_id: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }
    }
    let all = agency_codes(&tx).await?;
    for r in &rows {
        let a = &all[&r.code];
        let parent = r.parent_code.as_ref().map(|c| all[c].id);
        let merged = r.merged_into.as_ref().map(|c| all[c].id);
        if a.parent_id != parent || a.merged_into_id != merged {
            if existing.contains_key(&r.code) {
                changed += 1;
            }
            let mut am: agency::ActiveModel = a.clone().into();
            am.parent_id = Set(parent);
            am.merged_into_id = Set(merged);
            am.update(&tx).await?;
        }
    }
    recompute_paths(&tx).await?;
    let summary = if new == 0 && changed == 0 {
        "không có thay đổi (no changes)".to_string()
    } else {
        format!("{new} đơn vị mới, {changed} đơn vị thay đổi")
    };
    if apply {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok((vec![], summary))
}

/// Rewrites every agency's materialised path from the parent links.
pub async fn recompute_paths(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let all = agency::Entity::find().all(db).await?;
    let parent: HashMap<i64, Option<i64>> = all.iter().map(|a| (a.id, a.parent_id)).collect();
    for a in all {
        let mut chain = vec![a.id];
        let mut cur = a.parent_id;
        while let Some(p) = cur {
            if chain.contains(&p) || chain.len() > 64 {
                return Err(DbErr::Custom(format!("agency tree cycle at {}", a.code)));
            }
            chain.push(p);
            cur = parent.get(&p).copied().flatten();
        }
        chain.reverse();
        let path = format!(
            "/{}/",
            chain.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")
        );
        if path != a.path {
            let mut am: agency::ActiveModel = a.into();
            am.path = Set(path);
            am.update(db).await?;
        }
    }
    Ok(())
}

/// The web flow (works with JavaScript off): `POST /roster/upload` (multipart, field `file`)
/// stores the file and redirects to `/roster?upload=ID`, where the page shows the preview
/// (`api::roster::roster_preview`); `POST /roster/apply` (form field `upload`) applies it in one
/// transaction and redirects back with `&applied=1`. Admins and managers only; a manager's rows
/// must lie in their subtree; only the uploader (or an admin) can see or apply an upload.
/// Whether `bytes` look like a spreadsheet (an .xlsx/.xlsm/.ods zip, or an old .xls) rather
/// than text.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The largest sheet a roster or agency file may use: rows and columns (a province's roster is a
/// few thousand rows and a dozen columns). A cell beyond them is refused before anything is
/// allocated for it: one cell at XFD1048576 once made the reader allocate rows × columns.
pub const MAX_SHEET_ROWS: u32 = 200_000;
/// See [`MAX_SHEET_ROWS`].
pub const MAX_SHEET_COLS: u32 = 64;
/// Non-empty cells read from a sheet at most.
const MAX_SHEET_CELLS: usize = 2_000_000;
/// What a spreadsheet may unpack to, all parts together (measured while unpacking, not taken
/// from the zip's own header, which can lie), and how many parts it may have.
const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 2_000;

/// A roster or agency file as the checker reads it: CSV text as is; an Excel workbook's (.xlsx)
/// first worksheet turned into CSV with one line per sheet row and one field per sheet column,
/// so `dòng L, cột C` in an error is row L and column C of the sheet. Dates become
/// `dd/mm/yyyy`, whole numbers lose Excel's `.0`, booleans become có/không, line breaks inside a
/// cell become spaces. An unreadable or oversized spreadsheet is an error in words.
///
/// Bounded in memory and time: the zip is unpacked once into a sink to measure it (at most
/// [`MAX_UNZIPPED_BYTES`]), and the sheet is streamed cell by cell, refused at the first cell
/// outside [`MAX_SHEET_ROWS`] × [`MAX_SHEET_COLS`]. Old .xls and OpenDocument .ods files are
/// refused with a hint: their readers expand repeated and declared ranges before any check can run.
/// CPU-bound: call it off the async workers (`spawn_blocking`).
pub fn file_text(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    use calamine::{DataRef, Reader, Xlsx};
    if !is_spreadsheet(&bytes) {
        return Ok(bytes);
    }
    let resave = "mở tệp bằng Excel và lưu lại dạng .xlsx (Excel Workbook), hoặc dạng CSV UTF-8";
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(format!("tệp Excel 97–2003 (.xls) không được nhận — {resave}"));
    }
    measure_zip(&bytes)?;
    if zip_holds(&bytes, "mimetype") && !zip_holds(&bytes, "xl/workbook.xml") {
        return Err(format!("tệp OpenDocument (.ods) không được nhận — {resave}"));
    }
    let unreadable = |e: &dyn std::fmt::Display| format!("không đọc được tệp Excel ({e}) — {resave}");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err("tệp Excel không có trang tính nào — danh sách phải ở trang tính đầu tiên".into());
    };
    let mut reader = book.worksheet_cells_reader(&first).map_err(|e| unreadable(&e))?;
    // (row, column, text) of every non-empty cell, in the order the sheet stores them.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        let (r, c) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.replace(['\r', '\n'], " "),
            DataRef::SharedString(s) => s.replace(['\r', '\n'], " "),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(true) => "có".into(),
            DataRef::Bool(false) => "không".into(),
            DataRef::DateTime(d) => d
                .as_datetime()
                .map(|t| t.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| d.as_f64().to_string()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => format!("#{e:?}"),
        };
        if text.is_empty() {
            continue;
        }
        if r >= MAX_SHEET_ROWS || c >= MAX_SHEET_COLS {
            return Err(format!(
                "trang tính có dữ liệu ở ô {}, ngoài giới hạn của một danh sách ({MAX_SHEET_ROWS} dòng, {MAX_SHEET_COLS} cột) — xoá các ô thừa ở cuối trang tính, hoặc lưu danh sách dạng CSV UTF-8",
                cell_name(r, c)
            ));
        }
        if cells.len() >= MAX_SHEET_CELLS {
            return Err(format!(
                "trang tính có hơn {MAX_SHEET_CELLS} ô có dữ liệu — chia danh sách thành nhiều tệp"
            ));
        }
        cells.push((r, c, text));
    }
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    let first_row = cells.first().map_or(0, |(r, _, _)| *r);
    let last_row = cells.last().map_or(0, |(r, _, _)| *r);
    // Empty rows above the data are bare line ends (skipped by the reader, counted in line numbers).
    let mut out = "\n".repeat(first_row as usize).into_bytes();
    let mut at = 0;
    for row in first_row..=last_row {
        let mut fields: Vec<String> = Vec::new();
        while at < cells.len() && cells[at].0 == row {
            let (_, c, text) = &mut cells[at];
            fields.resize(*c as usize, String::new());
            fields.push(std::mem::take(text));
            at += 1;
        }
        if fields.is_empty() {
            // One empty field: csv writes `""`, which keeps the line and reads back as blank.
            fields.push(String::new());
        }
        w.write_record(&fields).map_err(|e| e.to_string())?;
    }
    out.extend(w.into_inner().map_err(|e| e.to_string())?);
    Ok(out)
}

/// `A1`-style name of a zero-based cell position, as Excel shows it.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
}

/// Unpacks every part of a zip into a sink, counting the bytes that really come out, and refuses
/// the file past [`MAX_ZIP_ENTRIES`] parts or [`MAX_UNZIPPED_BYTES`] (a zip bomb).
fn measure_zip(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let damaged = |e: &dyn std::fmt::Display| {
        format!("tệp Excel bị hỏng ({e}) — mở tệp bằng Excel và lưu lại dạng .xlsx, hoặc dạng CSV UTF-8")
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(format!("tệp Excel có {} phần, quá nhiều cho một danh sách", zip.len()));
    }
    let too_big = || {
        format!(
            "tệp Excel giải nén ra hơn {} MiB, quá lớn cho một danh sách — xoá các trang tính, hình ảnh không cần thiết, hoặc lưu dạng CSV UTF-8",
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        )
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| damaged(&e))?;
        let budget = MAX_UNZIPPED_BYTES - total;
        let n = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink()).map_err(|e| damaged(&e))?;
        total += n;
        if total > MAX_UNZIPPED_BYTES {
            return Err(too_big());
        }
    }
    Ok(())
}

fn zip_holds(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|mut z| z.by_name(name).is_ok())
}

pub mod web {
    use super::super::db::entities::roster_upload;
    use super::super::state::AppState;
    use crate::domain::identity::Role;
    use crate::ssr::auth::AuthUser;
    use crate::ssr::web::SignedIn;
    use axum::extract::{Form, Multipart, State};
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect, Response};
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ActiveModelTrait, EntityTrait};

    /// Largest accepted roster file.
    pub const MAX_BYTES: usize = 8 * 1024 * 1024;

    /// Roster files are for managers and the admin.
    fn importer(signed: SignedIn) -> Result<AuthUser, crate::ssr::web::WebError> {
        signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền nhập danh sách.")
    }

    /// `POST /roster/upload`.
    #[tracing::instrument(name = "form", skip_all, fields(handler = "upload"))]
    pub async fn upload(State(state): State<AppState>, signed: SignedIn, mut form: Multipart) -> Response {
        let user = match importer(signed) {
            Ok(u) => u,
            Err(e) => return e.into_response(),
        };
        let mut file: Option<(String, Vec<u8>)> = None;
        let mut kind = "roster".to_string();
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                // Past the route's body limit the stream fails: say the file is too big, not missing.
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Redirect::to("/roster?error=too_big").into_response();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "unreadable roster upload");
                    return Redirect::to("/roster?error=empty").into_response();
                }
            };
            if field.name() == Some("kind") {
                kind = field.text().await.unwrap_or_default();
                continue;
            }
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("roster.csv").to_string();
                match field.bytes().await {
                    Ok(b) if b.len() <= MAX_BYTES => file = Some((name, b.to_vec())),
                    _ => return Redirect::to("/roster?error=too_big").into_response(),
                }
            }
        }
        // The agency tree is the whole province's: admins only.
        match kind.as_str() {
            "roster" => {}
            "agencies" if user.role == Role::Admin => {}
            _ => {
                return (
                    StatusCode::FORBIDDEN,
                    "Chỉ quản trị hệ thống được nhập danh mục đơn vị.",
                )
                    .into_response();
            }
        }
        let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            return Redirect::to("/roster?error=empty").into_response();
        };
        // A spreadsheet is stored as the CSV it reads as (same lines and columns).
        // Reading a workbook is CPU work: off the async workers.
        let read = tokio::task::spawn_blocking(move || super::file_text(bytes))
            .await
            .unwrap_or_else(|_| Err("không đọc được tệp — lưu lại dạng .xlsx, hoặc CSV UTF-8".into()));
        let bytes = match read {
            Ok(b) => b,
            Err(e) => {
                let q: String = form_urlencoded::byte_serialize(e.as_bytes()).collect();
                return Redirect::to(&format!("/roster?error=excel&detail={q}")).into_response();
            }
        };
        // Stored as text; a non-UTF-8 file is kept lossily and fails validation with a clear
        // message (the check re-reads the stored bytes).
        let content = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let b = e.into_bytes();
                String::from_utf8_lossy(&b).into_owned()
            }
        };
        let row = roster_upload::ActiveModel {
            account_id: Set(user.account_id),
            filename: Set(filename),
            content: Set(content),
            status: Set("pending".into()),
            summary: Set(String::new()),
            created_at: Set(crate::ssr::clock::now()),
            applied_at: Set(None),
            kind: Set(kind),
            ..Default::default()
        }
        .insert(&state.db)
        .await;
        match row {
            Ok(r) => Redirect::to(&format!("/roster?upload={}", r.id)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot store a roster upload");
                Redirect::to("/roster?error=internal").into_response()
            }
        }
    }

    /// The form of `POST /roster/apply`.
    #[derive(serde::Deserialize)]
    pub struct ApplyForm {
        pub upload: i64,
        /// `update` (default) or `complete` (see `domain::roster::ImportMode`).
        #[serde(default)]
        pub mode: String,
        /// The number of leavers, typed by the manager when the preview asks for it.
        #[serde(default)]
        pub confirm: String,
    }

    /// The form of `POST /roster/cancel`.
    #[derive(serde::Deserialize)]
    pub struct CancelForm {
        pub upload: i64,
    }

    /// `POST /roster/cancel`: discards a pending upload (its content is dropped; the row stays
    /// as a record that a file was uploaded and discarded).
    #[tracing::instrument(name = "form", skip_all, fields(handler = "cancel"))]
    pub async fn cancel(State(state): State<AppState>, signed: SignedIn, Form(f): Form<CancelForm>) -> Response {
        let user = match importer(signed) {
            Ok(u) => u,
            Err(e) => return e.into_response(),
        };
        match owned(&state, &user, f.upload).await {
            Ok(Some(u)) if u.status == "pending" => {
                let mut am: roster_upload::ActiveModel = u.into();
                am.status = Set("discarded".into());
                am.content = Set(String::new());
                am.summary = Set("Đã huỷ, không áp dụng gì.".into());
                if let Err(e) = am.update(&state.db).await {
                    tracing::error!(error = %e, "roster upload discard");
                    return Redirect::to("/roster?error=internal").into_response();
                }
                Redirect::to("/roster?discarded=1").into_response()
            }
            Ok(Some(u)) => Redirect::to(&format!("/roster?upload={}", u.id)).into_response(),
            Ok(None) => (StatusCode::FORBIDDEN, "Bạn không có quyền với tệp này.").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "roster upload lookup");
                Redirect::to("/roster?error=internal").into_response()
            }
        }
    }

    /// The upload if `user` may use it.
    pub async fn owned(
        state: &AppState,
        user: &AuthUser,
        id: i64,
    ) -> Result<Option<roster_upload::Model>, sea_orm::DbErr> {
        Ok(roster_upload::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|u| u.account_id == user.account_id || user.role == Role::Admin))
    }

    /// `POST /roster/apply`.
    #[tracing::instrument(name = "form", skip_all, fields(handler = "apply"))]
    pub async fn apply(State(state): State<AppState>, signed: SignedIn, Form(f): Form<ApplyForm>) -> Response {
        let user = match importer(signed) {
            Ok(u) => u,
            Err(e) => return e.into_response(),
        };
        let up = match owned(&state, &user, f.upload).await {
            Ok(Some(u)) if u.status == "pending" => u,
            Ok(Some(u)) => return Redirect::to(&format!("/roster?upload={}", u.id)).into_response(),
            Ok(None) => return (StatusCode::FORBIDDEN, "Bạn không có quyền với tệp này.").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "roster upload lookup");
                return Redirect::to("/roster?error=internal").into_response();
            }
        };
        let today = crate::ssr::clock::today();
        let mode = crate::domain::roster::ImportMode::parse(&f.mode);
        let back = format!("/roster?upload={}&mode={}", up.id, mode.code());
        if up.kind != "agencies" {
            // Many leavers: the manager must have typed their number (checked on a fresh plan).
            let plan = match super::plan(&state.db, up.content.as_bytes(), user.scope.as_ref(), today, mode).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "roster plan failed");
                    return Redirect::to(&format!("{back}&error=internal")).into_response();
                }
            };
            if plan.needs_confirmation() && f.confirm.trim().parse::<usize>().ok() != Some(plan.diff.leavers.len()) {
                return Redirect::to(&format!("{back}&error=confirm")).into_response();
            }
        }
        let outcome = if up.kind == "agencies" {
            super::import_agencies(&state.db, up.content.as_bytes(), true)
                .await
                .map(|(errors, summary)| {
                    let status = if !errors.is_empty() {
                        "pending"
                    } else if summary.starts_with("không có thay đổi") {
                        "nochange"
                    } else {
                        "applied"
                    };
                    (status, summary)
                })
        } else {
            super::apply(&state.db, up.content.as_bytes(), user.scope.as_ref(), today, mode)
                .await
                .map(|(applied, plan)| {
                    let status = match applied {
                        super::Applied::Invalid(_) => "pending",
                        super::Applied::NoChanges => "nochange",
                        super::Applied::Done(..) => "applied",
                    };
                    (status, plan.summary())
                })
        };
        match outcome {
            Ok((status, summary)) => {
                let id = up.id;
                let mut am: roster_upload::ActiveModel = up.into();
                am.status = Set(status.into());
                am.summary = Set(summary);
                am.applied_at = Set(Some(crate::ssr::clock::now()));
                if let Err(e) = am.update(&state.db).await {
                    tracing::error!(error = %e, "roster upload status");
                }
                Redirect::to(&format!("/roster?upload={id}&mode={}", mode.code())).into_response()
            }
            Err(e) => {
                tracing::error!(error = %e, "roster apply failed");
                Redirect::to(&format!("/roster?upload={}&error=internal", f.upload)).into_response()
            }
        }
    }
}

//! In-person classes (lớp tập huấn): what completes a course in class, whether an official meets
//! it, the rotating check-in code, and the class form's validation. Pure: no clock, no database.

use serde::{Deserialize, Serialize};

/// What completes the course for an official of the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassRule {
    /// Attendance alone.
    Attendance,
    /// Attendance, then the course's online exam (the exam records the completion).
    AttendanceOnlineExam,
    /// Attendance and an exam sat in class, its score entered by the trainer.
    AttendanceClassExam,
}

impl ClassRule {
    pub const ALL: [ClassRule; 3] = [
        ClassRule::Attendance,
        ClassRule::AttendanceOnlineExam,
        ClassRule::AttendanceClassExam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassRule::Attendance => "attendance",
            ClassRule::AttendanceOnlineExam => "attendance_online_exam",
            ClassRule::AttendanceClassExam => "attendance_class_exam",
        }
    }

    pub fn parse(s: &str) -> Option<ClassRule> {
        ClassRule::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Where an official of the class stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Not enough sessions attended yet.
    Attending { attended: u32, needed: u32 },
    /// Attended; the in-class exam's score is not in yet.
    AwaitingScore,
    /// Attended; the in-class exam's score is below the pass mark.
    Failed { score: i32 },
    /// Attended; the course completes when they pass its online exam.
    AwaitingOnlineExam,
    /// The class completes the course.
    Met,
}

/// The sessions an official must attend: `min_percent` of `total`, rounded up, at least one.
pub fn sessions_needed(total: u32, min_percent: u32) -> u32 {
    ((total * min_percent.min(100)).div_ceil(100)).clamp(1.min(total), total)
}

/// Where someone stands who attended `attended` of `total` sessions, with `score` (in-class exam).
pub fn standing(
    rule: ClassRule,
    total: u32,
    attended: u32,
    min_percent: u32,
    score: Option<i32>,
    pass_percent: i32,
) -> Standing {
    let needed = sessions_needed(total, min_percent);
    if total == 0 || attended < needed {
        return Standing::Attending { attended, needed };
    }
    match rule {
        ClassRule::Attendance => Standing::Met,
        ClassRule::AttendanceOnlineExam => Standing::AwaitingOnlineExam,
        ClassRule::AttendanceClassExam => match score {
            None => Standing::AwaitingScore,
            Some(s) if s >= pass_percent => Standing::Met,
            Some(s) => Standing::Failed { score: s },
        },
    }
}

/// A check-in code lives in windows of this many seconds: the projector shows the current
/// window's code, and a code is accepted in its own window and the next one (30–60 s in all).
pub const WINDOW_SECS: i64 = 30;

/// How far back a code is still recognised as one of this session's (and refused as expired
/// rather than as wrong): one hour.
const RECOGNISED_WINDOWS: i64 = 120;

/// The window a moment (Unix seconds) falls in.
pub fn window_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(WINDOW_SECS)
}

/// Seconds until the next window starts (when the projector shows a new code).
pub fn secs_to_next_window(unix_secs: i64) -> i64 {
    WINDOW_SECS - unix_secs.rem_euclid(WINDOW_SECS)
}

/// What a check-in code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Current,
    /// A code of this session, but older than its window.
    Expired,
    /// Not a code of this session at all.
    Wrong,
}

/// Checks `given` against the codes `code_at(window)` of the current window `now` and the ones
/// before it.
pub fn check_code(given: &str, now: i64, code_at: impl Fn(i64) -> String) -> CodeCheck {
    let given = given.trim();
    if given.is_empty() || given.len() > 16 {
        return CodeCheck::Wrong;
    }
    if (now - 1..=now).any(|w| code_at(w) == given) {
        CodeCheck::Current
    } else if (now - RECOGNISED_WINDOWS..now - 1).any(|w| code_at(w) == given) {
        CodeCheck::Expired
    } else {
        CodeCheck::Wrong
    }
}

/// A code from a MAC's bytes: eight digits, easy to type from the projector if a phone cannot scan.
pub fn code_from_mac(mac: &[u8]) -> String {
    let mut b = [0u8; 8];
    for (i, x) in mac.iter().take(8).enumerate() {
        b[i] = *x;
    }
    format!("{:08}", u64::from_be_bytes(b) % 100_000_000)
}

/// One session of the class form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDraft {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub place: String,
}

/// A session that passed the checks: local date and times (the configured zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub date: chrono::NaiveDate,
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
    pub place: String,
}

/// The class form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDraft {
    pub title: String,
    /// Who teaches it (names, as written).
    pub trainers: String,
    /// The courses ticked (the form's `course_id`, once per course).
    pub course_ids: Vec<String>,
    pub agency_id: String,
    pub capacity: String,
    pub rule: String,
    pub min_attendance_percent: String,
    pub pass_percent: String,
    pub sessions: Vec<SessionDraft>,
}

/// The class form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPlan {
    pub title: String,
    pub trainers: String,
    pub course_ids: Vec<String>,
    pub agency_id: i64,
    pub capacity: i32,
    pub rule: ClassRule,
    pub min_attendance_percent: i32,
    pub pass_percent: i32,
    pub sessions: Vec<SessionPlan>,
}

/// The most courses one class may complete.
pub const MAX_COURSES: usize = 8;

/// The most sessions one class may have.
pub const MAX_SESSIONS: usize = 20;

/// A problem with the class form: the field, and what to write instead (Vietnamese, English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormProblem {
    pub field: String,
    pub vi: String,
    pub en: String,
}

fn problem(field: &str, vi: &str, en: &str) -> FormProblem {
    FormProblem {
        field: field.into(),
        vi: vi.into(),
        en: en.into(),
    }
}

fn number_in(raw: &str, lo: i32, hi: i32) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|n| (lo..=hi).contains(n))
}

impl ClassDraft {
    /// Checks every field; either the plan, or every problem at once. Empty session rows (no
    /// date, times or place) are ignored.
    pub fn check(&self) -> Result<ClassPlan, Vec<FormProblem>> {
        let mut out = Vec::new();
        let title = self.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 200 {
            out.push(problem(
                "title",
                "Nhập tên lớp (tối đa 200 ký tự).",
                "Enter the class's title (at most 200 characters).",
            ));
        }
        let trainers = self.trainers.trim().to_string();
        if trainers.chars().count() > 300 {
            out.push(problem(
                "trainers",
                "Tên giảng viên tối đa 300 ký tự.",
                "The trainers' names take at most 300 characters.",
            ));
        }
        let mut course_ids: Vec<String> = Vec::new();
        for c in self.course_ids.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !course_ids.iter().any(|x| x == c) {
                course_ids.push(c.to_string());
            }
        }
        if course_ids.is_empty() || course_ids.len() > MAX_COURSES {
            out.push(problem(
                "course_id",
                &format!("Chọn từ 1 đến {MAX_COURSES} khoá học."),
                &format!("Choose from 1 to {MAX_COURSES} courses."),
            ));
        }
        let agency_id = self.agency_id.trim().parse::<i64>().ok();
        if agency_id.is_none() {
            out.push(problem(
                "agency_id",
                "Chọn đơn vị được mời.",
                "Choose the invited unit.",
            ));
        }
        let capacity = number_in(&self.capacity, 1, 2000);
        if capacity.is_none() {
            out.push(problem(
                "capacity",
                "Sĩ số là một số từ 1 đến 2000.",
                "Capacity is a number from 1 to 2000.",
            ));
        }
        let rule = ClassRule::parse(self.rule.trim());
        if rule.is_none() {
            out.push(problem(
                "rule",
                "Chọn điều kiện hoàn thành.",
                "Choose what completes the course.",
            ));
        }
        let min = number_in(&self.min_attendance_percent, 1, 100);
        if min.is_none() {
            out.push(problem(
                "min_attendance_percent",
                "Mức chuyên cần tối thiểu là phần trăm số buổi, từ 1 đến 100.",
                "Minimum attendance is a percentage of sessions, from 1 to 100.",
            ));
        }
        let pass = if rule == Some(ClassRule::AttendanceClassExam) {
            let p = number_in(&self.pass_percent, 1, 100);
            if p.is_none() {
                out.push(problem(
                    "pass_percent",
                    "Điểm đạt của bài kiểm tra tại lớp là phần trăm, từ 1 đến 100.",
                    "The in-class exam's pass mark is a percentage, from 1 to 100.",
                ));
            }
            p
        } else {
            Some(number_in(&self.pass_percent, 1, 100).unwrap_or(70))
        };
        let mut sessions = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let blank = [&s.date, &s.start, &s.end, &s.place]
                .iter()
                .all(|f| f.trim().is_empty());
            if blank {
                continue;
            }
            let n = i + 1;
            let date = chrono::NaiveDate::parse_from_str(s.date.trim(), "%Y-%m-%d").ok();
            let start = chrono::NaiveTime::parse_from_str(s.start.trim(), "%H:%M").ok();
            let end = chrono::NaiveTime::parse_from_str(s.end.trim(), "%H:%M").ok();
            let place = s.place.trim().to_string();
            match (date, start, end) {
                (Some(date), Some(start), Some(end)) if start < end => {
                    if place.is_empty() || place.chars().count() > 300 {
                        out.push(problem(
                            &format!("session{n}"),
                            &format!("Buổi {n}: nhập địa điểm hoặc đường dẫn học trực tuyến (tối đa 300 ký tự)."),
                            &format!("Session {n}: enter the place or the online link (at most 300 characters)."),
                        ));
                    } else {
                        sessions.push(SessionPlan {
                            date,
                            start,
                            end,
                            place,
                        });
                    }
                }
                (Some(_), Some(_), Some(_)) => out.push(problem(
                    &format!("session{n}"),
                    &format!("Buổi {n}: giờ kết thúc phải sau giờ bắt đầu."),
                    &format!("Session {n}: the end must come after the start."),
                )),
                _ => out.push(problem(
                    &format!("session{n}"),
                    &format!("Buổi {n}: nhập ngày (ngày/tháng/năm) và giờ bắt đầu, kết thúc (giờ:phút)."),
                    &format!("Session {n}: enter the date and the start and end times (hours:minutes)."),
                )),
            }
        }
        if sessions.is_empty() && !out.iter().any(|p| p.field.starts_with("session")) {
            out.push(problem(
                "session1",
                "Nhập ít nhất một buổi học.",
                "Enter at least one session.",
            ));
        }
        if sessions.len() > MAX_SESSIONS {
            out.push(problem(
                "session1",
                &format!("Một lớp có tối đa {MAX_SESSIONS} buổi."),
                &format!("A class has at most {MAX_SESSIONS} sessions."),
            ));
        }
        if !out.is_empty() {
            return Err(out);
        }
        sessions.sort_by_key(|s| (s.date, s.start));
        Ok(ClassPlan {
            title,
            trainers,
            course_ids,
            agency_id: agency_id.unwrap_or_default(),
            capacity: capacity.unwrap_or_default(),
            rule: rule.unwrap_or(ClassRule::Attendance),
            min_attendance_percent: min.unwrap_or(100),
            pass_percent: pass.unwrap_or(70),
            sessions,
        })
    }
}

/// What a refused class action tells the person, by key (Vietnamese, English).
pub fn problem_text(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "unknown_code" => ("Không có cán bộ nào mang mã này.", "No official has this code."),
        "out_of_scope" => (
            "Cán bộ này không thuộc đơn vị bạn quản lý.",
            "This official is not in a unit you manage.",
        ),
        "already_in" => ("Cán bộ này đã có trong lớp.", "This official is already in the class."),
        "bad_score" => (
            "Điểm là phần trăm, từ 0 đến 100.",
            "A score is a percentage, from 0 to 100.",
        ),
        "expired" => (
            "Mã QR này đã hết hạn. Hãy quét lại mã đang chiếu trên màn hình.",
            "This QR code has expired. Scan the code on the screen again.",
        ),
        "wrong_code" => (
            "Mã điểm danh không đúng. Hãy quét mã đang chiếu trên màn hình.",
            "This check-in code is not right. Scan the code on the screen.",
        ),
        "twice" => (
            "Bạn đã điểm danh buổi học này rồi.",
            "You have already checked in to this session.",
        ),
        "cancelled" => ("Lớp học này đã bị huỷ.", "This class has been cancelled."),
        "sheet" => (
            "Bảng điểm danh có lỗi; chưa ghi nhận dòng nào. Sửa các ô dưới đây rồi tải lên lại.",
            "The sign-in sheet has errors; nothing was recorded. Fix the cells below and upload it again.",
        ),
        "sheet_too_big" => (
            "Tệp quá lớn (tối đa 1 MB) hoặc không đọc được.",
            "The file is too big (at most 1 MB) or cannot be read.",
        ),
        "too_many" => (
            "Bạn đã nhập sai mã nhiều lần. Đợi một lát rồi quét lại mã đang chiếu trên màn hình.",
            "Too many wrong codes. Wait a moment, then scan the code on the screen again.",
        ),
        "confirm_cancel" => (
            "Đánh dấu ô xác nhận để huỷ lớp.",
            "Tick the confirmation box to cancel the class.",
        ),
        "sheet_empty" => (
            "Chọn tệp bảng điểm danh để tải lên.",
            "Choose the sign-in sheet file to upload.",
        ),
        _ => return None,
    })
}

/// What completes the course, in words.
pub fn rule_text(r: ClassRule, lang: crate::i18n::Lang) -> &'static str {
    use crate::i18n::T;
    match r {
        ClassRule::Attendance => T::RuleAttendance,
        ClassRule::AttendanceOnlineExam => T::RuleAttendanceOnline,
        ClassRule::AttendanceClassExam => T::RuleAttendanceClass,
    }
    .get(lang)
}

/// An enrolment's status, in words.
pub fn status_text(s: &str, lang: crate::i18n::Lang) -> &'static str {
    use crate::i18n::T;
    match s {
        "enrolled" => T::Enrolled,
        "waiting" => T::Waiting,
        "walk_in" => T::WalkIn,
        _ => T::CancelledPlace,
    }
    .get(lang)
}

/// Where an official stands, in words.
pub fn standing_text(s: Standing, completed: bool, lang: crate::i18n::Lang) -> String {
    use crate::i18n::T;
    if completed {
        return T::StandingMet.get(lang).to_string();
    }
    match s {
        Standing::Attending { attended, needed } => {
            format!("{} {attended}/{needed}", T::StandingAttending.get(lang))
        }
        Standing::AwaitingScore => T::StandingAwaitingScore.get(lang).into(),
        Standing::Failed { score } => format!("{} ({score} %)", T::StandingFailed.get(lang)),
        Standing::AwaitingOnlineExam => T::StandingAwaitingOnline.get(lang).into(),
        Standing::Met => T::StandingMet.get(lang).into(),
    }
}

/// How lists of officials sort: by given name (a Vietnamese name's last word), then the whole name.
pub fn name_key(full_name: &str) -> (String, String) {
    let lower = full_name.trim().to_lowercase();
    (lower.split_whitespace().last().unwrap_or_default().to_string(), lower)
}

/// The number of session rows the class form offers.
pub const FORM_SESSION_ROWS: usize = 4;

impl ClassDraft {
    /// Reads the form's fields (`s1_date`, `s1_start`, `s1_end`, `s1_place`, … for sessions).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ClassDraft {
        let mut d = ClassDraft {
            sessions: vec![SessionDraft::default(); FORM_SESSION_ROWS],
            ..Default::default()
        };
        for (k, v) in pairs {
            let v = v.to_string();
            match k {
                "title" => d.title = v,
                "trainers" => d.trainers = v,
                "course_id" => d.course_ids.push(v),
                "agency_id" => d.agency_id = v,
                "capacity" => d.capacity = v,
                "rule" => d.rule = v,
                "min_attendance_percent" => d.min_attendance_percent = v,
                "pass_percent" => d.pass_percent = v,
                _ => {
                    let Some((n, field)) = k.strip_prefix('s').and_then(|r| r.split_once('_')) else {
                        continue;
                    };
                    let Some(i) = n.parse::<usize>().ok().filter(|i| (1..=FORM_SESSION_ROWS).contains(i)) else {
                        continue;
                    };
                    let s = &mut d.sessions[i - 1];
                    match field {
                        "date" => s.date = v,
                        "start" => s.start = v,
                        "end" => s.end = v,
                        "place" => s.place = v,
                        _ => {}
                    }
                }
            }
        }
        d
    }

    /// The fields again, to send a refused form back with everything as typed.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("title".to_string(), self.title.clone()),
            ("trainers".to_string(), self.trainers.clone()),
        ];
        out.extend(self.course_ids.iter().map(|c| ("course_id".to_string(), c.clone())));
        out.extend([
            ("agency_id".into(), self.agency_id.clone()),
            ("capacity".into(), self.capacity.clone()),
            ("rule".into(), self.rule.clone()),
            ("min_attendance_percent".into(), self.min_attendance_percent.clone()),
            ("pass_percent".into(), self.pass_percent.clone()),
        ]);
        for (i, s) in self.sessions.iter().enumerate().take(FORM_SESSION_ROWS) {
            let n = i + 1;
            out.push((format!("s{n}_date"), s.date.clone()));
            out.push((format!("s{n}_start"), s.start.clone()));
            out.push((format!("s{n}_end"), s.end.clone()));
            out.push((format!("s{n}_place"), s.place.clone()));
        }
        out
    }
}

/// One session as pages show it (local date and times).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub date: chrono::NaiveDate,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub place: String,
}

/// A class in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: i64,
    pub title: String,
    pub course_ids: Vec<String>,
    pub course_titles: Vec<String>,
    /// Who teaches it, as written.
    pub trainers: String,
    /// The invited unit.
    pub agency: String,
    pub rule: ClassRule,
    pub capacity: i32,
    pub enrolled: u32,
    pub waiting: u32,
    pub sessions: Vec<SessionView>,
    pub cancelled: bool,
}

/// An official of the class, as its trainer sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub person_id: i64,
    pub code: String,
    pub name: String,
    pub agency: String,
    /// `enrolled`, `waiting`, `walk_in` or `cancelled`.
    pub status: String,
    /// Per session of the class, in order: how their presence was recorded (`checklist`, `qr`,
    /// `sheet`), or None.
    pub attended: Vec<Option<String>>,
    pub score: Option<i32>,
    pub standing: Standing,
    /// The class completed the course for them.
    pub completed: bool,
}

/// The class page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDetail {
    pub summary: ClassSummary,
    pub min_attendance_percent: i32,
    pub pass_percent: i32,
    pub people: Vec<Participant>,
}

/// A class of mine, as a learner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyClass {
    pub summary: ClassSummary,
    pub status: String,
    pub attended: u32,
    pub standing: Standing,
    pub completed: bool,
}

/// A class held, as the coverage report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldClass {
    pub title: String,
    pub courses: Vec<String>,
    pub unit: String,
    pub first: chrono::NaiveDate,
    pub last: chrono::NaiveDate,
    pub sessions: u32,
    /// In the class (enrolled or confirmed walk-ins).
    pub enrolled: u32,
    /// Came to at least one session.
    pub attended: u32,
    /// Completed a course through it.
    pub completed: u32,
}

/// The projector page of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrView {
    pub class_id: i64,
    pub title: String,
    pub session: SessionView,
    /// What the QR code holds: the check-in page with the current code.
    pub url: String,
    pub svg: String,
    pub code: String,
    /// Seconds until the next code.
    pub refresh_secs: i64,
}

/// The check-in page an official reaches from the QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinView {
    pub title: String,
    pub course_titles: Vec<String>,
    pub session: SessionView,
    /// Their enrolment's status, if any.
    pub status: Option<String>,
    pub checked_in: bool,
    pub cancelled: bool,
}

// ---- The sign-in sheet --------------------------------------------------------------------

use crate::domain::roster::{FileError, Said, header_key};

/// The most rows a sign-in sheet may have.
pub const MAX_SHEET_ROWS: usize = 5_000;

/// One official's line of a filled-in sign-in sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub line: usize,
    /// The code as written, and where.
    pub code: String,
    pub code_column: usize,
    pub code_header: String,
    /// Per session of the class (1-based order): marked present.
    pub present: Vec<bool>,
    /// The in-class exam's score, if the sheet has a `Điểm` column and the cell is filled.
    pub score: Option<i32>,
}

fn sheet_error(line: usize, column: usize, header: &str, what: Said, hint: Said) -> FileError {
    FileError {
        line,
        column,
        header: header.to_string(),
        what,
        hint,
    }
}

/// A presence mark: `x`, `✓`, `1`, `có` → present; empty, `0`, `vắng`, `không` → absent.
fn mark(cell: &str) -> Option<bool> {
    match cell.trim() {
        "✓" | "✔" | "☑" | "☒" => return Some(true),
        "✗" | "-" => return Some(false),
        _ => {}
    }
    match header_key(cell).as_str() {
        "" | "0" | "vang" | "khong" | "no" | "absent" => Some(false),
        "x" | "1" | "co" | "yes" | "v" | "present" => Some(true),
        _ => None,
    }
}

/// Reads a filled-in sign-in sheet (CSV, or a workbook already turned into CSV): a `Mã cán bộ`
/// column and one `Buổi N` column per session (`Session N` in English). Every problem is
/// reported at its line and column; the caller applies nothing unless there are none.
pub fn read_sheet(text: &str, sessions: usize) -> Result<Vec<SheetRow>, Vec<FileError>> {
    // The separator is the header line's (a title above it may hold either).
    let header_line = text
        .lines()
        .take(10)
        .find(|l| header_key(l).contains("ma can bo"))
        .unwrap_or_else(|| text.lines().next().unwrap_or(""));
    let delimiter = crate::domain::roster::sniff_delimiter(header_line);
    let records = crate::domain::roster::records_with(text, delimiter).map_err(|e| vec![e])?;
    let is_code = |k: &str| matches!(k, "ma can bo" | "ma cb" | "code" | "official code");
    // The header line: the first (of the first ten) with a code column, so a title above the
    // table (as Taphuan's own list has) is skipped.
    let header_at = records
        .iter()
        .take(10)
        .position(|(_, cells)| cells.iter().any(|h| is_code(&header_key(h))))
        .unwrap_or(0);
    let Some((_, headers)) = records.get(header_at) else {
        return Err(vec![sheet_error(
            1,
            0,
            "",
            Said::new("tệp trống", "the file is empty"),
            Said::new(
                "tải lên bảng điểm danh đã điền, có dòng tiêu đề “Mã cán bộ”, “Buổi 1”…",
                "upload the filled-in sheet, with a header line “Mã cán bộ”, “Buổi 1”…",
            ),
        )]);
    };
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let code_col = keys.iter().position(|k| is_code(k));
    let score_col = keys
        .iter()
        .position(|k| matches!(k.as_str(), "diem" | "score" | "diem kiem tra"));
    let session_cols: Vec<(usize, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            let n = k.strip_prefix("buoi ").or_else(|| k.strip_prefix("session "))?;
            let n: usize = n.trim().parse().ok()?;
            (1..=sessions).contains(&n).then_some((i, n))
        })
        .collect();
    let mut errors = Vec::new();
    let Some(code_col) = code_col else {
        return Err(vec![sheet_error(
            1,
            0,
            "",
            Said::new(
                "không có cột “Mã cán bộ”",
                "there is no “Mã cán bộ” (official code) column",
            ),
            Said::new(
                "dùng bảng điểm danh in từ Taphuan, hoặc đặt tên cột chứa mã cán bộ là “Mã cán bộ”",
                "use the sheet printed by Taphuan, or name the column of official codes “Mã cán bộ”",
            ),
        )]);
    };
    if session_cols.is_empty() {
        return Err(vec![sheet_error(
            1,
            0,
            "",
            Said::new("không có cột buổi học nào", "there is no session column"),
            Said::new(
                format!("đặt tên các cột điểm danh là “Buổi 1” … “Buổi {sessions}”"),
                format!("name the attendance columns “Buổi 1” … “Buổi {sessions}”"),
            ),
        )]);
    }
    if records.len() > MAX_SHEET_ROWS + header_at + 1 {
        return Err(vec![sheet_error(
            MAX_SHEET_ROWS + 2,
            0,
            "",
            Said::new(
                format!("bảng có hơn {MAX_SHEET_ROWS} dòng"),
                format!("the sheet has more than {MAX_SHEET_ROWS} lines"),
            ),
            Said::new("tách thành nhiều tệp", "split it into several files"),
        )]);
    }
    let mut rows = Vec::new();
    for (line, cells) in records.iter().skip(header_at + 1) {
        let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or_default();
        let code = cell(code_col).to_string();
        if code.is_empty() {
            errors.push(sheet_error(
                *line,
                code_col + 1,
                &headers[code_col],
                Said::new("thiếu mã cán bộ", "the official code is missing"),
                Said::new("ghi mã cán bộ như trên bảng in", "write the official code as printed"),
            ));
            continue;
        }
        let mut present = vec![false; sessions];
        for (i, n) in &session_cols {
            match mark(cell(*i)) {
                Some(p) => present[n - 1] |= p,
                None => errors.push(sheet_error(
                    *line,
                    i + 1,
                    &headers[*i],
                    Said::new(
                        format!("không hiểu dấu điểm danh \"{}\"", cell(*i)),
                        format!("\"{}\" is not an attendance mark", cell(*i)),
                    ),
                    Said::new(
                        "ghi x nếu có mặt, để trống nếu vắng",
                        "write x if present, leave it empty if absent",
                    ),
                )),
            }
        }
        let score = match score_col.map(|i| (i, cell(i))) {
            None | Some((_, "")) => None,
            Some((i, raw)) => match raw.replace(',', ".").parse::<f64>() {
                Ok(x) if (0.0..=100.0).contains(&x) => Some(x.round() as i32),
                _ => {
                    errors.push(sheet_error(
                        *line,
                        i + 1,
                        &headers[i],
                        Said::new(
                            format!("điểm \"{raw}\" không phải là một số từ 0 đến 100"),
                            format!("the score \"{raw}\" is not a number from 0 to 100"),
                        ),
                        Said::new(
                            "ghi điểm phần trăm (ví dụ 85), hoặc để trống",
                            "write the score as a percentage (e.g. 85), or leave it empty",
                        ),
                    ));
                    None
                }
            },
        };
        rows.push(SheetRow {
            score,
            line: *line,
            code,
            code_column: code_col + 1,
            code_header: headers[code_col].clone(),
            present,
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_sheet_is_read_with_its_problems_at_line_and_column() {
        let ok = "STT,Mã cán bộ,Họ và tên,Buổi 1,Buổi 2\r\n1,GL001,An,x,\r\n2,GL002,Bình,✓,X\r\n";
        let rows = read_sheet(ok, 2).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].present, [true, false]);
        assert_eq!(rows[1].present, [true, true]);
        assert_eq!((rows[1].line, rows[1].code_column), (3, 2));
        let bad = "Mã cán bộ;Buổi 1\n;x\nGL003;có lẽ\n";
        let e = read_sheet(bad, 1).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 1));
        assert_eq!((e[1].line, e[1].column, e[1].header.as_str()), (3, 2, "Buổi 1"));
        assert!(
            read_sheet("Họ và tên,Buổi 1\nAn,x\n", 1).unwrap_err()[0]
                .what
                .vi
                .contains("Mã cán bộ")
        );
        // Taphuan's own list: a title line above the table.
        let titled = "DANH SÁCH HỌC VIÊN — Lớp A\n\nSTT,Mã cán bộ,Họ và tên,Buổi 1\n1,GL001,An,x\n";
        let rows = read_sheet(titled, 1).unwrap();
        assert_eq!((rows[0].line, rows[0].present[0]), (4, true));
        // Taphuan's list read back: the score column too; a bad score is refused at its cell.
        let list = "STT;Mã cán bộ;Họ và tên;Buổi 1;Điểm (%);Kết quả\n1;GL001;An;x;85,5;\n2;GL002;Bình;;;\n";
        let rows = read_sheet(list, 1).unwrap();
        assert_eq!((rows[0].score, rows[1].score), (Some(86), None));
        let e = read_sheet("Mã cán bộ,Buổi 1,Điểm\nGL001,x,101\n", 1).unwrap_err();
        assert_eq!((e[0].line, e[0].column, e[0].header.as_str()), (2, 3, "Điểm"));
    }

    #[test]
    fn attendance_needs_its_share_of_sessions_rounded_up() {
        assert_eq!(sessions_needed(1, 100), 1);
        assert_eq!(sessions_needed(4, 80), 4);
        assert_eq!(sessions_needed(5, 80), 4);
        assert_eq!(sessions_needed(3, 1), 1);
        assert_eq!(
            standing(ClassRule::Attendance, 5, 3, 80, None, 70),
            Standing::Attending { attended: 3, needed: 4 }
        );
        assert_eq!(standing(ClassRule::Attendance, 5, 4, 80, None, 70), Standing::Met);
    }

    #[test]
    fn an_in_class_exam_needs_its_score_at_the_pass_mark() {
        let r = ClassRule::AttendanceClassExam;
        assert_eq!(standing(r, 1, 1, 100, None, 70), Standing::AwaitingScore);
        assert_eq!(standing(r, 1, 1, 100, Some(69), 70), Standing::Failed { score: 69 });
        assert_eq!(standing(r, 1, 1, 100, Some(70), 70), Standing::Met);
        // A score without the attendance completes nothing.
        assert_eq!(
            standing(r, 2, 1, 100, Some(100), 70),
            Standing::Attending { attended: 1, needed: 2 }
        );
        assert_eq!(
            standing(ClassRule::AttendanceOnlineExam, 1, 1, 100, None, 70),
            Standing::AwaitingOnlineExam
        );
    }

    #[test]
    fn a_code_is_current_for_two_windows_then_expired_and_a_stranger_is_wrong() {
        let code = |w: i64| format!("{:08}", w * 7919 % 100_000_000);
        let now = 1_000_000;
        assert_eq!(check_code(&code(now), now, code), CodeCheck::Current);
        assert_eq!(check_code(&code(now - 1), now, code), CodeCheck::Current);
        assert_eq!(check_code(&code(now - 2), now, code), CodeCheck::Expired);
        assert_eq!(check_code(&code(now - 100), now, code), CodeCheck::Expired);
        assert_eq!(check_code("12345678x", now, code), CodeCheck::Wrong);
        assert_eq!(check_code("", now, code), CodeCheck::Wrong);
        // A code of the future (a clock trick) is not accepted either.
        assert_eq!(check_code(&code(now + 1), now, code), CodeCheck::Wrong);
        assert_eq!(window_of(59), 1);
        assert_eq!(secs_to_next_window(59), 1);
        assert_eq!(code_from_mac(&[0xff; 32]).len(), 8);
    }

    fn draft() -> ClassDraft {
        ClassDraft {
            title: "Lớp tập huấn TMĐT".into(),
            trainers: "ThS. Nguyễn Văn A, Chi cục QLTT".into(),
            course_ids: vec!["a".into(), "b".into(), "a".into()],
            agency_id: "4".into(),
            capacity: "30".into(),
            rule: "attendance_class_exam".into(),
            min_attendance_percent: "100".into(),
            pass_percent: "70".into(),
            sessions: vec![
                SessionDraft {
                    date: "2026-12-10".into(),
                    start: "08:00".into(),
                    end: "11:30".into(),
                    place: "Hội trường Sở Công Thương".into(),
                },
                SessionDraft::default(),
            ],
        }
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let plan = draft().check().unwrap();
        assert_eq!(plan.sessions.len(), 1);
        assert_eq!(plan.course_ids, ["a", "b"], "each course once");
        let back = ClassDraft::from_pairs(draft().to_pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back.course_ids, draft().course_ids, "the draft survives the round trip");
        assert_eq!(plan.rule, ClassRule::AttendanceClassExam);
        let mut bad = draft();
        bad.capacity = "0".into();
        bad.sessions[0].end = "07:00".into();
        bad.sessions[1].date = "10/12/2026".into();
        let problems = bad.check().unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["capacity", "session1", "session2"]);
        assert!(problems[1].vi.contains("sau giờ bắt đầu"));
        let mut none = draft();
        none.sessions.clear();
        assert_eq!(none.check().unwrap_err()[0].field, "session1");
    }
}

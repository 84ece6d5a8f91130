//! Programs (targets) as a manager writes them: the form as typed ([`ProgramDraft`]), the
//! checked rule ([`ProgramSpec`], also what a revision stores), every problem at once with the
//! field it belongs to and what to write instead, and the difference between two revisions.
//!
//! Pure: the server supplies what it knows (agencies in the editor's scope, courses in the
//! library, codes already taken) as [`Known`]; the same check can run in the browser.

use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The two ways courses combine.
pub const RULES: [&str; 2] = ["all", "any"];
/// The two ways a course counts.
pub const METRICS: [&str; 3] = ["valid_at_deadline", "ever_completed", "current_version"];

/// A program as the picker and the headline show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub deadline: NaiveDate,
    pub threshold_percent: u32,
    /// (course id, title)
    pub courses: Vec<(String, String)>,
    /// `all` or `any`
    pub rule: String,
    /// `valid_at_deadline`, `ever_completed` or `current_version`
    pub metric: String,
    pub enforcement_only: bool,
    pub positions: Vec<String>,
}

/// A program in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub root_name: String,
    pub deadline: NaiveDate,
    pub threshold_percent: u32,
    pub courses: usize,
    pub active: bool,
    pub can_edit: bool,
    /// Exemptions in force, within the caller's scope.
    pub exempt: u64,
    pub revisions: u64,
}

/// A choice of agency for the program's root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyOption {
    pub id: i64,
    pub name: String,
    pub depth: usize,
}

/// One revision in a program's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionDto {
    pub revision: i32,
    pub changed_at: chrono::DateTime<chrono::Utc>,
    pub by: String,
    pub reason: String,
    /// Empty for the first revision (the program as created).
    pub changes: Vec<Change>,
}

/// Everything the program page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramEditor {
    /// None for a new program.
    pub id: Option<i64>,
    pub can_edit: bool,
    /// The saved program (or a new program's starting point).
    pub draft: ProgramDraft,
    /// What the checker knows (the page checks a returned draft with the same rules).
    pub known: Known,
    pub agencies: Vec<AgencyOption>,
    /// (id, title) of the library's courses.
    pub courses: Vec<(String, String)>,
    /// Positions on the roster, for the population's checkboxes.
    pub positions: Vec<String>,
    pub history: Vec<RevisionDto>,
    /// Within the caller's scope, newest first.
    pub exemptions: Vec<crate::domain::record::ExemptionDto>,
    /// Today's counts in the caller's scope under the saved rule (None for a new program).
    pub today: Option<crate::domain::coverage::Counts>,
}

/// A program's rule, checked. What the `programs` row holds and each revision records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSpec {
    pub code: String,
    pub name: String,
    pub description: String,
    pub root_agency_id: i64,
    /// Empty = every position.
    pub positions: Vec<String>,
    pub enforcement_only: bool,
    pub courses: Vec<String>,
    /// `all` or `any`
    pub rule: String,
    pub threshold_percent: u32,
    pub deadline: NaiveDate,
    /// `valid_at_deadline`, `ever_completed` or `current_version`
    pub metric: String,
    pub active: bool,
}

/// The program form as typed: every field a string (or list of strings) so nothing the person
/// wrote is lost when it is sent back with the problems.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgramDraft {
    pub code: String,
    pub name: String,
    pub description: String,
    pub root_agency_id: String,
    pub positions: Vec<String>,
    pub enforcement_only: bool,
    pub courses: Vec<String>,
    pub rule: String,
    pub threshold_percent: String,
    pub deadline: String,
    pub metric: String,
    pub active: bool,
    /// Why it is being created or changed (required when changing: it goes in the history).
    pub reason: String,
}

impl ProgramDraft {
    /// The draft that shows a saved program.
    pub fn from_spec(s: &ProgramSpec) -> ProgramDraft {
        ProgramDraft {
            code: s.code.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            root_agency_id: s.root_agency_id.to_string(),
            positions: s.positions.clone(),
            enforcement_only: s.enforcement_only,
            courses: s.courses.clone(),
            rule: s.rule.clone(),
            threshold_percent: s.threshold_percent.to_string(),
            deadline: s.deadline.format("%Y-%m-%d").to_string(),
            metric: s.metric.clone(),
            active: s.active,
            reason: String::new(),
        }
    }

    /// A new program's starting point: the whole of one agency, every course required,
    /// 100 % of enforcement officials, certificates valid at the deadline.
    pub fn blank(root_agency_id: i64) -> ProgramDraft {
        ProgramDraft {
            root_agency_id: root_agency_id.to_string(),
            enforcement_only: true,
            rule: "all".into(),
            threshold_percent: "100".into(),
            metric: "valid_at_deadline".into(),
            active: true,
            ..Default::default()
        }
    }

    /// Reads an HTML form body (`application/x-www-form-urlencoded` pairs, repeated names for
    /// the lists; an unchecked checkbox sends nothing).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ProgramDraft {
        let mut d = ProgramDraft::default();
        for (k, v) in pairs {
            let v = v.to_string();
            match k {
                "code" => d.code = v,
                "name" => d.name = v,
                "description" => d.description = v,
                "root_agency_id" => d.root_agency_id = v,
                "positions" if !v.trim().is_empty() => d.positions.push(v),
                "courses" if !v.trim().is_empty() => d.courses.push(v),
                "enforcement_only" => d.enforcement_only = is_on(&v),
                "active" => d.active = is_on(&v),
                "rule" => d.rule = v,
                "threshold_percent" => d.threshold_percent = v,
                "deadline" => d.deadline = v,
                "metric" => d.metric = v,
                "reason" => d.reason = v,
                _ => {}
            }
        }
        d
    }

    /// The same fields as form pairs (to send a draft back to its form).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("code", self.code.clone()),
            ("name", self.name.clone()),
            ("description", self.description.clone()),
            ("root_agency_id", self.root_agency_id.clone()),
            ("rule", self.rule.clone()),
            ("threshold_percent", self.threshold_percent.clone()),
            ("deadline", self.deadline.clone()),
            ("metric", self.metric.clone()),
            ("reason", self.reason.clone()),
        ];
        out.extend(self.positions.iter().map(|p| ("positions", p.clone())));
        out.extend(self.courses.iter().map(|c| ("courses", c.clone())));
        if self.enforcement_only {
            out.push(("enforcement_only", "on".into()));
        }
        if self.active {
            out.push(("active", "on".into()));
        }
        out
    }
}

fn is_on(v: &str) -> bool {
    matches!(v.trim().to_lowercase().as_str(), "on" | "true" | "1" | "yes" | "có")
}

/// What the check needs to know beyond the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// Agencies the editor may root a program at (their subtree).
    pub agencies: Vec<i64>,
    /// Course ids of the library.
    pub courses: Vec<String>,
    /// Codes of the other programs.
    pub taken_codes: Vec<String>,
    /// True when an existing program is being changed (a reason is then required).
    pub editing: bool,
}

/// The form field a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Code,
    Name,
    Description,
    Root,
    Positions,
    EnforcementOnly,
    Courses,
    Rule,
    Threshold,
    Deadline,
    Metric,
    Active,
    Reason,
}

impl Field {
    /// The id of the input, for `aria-describedby` and links from the summary.
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Code => "p-code",
            Field::Name => "p-name",
            Field::Description => "p-description",
            Field::Root => "p-root",
            Field::Positions => "p-positions",
            Field::EnforcementOnly => "p-enforcement",
            Field::Courses => "p-courses",
            Field::Rule => "p-rule",
            Field::Threshold => "p-threshold",
            Field::Deadline => "p-deadline",
            Field::Metric => "p-metric",
            Field::Active => "p-active",
            Field::Reason => "p-reason",
        }
    }
}

/// One thing wrong with a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    CodeMissing,
    CodeChars(String),
    CodeTaken(String),
    NameMissing,
    TooLong(Field, usize),
    RootNotAllowed,
    PositionBlank,
    NoCourse,
    UnknownCourse(String),
    Rule(String),
    ThresholdNotNumber(String),
    ThresholdRange(u32),
    DeadlineFormat(String),
    Metric(String),
    ReasonMissing,
}

impl Problem {
    pub fn field(&self) -> Field {
        match self {
            Problem::CodeMissing | Problem::CodeChars(_) | Problem::CodeTaken(_) => Field::Code,
            Problem::NameMissing => Field::Name,
            Problem::TooLong(f, _) => *f,
            Problem::RootNotAllowed => Field::Root,
            Problem::PositionBlank => Field::Positions,
            Problem::NoCourse | Problem::UnknownCourse(_) => Field::Courses,
            Problem::Rule(_) => Field::Rule,
            Problem::ThresholdNotNumber(_) | Problem::ThresholdRange(_) => Field::Threshold,
            Problem::DeadlineFormat(_) => Field::Deadline,
            Problem::Metric(_) => Field::Metric,
            Problem::ReasonMissing => Field::Reason,
        }
    }

    /// What is wrong and what to write instead.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Problem::CodeMissing => pick(
                vi,
                "Ghi mã chỉ tiêu, ví dụ DA319-2026.",
                "Write a code, e.g. DA319-2026.",
            ),
            Problem::CodeChars(c) => {
                if vi {
                    format!(
                        "Mã \"{c}\" chỉ được có chữ không dấu, số, '-', '_' hoặc '.' (2–40 ký tự), ví dụ DA319-2026."
                    )
                } else {
                    format!(
                        "Code \"{c}\" may hold only unaccented letters, digits, '-', '_' or '.' (2–40), e.g. DA319-2026."
                    )
                }
            }
            Problem::CodeTaken(c) => {
                if vi {
                    format!("Mã \"{c}\" đã dùng cho chỉ tiêu khác — chọn mã khác.")
                } else {
                    format!("Code \"{c}\" is used by another program — choose another.")
                }
            }
            Problem::NameMissing => pick(
                vi,
                "Ghi tên chỉ tiêu, ví dụ \"Đề án 319 — 100% cán bộ thực thi được tập huấn\".",
                "Write a name, e.g. \"Scheme 319 — 100% of enforcement officials trained\".",
            ),
            Problem::TooLong(_, max) => {
                if vi {
                    format!("Quá dài — tối đa {max} ký tự.")
                } else {
                    format!("Too long — at most {max} characters.")
                }
            }
            Problem::RootNotAllowed => pick(
                vi,
                "Chọn một đơn vị trong phạm vi quản lý của bạn.",
                "Choose an agency within your scope.",
            ),
            Problem::PositionBlank => pick(vi, "Bỏ chức danh để trống.", "Remove the blank position."),
            Problem::NoCourse => pick(
                vi,
                "Chọn ít nhất một khóa học bắt buộc.",
                "Choose at least one required course.",
            ),
            Problem::UnknownCourse(c) => {
                if vi {
                    format!("Không có khóa học \"{c}\" trong thư viện — chọn từ danh sách.")
                } else {
                    format!("There is no course \"{c}\" in the library — choose from the list.")
                }
            }
            Problem::Rule(r) => {
                if vi {
                    format!("\"{r}\": chọn \"tất cả\" hoặc \"ít nhất một\" khóa học.")
                } else {
                    format!("\"{r}\": choose \"all\" or \"any\" of the courses.")
                }
            }
            Problem::ThresholdNotNumber(t) => {
                if vi {
                    format!("\"{t}\" không phải số — ghi một số nguyên từ 1 đến 100, ví dụ 100.")
                } else {
                    format!("\"{t}\" is not a number — write a whole number from 1 to 100, e.g. 100.")
                }
            }
            Problem::ThresholdRange(n) => {
                if vi {
                    format!("{n}%: ngưỡng phải từ 1 đến 100.")
                } else {
                    format!("{n}%: the threshold must be from 1 to 100.")
                }
            }
            Problem::DeadlineFormat(d) => {
                if vi {
                    format!("\"{d}\" không phải ngày — ghi dạng yyyy-mm-dd, ví dụ 2026-12-31.")
                } else {
                    format!("\"{d}\" is not a date — write yyyy-mm-dd, e.g. 2026-12-31.")
                }
            }
            Problem::Metric(m) => {
                if vi {
                    format!(
                        "\"{m}\": chọn \"chứng nhận còn hiệu lực tại hạn\", \"đã từng hoàn thành\" hoặc \"chứng nhận theo phiên bản hiện hành\"."
                    )
                } else {
                    format!(
                        "\"{m}\": choose \"certificate valid at the deadline\", \"ever completed\" or \"certified on the current version\"."
                    )
                }
            }
            Problem::ReasonMissing => pick(
                vi,
                "Ghi lý do thay đổi (sẽ lưu trong lịch sử chỉ tiêu), ví dụ \"Theo KH 1122/KH-UBND\".",
                "Write why it changes (kept in the program's history), e.g. \"Per plan 1122/KH-UBND\".",
            ),
        }
    }
}

fn pick(vi: bool, a: &str, b: &str) -> String {
    if vi { a } else { b }.to_string()
}

fn code_ok(c: &str) -> bool {
    (2..=40).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
}

/// Checks a draft: the spec, or every problem (in form order).
pub fn check(d: &ProgramDraft, known: &Known) -> Result<ProgramSpec, Vec<Problem>> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.trim().nfc().collect::<String>();
    let mut problems = vec![];
    let code = d.code.trim().to_string();
    if code.is_empty() {
        problems.push(Problem::CodeMissing);
    } else if !code_ok(&code) {
        problems.push(Problem::CodeChars(code.clone()));
    } else if known.taken_codes.iter().any(|t| t.eq_ignore_ascii_case(&code)) {
        problems.push(Problem::CodeTaken(code.clone()));
    }
    let name = nfc(&d.name);
    if name.is_empty() {
        problems.push(Problem::NameMissing);
    } else if name.chars().count() > 200 {
        problems.push(Problem::TooLong(Field::Name, 200));
    }
    let description = nfc(&d.description);
    if description.chars().count() > 2000 {
        problems.push(Problem::TooLong(Field::Description, 2000));
    }
    let root = d.root_agency_id.trim().parse::<i64>().ok();
    if !root.is_some_and(|r| known.agencies.contains(&r)) {
        problems.push(Problem::RootNotAllowed);
    }
    let mut positions: Vec<String> = vec![];
    for p in &d.positions {
        let p = nfc(p);
        if p.is_empty() {
            problems.push(Problem::PositionBlank);
        } else if !positions.contains(&p) {
            positions.push(p);
        }
    }
    let mut courses: Vec<String> = vec![];
    for c in &d.courses {
        let c = c.trim().to_string();
        if !known.courses.contains(&c) {
            problems.push(Problem::UnknownCourse(c));
        } else if !courses.contains(&c) {
            courses.push(c);
        }
    }
    if d.courses.is_empty() {
        problems.push(Problem::NoCourse);
    }
    let rule = d.rule.trim().to_string();
    if !RULES.contains(&rule.as_str()) {
        problems.push(Problem::Rule(rule.clone()));
    }
    let threshold = d.threshold_percent.trim().trim_end_matches('%').trim();
    let threshold = match threshold.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Some(n),
        Ok(n) => {
            problems.push(Problem::ThresholdRange(n));
            None
        }
        Err(_) => {
            problems.push(Problem::ThresholdNotNumber(d.threshold_percent.trim().to_string()));
            None
        }
    };
    let deadline = NaiveDate::parse_from_str(d.deadline.trim(), "%Y-%m-%d").ok();
    if deadline.is_none() {
        problems.push(Problem::DeadlineFormat(d.deadline.trim().to_string()));
    }
    let metric = d.metric.trim().to_string();
    if !METRICS.contains(&metric.as_str()) {
        problems.push(Problem::Metric(metric.clone()));
    }
    let reason = nfc(&d.reason);
    if known.editing && reason.is_empty() {
        problems.push(Problem::ReasonMissing);
    } else if reason.chars().count() > 500 {
        problems.push(Problem::TooLong(Field::Reason, 500));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.field() as u8);
        return Err(problems);
    }
    Ok(ProgramSpec {
        code,
        name,
        description,
        root_agency_id: root.unwrap_or_default(),
        positions,
        enforcement_only: d.enforcement_only,
        courses,
        rule,
        threshold_percent: threshold.unwrap_or(100),
        deadline: deadline.unwrap_or_default(),
        metric,
        active: d.active,
    })
}

/// One field that differs between two revisions, as text for the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// The fields that differ from `old` to `new` (the history shows these; names are resolved by
/// the caller through `name_of` for agencies and courses).
pub fn diff(
    old: &ProgramSpec,
    new: &ProgramSpec,
    agency_name: impl Fn(i64) -> String,
    course_title: impl Fn(&str) -> String,
) -> Vec<Change> {
    let mut out = vec![];
    let mut push = |field, before: String, after: String| {
        if before != after {
            out.push(Change { field, before, after });
        }
    };
    push(Field::Code, old.code.clone(), new.code.clone());
    push(Field::Name, old.name.clone(), new.name.clone());
    push(Field::Description, old.description.clone(), new.description.clone());
    push(
        Field::Root,
        agency_name(old.root_agency_id),
        agency_name(new.root_agency_id),
    );
    push(Field::Positions, old.positions.join(", "), new.positions.join(", "));
    push(
        Field::EnforcementOnly,
        flag(old.enforcement_only),
        flag(new.enforcement_only),
    );
    let titles = |cs: &[String]| cs.iter().map(|c| course_title(c)).collect::<Vec<_>>().join(", ");
    push(Field::Courses, titles(&old.courses), titles(&new.courses));
    push(Field::Rule, old.rule.clone(), new.rule.clone());
    push(
        Field::Threshold,
        format!("{}%", old.threshold_percent),
        format!("{}%", new.threshold_percent),
    );
    push(Field::Deadline, old.deadline.to_string(), new.deadline.to_string());
    push(Field::Metric, old.metric.clone(), new.metric.clone());
    push(Field::Active, flag(old.active), flag(new.active));
    out
}

fn flag(b: bool) -> String {
    if b { "✓" } else { "✗" }.into()
}

/// Why an exemption cannot be recorded or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExemptionProblem {
    ReasonMissing,
    ApproverMissing,
    TooLong,
    /// The official is not in the program's population today: there is nothing to exempt.
    NotInPopulation,
    AlreadyExempt,
    /// Nobody exempts themself.
    OwnRecord,
    /// Withdrawing an exemption already withdrawn.
    NotInForce,
}

impl ExemptionProblem {
    pub const ALL: [ExemptionProblem; 7] = [
        ExemptionProblem::ReasonMissing,
        ExemptionProblem::ApproverMissing,
        ExemptionProblem::TooLong,
        ExemptionProblem::NotInPopulation,
        ExemptionProblem::AlreadyExempt,
        ExemptionProblem::OwnRecord,
        ExemptionProblem::NotInForce,
    ];

    /// A short code for a redirect's query string.
    pub fn code(self) -> &'static str {
        match self {
            ExemptionProblem::ReasonMissing => "reason",
            ExemptionProblem::ApproverMissing => "approver",
            ExemptionProblem::TooLong => "too-long",
            ExemptionProblem::NotInPopulation => "not-in-population",
            ExemptionProblem::AlreadyExempt => "already",
            ExemptionProblem::OwnRecord => "own",
            ExemptionProblem::NotInForce => "not-in-force",
        }
    }

    pub fn from_code(c: &str) -> Option<ExemptionProblem> {
        ExemptionProblem::ALL.into_iter().find(|p| p.code() == c)
    }

    pub fn message(self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            ExemptionProblem::ReasonMissing => pick(
                vi,
                "Ghi lý do miễn trừ, ví dụ \"Nghỉ thai sản đến 30/6/2027\".",
                "Write the reason, e.g. \"Maternity leave until 30/6/2027\".",
            ),
            ExemptionProblem::ApproverMissing => pick(
                vi,
                "Ghi người phê duyệt và văn bản, ví dụ \"Chi cục trưởng — QĐ 15/QĐ-CCQLTT\".",
                "Write who approved it and the document, e.g. \"Head of sub-department — Decision 15/QĐ-CCQLTT\".",
            ),
            ExemptionProblem::TooLong => pick(
                vi,
                "Quá dài — tối đa 500 ký tự mỗi ô.",
                "Too long — at most 500 characters each.",
            ),
            ExemptionProblem::NotInPopulation => pick(
                vi,
                "Cán bộ này hiện không thuộc đối tượng của chỉ tiêu — không cần miễn trừ.",
                "This official is not in the program's population today — there is nothing to exempt.",
            ),
            ExemptionProblem::AlreadyExempt => pick(
                vi,
                "Cán bộ này đã được miễn trừ khỏi chỉ tiêu này.",
                "This official is already exempted from this program.",
            ),
            ExemptionProblem::OwnRecord => pick(
                vi,
                "Không thể tự miễn trừ cho chính mình — cần người quản lý khác ghi nhận.",
                "You cannot exempt yourself — another manager must record it.",
            ),
            ExemptionProblem::NotInForce => pick(
                vi,
                "Miễn trừ này đã được thu hồi trước đó.",
                "This exemption was already withdrawn.",
            ),
        }
    }
}

/// Checks the two texts an exemption needs: (reason, approver), trimmed and NFC.
pub fn check_exemption(reason: &str, approved_by: &str) -> Result<(String, String), Vec<ExemptionProblem>> {
    use unicode_normalization::UnicodeNormalization;
    let reason: String = reason.trim().nfc().collect();
    let approved_by: String = approved_by.trim().nfc().collect();
    let mut problems = vec![];
    if reason.is_empty() {
        problems.push(ExemptionProblem::ReasonMissing);
    }
    if approved_by.is_empty() {
        problems.push(ExemptionProblem::ApproverMissing);
    }
    if reason.chars().count() > 500 || approved_by.chars().count() > 500 {
        problems.push(ExemptionProblem::TooLong);
    }
    if problems.is_empty() {
        Ok((reason, approved_by))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            agencies: vec![1, 4],
            courses: vec!["a-luat".into(), "b-nghiep-vu".into()],
            taken_codes: vec!["DA319".into()],
            editing: false,
        }
    }

    fn good() -> ProgramDraft {
        ProgramDraft {
            code: "KH1122-2026".into(),
            name: "Kế hoạch 1122 — cán bộ thực thi".into(),
            root_agency_id: "4".into(),
            courses: vec!["a-luat".into()],
            deadline: "2026-12-31".into(),
            ..ProgramDraft::blank(4)
        }
    }

    #[test]
    fn a_good_draft_becomes_a_spec() {
        let s = check(&good(), &known()).unwrap();
        assert_eq!(s.code, "KH1122-2026");
        assert_eq!(s.root_agency_id, 4);
        assert_eq!(s.threshold_percent, 100);
        assert_eq!(s.deadline, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(ProgramDraft::from_spec(&s).code, "KH1122-2026");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let d = ProgramDraft {
            code: "DA 319!".into(),
            name: " ".into(),
            root_agency_id: "99".into(),
            courses: vec!["z-none".into()],
            rule: "most".into(),
            threshold_percent: "120".into(),
            deadline: "31/12/2026".into(),
            metric: "vibes".into(),
            ..Default::default()
        };
        let errs = check(
            &d,
            &Known {
                editing: true,
                ..known()
            },
        )
        .unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            vec![
                Field::Code,
                Field::Name,
                Field::Root,
                Field::Courses,
                Field::Rule,
                Field::Threshold,
                Field::Deadline,
                Field::Metric,
                Field::Reason
            ]
        );
        assert!(errs[6].message(Lang::Vi).contains("yyyy-mm-dd"), "{:?}", errs[6]);
        assert!(errs[5].message(Lang::En).contains("from 1 to 100"));
    }

    #[test]
    fn codes_of_other_programs_are_taken_in_any_case() {
        let d = ProgramDraft {
            code: "da319".into(),
            ..good()
        };
        assert_eq!(
            check(&d, &known()).unwrap_err(),
            vec![Problem::CodeTaken("da319".into())]
        );
    }

    #[test]
    fn no_course_is_an_error_and_duplicates_collapse() {
        let d = ProgramDraft {
            courses: vec![],
            ..good()
        };
        assert_eq!(check(&d, &known()).unwrap_err(), vec![Problem::NoCourse]);
        let d = ProgramDraft {
            courses: vec!["a-luat".into(), "a-luat".into()],
            positions: vec!["Kiểm soát viên".into(), "Kiểm soát viên".into()],
            ..good()
        };
        let s = check(&d, &known()).unwrap();
        assert_eq!(s.courses, vec!["a-luat".to_string()]);
        assert_eq!(s.positions.len(), 1);
    }

    #[test]
    fn form_pairs_round_trip_including_lists_and_checkboxes() {
        let d = ProgramDraft {
            positions: vec!["Đội trưởng".into(), "Kiểm soát viên".into()],
            courses: vec!["a-luat".into(), "b-nghiep-vu".into()],
            enforcement_only: false,
            reason: "Theo KH 1122".into(),
            ..good()
        };
        let pairs = d.to_pairs();
        let back = ProgramDraft::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, d);
    }

    #[test]
    fn an_exemption_needs_a_reason_and_an_approver() {
        assert_eq!(
            check_exemption("  ", ""),
            Err(vec![ExemptionProblem::ReasonMissing, ExemptionProblem::ApproverMissing])
        );
        let (r, a) = check_exemption(" Nghi\u{0309} thai sa\u{0309}n ", "Chi cục trưởng").unwrap();
        assert_eq!(r, "Nghỉ thai sản", "trimmed and NFC");
        assert_eq!(a, "Chi cục trưởng");
        for p in ExemptionProblem::ALL {
            assert_eq!(ExemptionProblem::from_code(p.code()), Some(p));
        }
    }

    #[test]
    fn diff_lists_only_what_changed_with_names() {
        let a = check(&good(), &known()).unwrap();
        let b = ProgramSpec {
            threshold_percent: 90,
            courses: vec!["a-luat".into(), "b-nghiep-vu".into()],
            ..a.clone()
        };
        let ch = diff(&a, &b, |id| format!("agency {id}"), |c| c.to_uppercase());
        assert_eq!(ch.len(), 2);
        assert_eq!(ch[0].field, Field::Courses);
        assert_eq!(ch[0].after, "A-LUAT, B-NGHIEP-VU");
        assert_eq!((ch[1].before.as_str(), ch[1].after.as_str()), ("100%", "90%"));
    }
}

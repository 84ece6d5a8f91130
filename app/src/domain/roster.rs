//! Roster and agency files: reading, validating and diffing, with no I/O. Applying a diff to the
//! database lives in `ssr::roster`.
//!
//! ## The roster format
//! A CSV file, UTF-8 with or without a BOM, separated by commas or semicolons (sniffed from the
//! header line: Excel in a Vietnamese locale writes semicolons). The first line names the
//! columns, in Vietnamese or English, in any order, with or without diacritics:
//!
//! | column | accepted headers | required |
//! |---|---|---|
//! | official code | `mã cán bộ`, `mã`, `code`, `official code` | yes |
//! | full name | `họ và tên`, `họ tên`, `full name`, `name` | yes |
//! | agency code | `mã đơn vị`, `đơn vị`, `agency code`, `agency` | yes |
//! | position | `chức vụ`, `position` | yes |
//! | enforcement duty | `nhiệm vụ thực thi`, `thực thi`, `enforcement`, `enforcement duty` | yes |
//! | email | `email`, `thư điện tử` | no |
//! | phone | `điện thoại`, `số điện thoại`, `phone` | no |
//! | start date | `ngày bắt đầu`, `từ ngày`, `start date`, `start` | no |
//! | end date | `ngày kết thúc`, `đến ngày`, `end date`, `end` | no |
//!
//! Yes/no cells accept `có`/`không`, `yes`/`no`, `1`/`0`, `x` (yes) or empty (no), in any case.
//! Dates are `dd/mm/yyyy` or `yyyy-mm-dd`. Names are trimmed, spaces collapsed and normalised to
//! NFC (files typed on a Mac often arrive decomposed, NFD). Every error names its line and
//! column: `dòng L, cột C (header): what — what to write`.

use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// A message in both interface languages: what is wrong and what to write are said in the
/// language of whoever reads the preview (the CLI and the logs use Vietnamese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub vi: String,
    pub en: String,
}

impl Said {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            vi: vi.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// One problem in a file, at a line (1 = the header) and a column (1-based; 0 = whole line).
/// `header` is the file's own header cell, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    pub line: usize,
    pub column: usize,
    pub header: String,
    pub what: Said,
    pub hint: Said,
}

impl FileError {
    /// `dòng L, cột C (header): what — what to write` in Vietnamese, `line L, column C
    /// (header): …` in English.
    pub fn show(&self, lang: Lang) -> String {
        let (line, column) = match lang {
            Lang::Vi => ("dòng", "cột"),
            Lang::En => ("line", "column"),
        };
        let (what, hint) = (self.what.get(lang), self.hint.get(lang));
        if self.column == 0 {
            format!("{line} {}: {what} — {hint}", self.line)
        } else {
            format!(
                "{line} {}, {column} {} ({}): {what} — {hint}",
                self.line, self.column, self.header
            )
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.show(Lang::Vi))
    }
}

/// A valid roster line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub line: usize,
    pub code: String,
    pub full_name: String,
    pub agency_code: String,
    pub position: String,
    pub enforcement: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// Removes diacritics and đ, lowercases and collapses spaces: how headers are compared.
pub fn fold(s: &str) -> String {
    let folded: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims, collapses inner whitespace and normalises to NFC.
pub fn clean_text(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a yes/no cell. Empty is no.
pub fn parse_flag(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "co" | "yes" | "y" | "1" | "x" | "true" | "c" => Some(true),
        "khong" | "no" | "n" | "0" | "false" | "k" | "" => Some(false),
        _ => None,
    }
}

/// Reads `dd/mm/yyyy`, `d/m/yyyy` or `yyyy-mm-dd`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}

/// Decodes file bytes as UTF-8 (a BOM is dropped). Anything else is an error on line 1.
// A file is read once per upload and fails at most once: the size of the error is no cost.
#[allow(clippy::result_large_err)]
pub fn decode(bytes: &[u8]) -> Result<String, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| FileError {
        line: 1 + bytes[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        column: 0,
        header: String::new(),
        what: Said::new("tệp không phải UTF-8", "the file is not UTF-8"),
        hint: Said::new(
            "lưu tệp dưới dạng \"CSV UTF-8\" (Excel: Lưu thành → CSV UTF-8)",
            "save it as \"CSV UTF-8\" (Excel: Save As → CSV UTF-8)",
        ),
    })
}

/// `;` if the header line has more semicolons than commas, else `,`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let head = text.lines().next().unwrap_or("");
    if head.matches(';').count() > head.matches(',').count() {
        b';'
    } else {
        b','
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Code,
    Name,
    Agency,
    Position,
    Enforcement,
    Email,
    Phone,
    Start,
    End,
}

/// A column a file may have: its key, whether it is required, its name as people write it
/// (used in messages), and the header spellings accepted after [`fold`].
struct ColumnSpec<K> {
    key: K,
    required: bool,
    label: &'static str,
    /// The label in English messages.
    label_en: &'static str,
    names: &'static [&'static str],
    /// Key words (as [`header_key`] writes them): a header that holds the key words of exactly
    /// one column is read as that column, and the preview says it was inferred.
    keywords: &'static [&'static str],
}

const ROSTER_COLUMNS: &[ColumnSpec<Col>] = &[
    ColumnSpec {
        key: Col::Code,
        required: true,
        label: "mã cán bộ",
        label_en: "official code",
        names: &["ma can bo", "ma", "code", "official code", "ma cb"],
        keywords: &[
            "ma can bo",
            "ma cb",
            "so hieu",
            "ma nhan vien",
            "ma dinh danh",
            "official code",
            "staff code",
        ],
    },
    ColumnSpec {
        key: Col::Name,
        required: true,
        label: "họ và tên",
        label_en: "full name",
        names: &["ho va ten", "ho ten", "full name", "name", "ten"],
        keywords: &["ho va ten", "ho ten", "ten can bo", "full name"],
    },
    ColumnSpec {
        key: Col::Agency,
        required: true,
        label: "mã đơn vị",
        label_en: "agency code",
        names: &["ma don vi", "don vi", "agency code", "agency"],
        keywords: &["ma don vi", "ma dv", "ma co quan", "agency code"],
    },
    ColumnSpec {
        key: Col::Position,
        required: true,
        label: "chức vụ",
        label_en: "position",
        names: &["chuc vu", "position"],
        keywords: &["chuc vu", "chuc danh", "position"],
    },
    ColumnSpec {
        key: Col::Enforcement,
        required: true,
        label: "nhiệm vụ thực thi",
        label_en: "enforcement duty",
        names: &["nhiem vu thuc thi", "thuc thi", "enforcement", "enforcement duty"],
        keywords: &["thuc thi", "xu ly vi pham", "xu phat", "tham quyen", "enforcement"],
    },
    ColumnSpec {
        key: Col::Email,
        required: false,
        label: "email",
        label_en: "email",
        names: &["email", "thu dien tu", "e-mail"],
        keywords: &["email", "e mail", "thu dien tu"],
    },
    ColumnSpec {
        key: Col::Phone,
        required: false,
        label: "điện thoại",
        label_en: "phone",
        names: &["dien thoai", "so dien thoai", "phone", "sdt"],
        keywords: &["dien thoai", "di dong", "sdt", "phone", "mobile"],
    },
    ColumnSpec {
        key: Col::Start,
        required: false,
        label: "ngày bắt đầu",
        label_en: "start date",
        names: &["ngay bat dau", "tu ngay", "start date", "start"],
        keywords: &["ngay bat dau", "tu ngay", "ngay vao", "start"],
    },
    ColumnSpec {
        key: Col::End,
        required: false,
        label: "ngày kết thúc",
        label_en: "end date",
        names: &["ngay ket thuc", "den ngay", "end date", "end"],
        keywords: &["ngay ket thuc", "den ngay", "ngay nghi", "end date"],
    },
];

/// A header as compared: [`fold`]ed, with punctuation, `_` and `-` read as spaces
/// (`ma_don_vi`, `Mã-Đơn vị` and `MÃ ĐƠN VỊ` are all `ma don vi`).
pub fn header_key(s: &str) -> String {
    fold(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Columns chosen by a person for headers of a file: [`header_key`] of the header → the label
/// of a column (`mã cán bộ`, …), or [`IGNORE`] to skip the column. From the preview's selects,
/// remembered per unit, or `--map 'HEADER=column'` on the CLI.
pub type HeaderChoices = HashMap<String, String>;

/// The choice that skips a column.
pub const IGNORE: &str = "-";

/// How a header was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HowMatched {
    /// One of the column's accepted spellings.
    Exact,
    /// It holds the key words of exactly one column: shown for the manager to confirm.
    Inferred,
    /// Chosen by a person (preview, remembered choice, `--map`): a column, or to skip it
    /// (`label` None).
    Chosen,
    /// A blank header cell.
    Ignored,
    /// Matches no column, or the key words of several: an error until chosen.
    Unknown,
}

/// One header cell of a file and the column it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderMatch {
    /// 1-based.
    pub column: usize,
    pub header: String,
    /// The column's label (`mã cán bộ`), or `None`.
    pub label: Option<String>,
    pub how: HowMatched,
    /// For an unknown header: the columns its key words point to (several = ambiguous).
    pub candidates: Vec<String>,
}

/// Whether `phrase` (words) occurs in `key` (words) as whole words.
fn holds(key: &str, phrase: &str) -> bool {
    format!(" {key} ").contains(&format!(" {phrase} "))
}

/// The column a header's key words point to: the one whose longest matching key phrase is
/// strictly longest; several at the same length are ambiguous (all returned).
fn infer<'a, K>(key: &str, specs: &'a [ColumnSpec<K>]) -> Vec<&'a ColumnSpec<K>> {
    let scored: Vec<(usize, &ColumnSpec<K>)> = specs
        .iter()
        .filter_map(|s| {
            s.keywords
                .iter()
                .filter(|k| holds(key, k))
                .map(|k| k.split(' ').count())
                .max()
                .map(|n| (n, s))
        })
        .collect();
    let best = scored.iter().map(|(n, _)| *n).max().unwrap_or(0);
    scored.into_iter().filter(|(n, _)| *n == best).map(|(_, s)| s).collect()
}

/// The one header mapper of roster and agency files. Each header is read, in this order, as
/// the column a person chose for it (`choices`), as a column it spells (after [`header_key`]),
/// or as the one column whose key words it holds. Blank headers and chosen skips are ignored;
/// an unknown or ambiguous header, a column given twice and a required column missing are
/// errors at the header line, named as people write them, with the choices. An empty file is
/// an error too. Every header's reading is returned, for the preview to show and change.
#[allow(clippy::type_complexity)]
fn map_header<K: Copy + Eq + std::hash::Hash>(
    recs: &[(usize, Vec<String>)],
    specs: &[ColumnSpec<K>],
    choices: &HeaderChoices,
) -> (Result<(usize, HashMap<K, usize>), Vec<FileError>>, Vec<HeaderMatch>) {
    let known = specs.iter().map(|s| s.label).collect::<Vec<_>>().join(", ");
    let known_en = specs.iter().map(|s| s.label_en).collect::<Vec<_>>().join(", ");
    let Some((hline, header)) = recs.first() else {
        return (
            Err(vec![FileError {
                line: 1,
                column: 0,
                header: String::new(),
                what: Said::new("tệp rỗng", "the file is empty"),
                hint: Said::new(
                    format!("dòng đầu là tên cột: {known}"),
                    format!("the first line names the columns: {known_en}"),
                ),
            }]),
            vec![],
        );
    };
    let mut errors = vec![];
    let mut cols: HashMap<K, usize> = HashMap::new();
    let mut matches = vec![];
    for (i, h) in header.iter().enumerate() {
        let key = header_key(h);
        let mut m = HeaderMatch {
            column: i + 1,
            header: h.trim().to_string(),
            label: None,
            how: HowMatched::Ignored,
            candidates: vec![],
        };
        let chosen = choices.get(&key);
        let spec = if key.is_empty() {
            None
        } else if chosen.is_some_and(|c| c == IGNORE) {
            m.how = HowMatched::Chosen;
            None
        } else if let Some(s) = chosen.and_then(|c| specs.iter().find(|s| s.label == c)) {
            m.how = HowMatched::Chosen;
            Some(s)
        } else if let Some(s) = specs.iter().find(|s| s.names.iter().any(|n| header_key(n) == key)) {
            m.how = HowMatched::Exact;
            Some(s)
        } else {
            let found = infer(&key, specs);
            m.candidates = found.iter().map(|s| s.label.to_string()).collect();
            if let [one] = found.as_slice() {
                m.how = HowMatched::Inferred;
                Some(*one)
            } else {
                m.how = HowMatched::Unknown;
                errors.push(FileError {
                    line: *hline,
                    column: i + 1,
                    header: h.clone(),
                    what: if found.is_empty() {
                        Said::new(
                            format!("không nhận ra tên cột \"{}\"", h.trim()),
                            format!("unknown column \"{}\"", h.trim()),
                        )
                    } else {
                        Said::new(
                            format!("cột \"{}\" có thể là {}", h.trim(), m.candidates.join(" hoặc ")),
                            format!(
                                "column \"{}\" could be {}",
                                h.trim(),
                                found.iter().map(|s| s.label_en).collect::<Vec<_>>().join(" or ")
                            ),
                        )
                    },
                    hint: Said::new(
                        format!("đổi tên cột, hoặc chọn cột tương ứng ({known}) hay bỏ qua cột này"),
                        format!("rename the column, or choose the column it is ({known_en}) or skip it"),
                    ),
                });
                None
            }
        };
        if let Some(s) = spec {
            m.label = Some(s.label.to_string());
            if let std::collections::hash_map::Entry::Vacant(e) = cols.entry(s.key) {
                e.insert(i);
            } else {
                errors.push(FileError {
                    line: *hline,
                    column: i + 1,
                    header: h.clone(),
                    what: Said::new(
                        format!("cột \"{}\" bị lặp", s.label),
                        format!("column \"{}\" is given twice", s.label_en),
                    ),
                    hint: Said::new("mỗi cột chỉ xuất hiện một lần", "give each column once"),
                });
            }
        }
        matches.push(m);
    }
    for s in specs.iter().filter(|s| s.required && !cols.contains_key(&s.key)) {
        errors.push(FileError {
            line: *hline,
            column: 0,
            header: String::new(),
            what: Said::new(
                format!("thiếu cột \"{}\"", s.label),
                format!("column \"{}\" is missing", s.label_en),
            ),
            hint: Said::new(
                format!(
                    "thêm cột \"{}\" vào dòng tiêu đề, hoặc chọn cột nào của tệp là \"{}\"",
                    s.label, s.label
                ),
                format!(
                    "add a column \"{}\" to the header line, or choose which column of the file it is",
                    s.label_en
                ),
            ),
        });
    }
    let result = if errors.is_empty() {
        Ok((*hline, cols))
    } else {
        Err(errors)
    };
    (result, matches)
}

/// The header row of a file (empty when it cannot be read).
pub fn header_row(bytes: &[u8]) -> Vec<String> {
    decode(bytes)
        .ok()
        .and_then(|t| records(&t).ok())
        .and_then(|r| r.into_iter().next())
        .map(|(_, cells)| cells)
        .unwrap_or_default()
}

/// The columns a roster file may have, by label (for the preview's selects and `--map`).
pub fn roster_labels() -> Vec<&'static str> {
    ROSTER_COLUMNS.iter().map(|s| s.label).collect()
}

/// The columns an agency file may have, by label.
pub fn agency_labels() -> Vec<&'static str> {
    AGENCY_COLUMNS.iter().map(|s| s.label).collect()
}

/// Reads CSV records with their line numbers (1 = header).
// A file is read once per upload and fails at most once: the size of the error is no cost.
#[allow(clippy::result_large_err)]
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    records_with(text, sniff_delimiter(text))
}

/// [`records`] with a known delimiter.
#[allow(clippy::result_large_err)]
pub fn records_with(text: &str, delimiter: u8) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = vec![];
    // csv's own line numbers lag by one after a CRLF (the LF starts the next record), so lines
    // are counted here from the byte offset of each record's first character.
    let bytes = text.as_bytes();
    let (mut seen_to, mut newlines) = (0usize, 0usize);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| FileError {
            line: e.position().map(|p| p.line() as usize).unwrap_or(0),
            column: 0,
            header: String::new(),
            what: Said::new("không đọc được dòng CSV", "this CSV line cannot be read"),
            hint: Said::new(
                "kiểm tra dấu ngoặc kép: một ô chứa dấu phân cách phải nằm trong \"…\"",
                "check the quotes: a cell holding the separator must be inside \"…\"",
            ),
        })?;
        let mut at = rec.position().map(|p| p.byte() as usize).unwrap_or(seen_to);
        while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        let at = at.min(bytes.len());
        if at > seen_to {
            newlines += bytes[seen_to..at].iter().filter(|b| **b == b'\n').count();
            seen_to = at;
        }
        let line = newlines + 1;
        let cells: Vec<String> = rec.iter().map(|c| c.to_string()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push((line, cells));
    }
    Ok(out)
}

/// Parses and checks a roster file against the known agency codes. `allowed` limits the
/// agencies the importer may write to (a manager's subtree); `None` = all. Returns every valid
/// row and every error; the file is usable only when there is no error.
pub fn parse_roster(
    bytes: &[u8],
    known_agencies: &HashSet<String>,
    allowed: Option<&HashSet<String>>,
) -> (Vec<RosterRow>, Vec<FileError>) {
    let (rows, errors, _) = read_roster(bytes, known_agencies, allowed, &HeaderChoices::new());
    (rows, errors)
}

/// [`parse_roster`] with columns chosen for some headers, returning how every header was read.
pub fn read_roster(
    bytes: &[u8],
    known_agencies: &HashSet<String>,
    allowed: Option<&HashSet<String>>,
    choices: &HeaderChoices,
) -> (Vec<RosterRow>, Vec<FileError>, Vec<HeaderMatch>) {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => return (vec![], vec![e], vec![]),
    };
    let recs = match records(&text) {
        Ok(r) => r,
        Err(e) => return (vec![], vec![e], vec![]),
    };
    let (mapped, matches) = map_header(&recs, ROSTER_COLUMNS, choices);
    let (_, cols) = match mapped {
        Ok(c) => c,
        Err(errors) => return (vec![], errors, matches),
    };
    let header = &recs[0].1;
    let mut errors = vec![];
    let mut rows = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &recs[1..] {
        let line = *line;
        let cell = |c: Col| -> (usize, String, String) {
            let i = cols[&c];
            (
                i + 1,
                header[i].clone(),
                cells.get(i).map(|s| s.trim().to_string()).unwrap_or_default(),
            )
        };
        let mut err = |col: Col, what: Said, hint: Said| {
            let (n, h, _) = cell(col);
            errors.push(FileError {
                line,
                column: n,
                header: h,
                what,
                hint,
            });
        };
        let opt = |c: Col| cols.get(&c).map(|_| cell(c).2).filter(|s| !s.is_empty());
        let code = clean_text(&cell(Col::Code).2);
        let full_name = clean_text(&cell(Col::Name).2);
        let agency_code = clean_text(&cell(Col::Agency).2).to_uppercase();
        let position = clean_text(&cell(Col::Position).2);
        let flag_raw = cell(Col::Enforcement).2;
        let mut ok = true;
        if code.is_empty() {
            err(
                Col::Code,
                Said::new("thiếu mã cán bộ", "the official code is missing"),
                Said::new(
                    "ghi mã cán bộ duy nhất, ví dụ GL00123",
                    "write a code no other official has, e.g. GL00123",
                ),
            );
            ok = false;
        } else if let Some(first) = seen.get(&code) {
            err(
                Col::Code,
                Said::new(
                    format!("mã cán bộ {code} đã có ở dòng {first}"),
                    format!("official code {code} is already on line {first}"),
                ),
                Said::new("mỗi cán bộ chỉ một dòng", "one line per official"),
            );
            ok = false;
        } else {
            seen.insert(code.clone(), line);
        }
        if full_name.is_empty() {
            err(
                Col::Name,
                Said::new("thiếu họ và tên", "the full name is missing"),
                Said::new("ghi đầy đủ họ và tên", "write the full name"),
            );
            ok = false;
        }
        if agency_code.is_empty() {
            err(
                Col::Agency,
                Said::new("thiếu mã đơn vị", "the agency code is missing"),
                Said::new(
                    "ghi mã đơn vị, ví dụ GL-QLTT-D01",
                    "write the agency code, e.g. GL-QLTT-D01",
                ),
            );
            ok = false;
        } else if !known_agencies.contains(&agency_code) {
            err(
                Col::Agency,
                Said::new(
                    format!("không có đơn vị mã \"{agency_code}\""),
                    format!("no agency has the code \"{agency_code}\""),
                ),
                Said::new(
                    "ghi một mã đơn vị có trong danh mục đơn vị (nhập danh mục đơn vị trước nếu là đơn vị mới)",
                    "write a code from the list of agencies (import the agency list first for a new agency)",
                ),
            );
            ok = false;
        } else if allowed.is_some_and(|a| !a.contains(&agency_code)) {
            err(
                Col::Agency,
                Said::new(
                    format!("đơn vị \"{agency_code}\" ngoài phạm vi bạn quản lý"),
                    format!("agency \"{agency_code}\" is outside the agencies you manage"),
                ),
                Said::new(
                    "chỉ nhập cán bộ thuộc các đơn vị bạn quản lý",
                    "import only officials of the agencies you manage",
                ),
            );
            ok = false;
        }
        if position.is_empty() {
            err(
                Col::Position,
                Said::new("thiếu chức vụ", "the position is missing"),
                Said::new(
                    "ghi chức vụ, ví dụ Kiểm soát viên thị trường",
                    "write the position, e.g. Kiểm soát viên thị trường",
                ),
            );
            ok = false;
        }
        let enforcement = parse_flag(&flag_raw);
        if enforcement.is_none() {
            err(
                Col::Enforcement,
                Said::new(
                    format!("không hiểu giá trị \"{flag_raw}\""),
                    format!("\"{flag_raw}\" is neither yes nor no"),
                ),
                Said::new(
                    "ghi có hoặc không (cũng nhận yes/no, 1/0, x)",
                    "write có or không (yes/no, 1/0 and x are read too)",
                ),
            );
            ok = false;
        }
        let mut date = |c: Col| -> Option<NaiveDate> {
            let raw = opt(c)?;
            let d = parse_date(&raw);
            if d.is_none() {
                err(
                    c,
                    Said::new(format!("không hiểu ngày \"{raw}\""), format!("\"{raw}\" is not a date")),
                    Said::new(
                        "ghi ngày dạng dd/mm/yyyy, ví dụ 01/07/2025",
                        "write the date as dd/mm/yyyy, e.g. 01/07/2025",
                    ),
                );
                ok = false;
            }
            d
        };
        let start_date = date(Col::Start);
        let end_date = date(Col::End);
        if let (Some(s), Some(e)) = (start_date, end_date)
            && e < s
        {
            {
                err(
                    Col::End,
                    Said::new(
                        "ngày kết thúc trước ngày bắt đầu",
                        "the end date is before the start date",
                    ),
                    Said::new("sửa ngày kết thúc", "correct the end date"),
                );
                ok = false;
            }
        }
        let email = opt(Col::Email);
        if let Some(e) = &email
            && !e.contains('@')
        {
            {
                err(
                    Col::Email,
                    Said::new(
                        format!("\"{e}\" không phải địa chỉ email"),
                        format!("\"{e}\" is not an email address"),
                    ),
                    Said::new(
                        "ghi dạng ten@coquan.gov.vn hoặc để trống",
                        "write it as name@agency.gov.vn or leave it empty",
                    ),
                );
                ok = false;
            }
        }
        if ok {
            rows.push(RosterRow {
                line,
                code,
                full_name,
                agency_code,
                position,
                enforcement: enforcement.unwrap_or(false),
                email,
                phone: opt(Col::Phone),
                start_date,
                end_date,
            });
        }
    }
    (rows, errors, matches)
}

/// An official as the database has them now (for the diff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Current {
    pub person_id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_code: String,
    pub position: String,
    pub enforcement: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

/// What a re-import would change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RosterDiff {
    /// New officials (or former ones coming back: `person_id` set).
    pub joiners: Vec<(Option<i64>, RosterRow)>,
    /// Active officials of the covered agencies missing from the file, or with an end date.
    pub leavers: Vec<Leaver>,
    /// Officials whose agency changes: (person id, from agency code, row).
    pub transfers: Vec<(i64, String, RosterRow)>,
    /// Same agency, other fields change: (person id, changed field names, row).
    pub changes: Vec<(i64, Vec<String>, RosterRow)>,
}

/// An official leaving the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaver {
    pub person_id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_code: String,
    pub end_date: Option<NaiveDate>,
}

impl RosterDiff {
    /// Nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.joiners.is_empty() && self.leavers.is_empty() && self.transfers.is_empty() && self.changes.is_empty()
    }
}

/// How a roster file is read against the current roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ImportMode {
    /// "Update these people" (the default): joiners, transfers and changes only. Nobody leaves
    /// for being absent from the file (a row with an end date still ends that official's period).
    #[default]
    Update,
    /// "This is the complete list for the unit": an active official of the unit who is missing
    /// from the file leaves.
    Complete,
}

impl ImportMode {
    /// `complete` → [`ImportMode::Complete`]; anything else is the safe default.
    pub fn parse(s: &str) -> ImportMode {
        if s.trim().eq_ignore_ascii_case("complete") {
            ImportMode::Complete
        } else {
            ImportMode::Update
        }
    }

    /// The form value.
    pub fn code(self) -> &'static str {
        match self {
            ImportMode::Update => "update",
            ImportMode::Complete => "complete",
        }
    }
}

/// Whether the leavers a file would make must be confirmed by typing their number: more than 20
/// people, or more than 10 % of the active officials the file speaks for. One wrong file must not
/// end the history of a whole Chi cục with one click.
pub fn leavers_need_confirmation(leavers: usize, active_in_unit: usize) -> bool {
    leavers > 20 || leavers * 10 > active_in_unit
}

/// Cells of valid rows that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
/// first): a warning at import, not an error (exports neutralise them, `domain::spreadsheet`).
pub fn formula_warnings(rows: &[RosterRow]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows {
        for (header, value) in [
            ("mã cán bộ", &r.code),
            ("họ và tên", &r.full_name),
            ("chức vụ", &r.position),
        ] {
            if super::spreadsheet::runs_as_formula(value) {
                out.push(format!(
                    "dòng {} ({header}): \"{}\" bắt đầu bằng ký tự mà bảng tính hiểu là công thức — kiểm tra lại; khi xuất CSV, Taphuan thêm dấu ' ở đầu để bảng tính không chạy nó",
                    r.line,
                    value.chars().take(40).collect::<String>()
                ));
            }
        }
    }
    out
}

/// Compares a valid file with the current roster. `covered_agencies`: the agencies this file
/// is authoritative for — an active official there who is not in the file is a leaver.
pub fn diff(current: &[Current], rows: &[RosterRow], covered_agencies: &HashSet<String>) -> RosterDiff {
    let by_code: HashMap<&str, &Current> = current.iter().map(|c| (c.code.as_str(), c)).collect();
    let mut d = RosterDiff::default();
    let in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    for r in rows {
        let cur = by_code.get(r.code.as_str());
        if let Some(end) = r.end_date {
            if let Some(c) = cur.filter(|c| c.active) {
                d.leavers.push(Leaver {
                    person_id: c.person_id,
                    code: c.code.clone(),
                    full_name: c.full_name.clone(),
                    agency_code: c.agency_code.clone(),
                    end_date: Some(end),
                });
            }
            continue;
        }
        match cur {
            None => d.joiners.push((None, r.clone())),
            Some(c) if !c.active => d.joiners.push((Some(c.person_id), r.clone())),
            Some(c) if c.agency_code != r.agency_code => {
                d.transfers.push((c.person_id, c.agency_code.clone(), r.clone()));
            }
            Some(c) => {
                let mut fields = vec![];
                if c.full_name != r.full_name {
                    fields.push("họ và tên".to_string());
                }
                if c.position != r.position {
                    fields.push("chức vụ".to_string());
                }
                if c.enforcement != r.enforcement {
                    fields.push("nhiệm vụ thực thi".to_string());
                }
                if r.email.is_some() && c.email != r.email {
                    fields.push("email".to_string());
                }
                if r.phone.is_some() && c.phone != r.phone {
                    fields.push("điện thoại".to_string());
                }
                if !fields.is_empty() {
                    d.changes.push((c.person_id, fields, r.clone()));
                }
            }
        }
    }
    let mut leavers: Vec<&Current> = current
        .iter()
        .filter(|c| c.active && covered_agencies.contains(&c.agency_code) && !in_file.contains(c.code.as_str()))
        .collect();
    leavers.sort_by(|a, b| a.code.cmp(&b.code));
    d.leavers.extend(leavers.into_iter().map(|c| Leaver {
        person_id: c.person_id,
        code: c.code.clone(),
        full_name: c.full_name.clone(),
        agency_code: c.agency_code.clone(),
        end_date: None,
    }));
    d
}

/// A valid line of an agency file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRow {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub merged_into: Option<String>,
}

const AGENCY_COLUMNS: &[ColumnSpec<&str>] = &[
    ColumnSpec {
        key: "code",
        required: true,
        label: "mã đơn vị",
        label_en: "agency code",
        names: &["ma don vi", "ma", "code", "agency code"],
        keywords: &["ma don vi", "ma co quan", "ma dv", "agency code"],
    },
    ColumnSpec {
        key: "name",
        required: true,
        label: "tên đơn vị",
        label_en: "agency name",
        names: &["ten don vi", "ten", "name"],
        keywords: &["ten don vi", "ten co quan", "ten dv", "agency name"],
    },
    ColumnSpec {
        key: "parent",
        required: false,
        label: "mã đơn vị cấp trên",
        label_en: "parent agency code",
        names: &["ma don vi cap tren", "don vi cap tren", "parent code", "parent"],
        keywords: &["cap tren", "truc thuoc", "chu quan", "parent"],
    },
    ColumnSpec {
        key: "from",
        required: false,
        label: "hiệu lực từ",
        label_en: "valid from",
        names: &["hieu luc tu", "tu ngay", "valid from"],
        keywords: &["hieu luc tu", "ngay thanh lap", "valid from"],
    },
    ColumnSpec {
        key: "to",
        required: false,
        label: "hiệu lực đến",
        label_en: "valid to",
        names: &["hieu luc den", "den ngay", "valid to"],
        keywords: &["hieu luc den", "ngay giai the", "valid to"],
    },
    ColumnSpec {
        key: "merged",
        required: false,
        label: "sáp nhập vào",
        label_en: "merged into",
        names: &["sap nhap vao", "hop nhat vao", "merged into"],
        keywords: &["sap nhap", "hop nhat", "merged"],
    },
];

/// Parses an agency file (code, name, parent code, valid-from, valid-to, merged-into). Parents
/// and merge targets must be in the file or in `known`; the tree must have no cycle.
pub fn parse_agencies(bytes: &[u8], known: &HashSet<String>) -> (Vec<AgencyRow>, Vec<FileError>) {
    let (rows, errors, _) = read_agencies(bytes, known, &HeaderChoices::new());
    (rows, errors)
}

/// [`parse_agencies`] with columns chosen for some headers, returning how every header was read.
pub fn read_agencies(
    bytes: &[u8],
    known: &HashSet<String>,
    choices: &HeaderChoices,
) -> (Vec<AgencyRow>, Vec<FileError>, Vec<HeaderMatch>) {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => return (vec![], vec![e], vec![]),
    };
    let recs = match records(&text) {
        Ok(r) => r,
        Err(e) => return (vec![], vec![e], vec![]),
    };
    let (mapped, matches) = map_header(&recs, AGENCY_COLUMNS, choices);
    let cols = match mapped {
        Ok((_, c)) => c,
        Err(errors) => return (vec![], errors, matches),
    };
    let header = &recs[0].1;
    let mut errors = vec![];
    let in_file: HashSet<String> = recs[1..]
        .iter()
        .filter_map(|(_, c)| c.get(cols["code"]).map(|s| clean_text(s).to_uppercase()))
        .collect();
    let mut rows = vec![];
    for (line, cells) in &recs[1..] {
        let get = |k: &str| -> Option<(usize, String, String)> {
            let i = *cols.get(k)?;
            Some((
                i + 1,
                header[i].clone(),
                clean_text(cells.get(i).map(String::as_str).unwrap_or("")),
            ))
        };
        let mut ok = true;
        let mut err = |k: &str, what: Said, hint: Said| {
            let (n, h, _) = get(k).unwrap_or((0, String::new(), String::new()));
            errors.push(FileError {
                line: *line,
                column: n,
                header: h,
                what,
                hint,
            });
        };
        let code = get("code").map(|c| c.2.to_uppercase()).unwrap_or_default();
        let name = get("name").map(|c| c.2).unwrap_or_default();
        if code.is_empty() {
            err(
                "code",
                Said::new("thiếu mã đơn vị", "the agency code is missing"),
                Said::new(
                    "ghi mã đơn vị, ví dụ GL-QLTT-D12",
                    "write the agency code, e.g. GL-QLTT-D12",
                ),
            );
            ok = false;
        }
        if name.is_empty() {
            err(
                "name",
                Said::new("thiếu tên đơn vị", "the agency name is missing"),
                Said::new("ghi tên đơn vị", "write the agency's name"),
            );
            ok = false;
        }
        let mut reference = |k: &str| -> Option<String> {
            let v = get(k)?.2.to_uppercase();
            if v.is_empty() {
                return None;
            }
            if !known.contains(&v) && !in_file.contains(&v) {
                err(
                    k,
                    Said::new(
                        format!("không có đơn vị mã \"{v}\""),
                        format!("no agency has the code \"{v}\""),
                    ),
                    Said::new(
                        "ghi mã một đơn vị có sẵn hoặc có trong tệp",
                        "write the code of an existing agency or of one in the file",
                    ),
                );
                ok = false;
            }
            Some(v)
        };
        let parent_code = reference("parent");
        let merged_into = reference("merged");
        let mut date = |k: &str| -> Option<NaiveDate> {
            let raw = get(k)?.2;
            if raw.is_empty() {
                return None;
            }
            let d = parse_date(&raw);
            if d.is_none() {
                err(
                    k,
                    Said::new(format!("không hiểu ngày \"{raw}\""), format!("\"{raw}\" is not a date")),
                    Said::new("ghi ngày dạng dd/mm/yyyy", "write the date as dd/mm/yyyy"),
                );
                ok = false;
            }
            d
        };
        let valid_from = date("from");
        let valid_to = date("to");
        if ok {
            rows.push(AgencyRow {
                line: *line,
                code,
                name,
                parent_code,
                valid_from,
                valid_to,
                merged_into,
            });
        }
    }
    // Cycles among the file's own parent links.
    let parent: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| r.parent_code.as_deref().map(|p| (r.code.as_str(), p)))
        .collect();
    for r in &rows {
        let mut cur = r.code.as_str();
        for _ in 0..=rows.len() {
            match parent.get(cur) {
                Some(p) if *p == r.code => {
                    errors.push(FileError {
                        line: r.line,
                        column: cols.get("parent").map(|i| i + 1).unwrap_or(0),
                        header: "parent".into(),
                        what: Said::new(
                            format!("đơn vị {} nằm dưới chính nó", r.code),
                            format!("agency {} is under itself", r.code),
                        ),
                        hint: Said::new("sửa mã đơn vị cấp trên", "correct the parent agency code"),
                    });
                    break;
                }
                Some(p) => cur = p,
                None => break,
            }
        }
    }
    (rows, errors, matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> HashSet<String> {
        ["GL-QLTT-D01", "GL-QLTT-D02"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_a_messy_vietnamese_excel_file() {
        // BOM, semicolons, headers without diacritics in another order, NFD names.
        let nfd = "Nguyễn Văn An".nfd().collect::<String>();
        let src = format!(
            "\u{feff}Ho va ten;Ma can bo;Ma don vi;Chuc vu;Nhiem vu thuc thi;Ngay bat dau\r\n  {nfd} ;GL1;gl-qltt-d01;KSV;CÓ;01/07/2025\r\nTrần Thị B;GL2;GL-QLTT-D02;Kế toán;không;\r\n"
        );
        let (rows, errors) = parse_roster(src.as_bytes(), &known(), None);
        assert_eq!(errors, vec![]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].full_name, "Nguyễn Văn An");
        assert_eq!(rows[0].full_name, rows[0].full_name.nfc().collect::<String>());
        assert_eq!(rows[0].agency_code, "GL-QLTT-D01");
        assert!(rows[0].enforcement);
        assert!(!rows[1].enforcement);
        assert_eq!(rows[0].start_date, NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[0].line, 2, "CRLF line endings count right");
    }

    #[test]
    fn flags_in_every_accepted_spelling() {
        for (s, want) in [
            ("có", Some(true)),
            ("CÓ", Some(true)),
            ("Yes", Some(true)),
            ("1", Some(true)),
            ("x", Some(true)),
            ("X", Some(true)),
            ("không", Some(false)),
            ("KHÔNG", Some(false)),
            ("no", Some(false)),
            ("0", Some(false)),
            ("", Some(false)),
            ("có lẽ", None),
            ("?", None),
        ] {
            assert_eq!(parse_flag(s), want, "{s:?}");
        }
    }

    #[test]
    fn reports_every_error_with_line_and_column() {
        let src = "code,full name,agency code,position,enforcement\nGL1,A,GL-XX,KSV,yes\nGL2,B,GL-QLTT-D01,KSV,maybe\nGL1,C,GL-QLTT-D01,KSV,no\n";
        let (rows, errors) = parse_roster(src.as_bytes(), &known(), None);
        let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:#?}");
        assert!(msgs[0].starts_with("dòng 2, cột 3 (agency code): không có đơn vị mã \"GL-XX\" — "));
        assert!(msgs[1].starts_with("dòng 3, cột 5 (enforcement): không hiểu giá trị \"maybe\" — ghi có hoặc không"));
        assert!(msgs[2].starts_with("dòng 4, cột 1 (code): mã cán bộ GL1 đã có ở dòng 2"));
        assert!(rows.is_empty());
    }

    #[test]
    fn every_error_reads_in_english_for_an_english_reader() {
        let src = "code,full name,agency code,position,enforcement,start date\nGL1,A,GL-XX,KSV,yes,31/02/2025\n,B,GL-QLTT-D01,,maybe,\n";
        let (_, errors) = parse_roster(src.as_bytes(), &known(), None);
        let en: Vec<String> = errors.iter().map(|e| e.show(Lang::En)).collect();
        assert_eq!(
            en[0],
            "line 2, column 3 (agency code): no agency has the code \"GL-XX\" — write a code from the list of agencies (import the agency list first for a new agency)"
        );
        assert_eq!(en.len(), 5, "{en:#?}");
        // No Vietnamese word is left in an English message (the cell values are the file's own).
        for m in &en {
            assert!(!m.contains("dòng") && !m.contains("cột") && !m.contains("ghi "), "{m}");
        }
        let (_, missing) = parse_roster("mã cán bộ;họ và tên\nGL1;An\n".as_bytes(), &known(), None);
        assert_eq!(
            missing[0].show(Lang::En),
            "line 1: column \"agency code\" is missing — add a column \"agency code\" to the header line, or choose which column of the file it is"
        );
        assert_eq!(
            decode(b"\xff").unwrap_err().show(Lang::En),
            "line 1: the file is not UTF-8 — save it as \"CSV UTF-8\" (Excel: Save As → CSV UTF-8)"
        );
    }

    #[test]
    fn missing_columns_and_rows_outside_the_scope_are_errors() {
        let (_, e) = parse_roster(b"code,full name\nGL1,A\n", &known(), None);
        assert!(e.iter().any(|e| e.what.vi.contains("mã đơn vị")));
        let allowed: HashSet<String> = ["GL-QLTT-D01".to_string()].into();
        let src = "code,full name,agency,position,enforcement\nGL1,A,GL-QLTT-D02,KSV,x\n";
        let (_, e) = parse_roster(src.as_bytes(), &known(), Some(&allowed));
        assert_eq!(e.len(), 1);
        assert!(e[0].what.vi.contains("ngoài phạm vi"));
        let (_, e) = parse_roster(b"\xff\xfeabc", &known(), None);
        assert!(e[0].what.vi.contains("UTF-8"));
    }

    fn cur(id: i64, code: &str, agency: &str, active: bool) -> Current {
        Current {
            person_id: id,
            code: code.into(),
            full_name: format!("Người {code}"),
            agency_code: agency.into(),
            position: "KSV".into(),
            enforcement: true,
            email: None,
            phone: None,
            active,
        }
    }

    fn row(code: &str, agency: &str) -> RosterRow {
        RosterRow {
            line: 2,
            code: code.into(),
            full_name: format!("Người {code}"),
            agency_code: agency.into(),
            position: "KSV".into(),
            enforcement: true,
            email: None,
            phone: None,
            start_date: None,
            end_date: None,
        }
    }

    #[test]
    fn the_diff_finds_joiners_leavers_transfers_changes_and_nothing_twice() {
        let current = vec![
            cur(1, "A", "GL-QLTT-D01", true),
            cur(2, "B", "GL-QLTT-D01", true),
            cur(3, "C", "GL-QLTT-D01", true),
            cur(4, "D", "GL-QLTT-D01", false),
            cur(5, "E", "GL-QLTT-D02", true),
        ];
        let covered: HashSet<String> = ["GL-QLTT-D01".to_string()].into();
        let mut changed = row("C", "GL-QLTT-D01");
        changed.enforcement = false;
        let rows = vec![
            row("A", "GL-QLTT-D01"),
            row("X", "GL-QLTT-D01"),
            row("D", "GL-QLTT-D01"),
            changed,
            row("E", "GL-QLTT-D01"),
        ];
        let d = diff(&current, &rows, &covered);
        assert_eq!(
            d.joiners
                .iter()
                .map(|(id, r)| (*id, r.code.as_str()))
                .collect::<Vec<_>>(),
            vec![(None, "X"), (Some(4), "D")]
        );
        assert_eq!(d.leavers.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), vec!["B"]);
        assert_eq!(
            d.transfers.iter().map(|t| (t.0, t.1.as_str())).collect::<Vec<_>>(),
            vec![(5, "GL-QLTT-D02")]
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].1, vec!["nhiệm vụ thực thi".to_string()]);
        // The same file against the roster it produced: no changes.
        let after: Vec<Current> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| Current {
                person_id: i as i64,
                code: r.code.clone(),
                full_name: r.full_name.clone(),
                agency_code: r.agency_code.clone(),
                position: r.position.clone(),
                enforcement: r.enforcement,
                email: None,
                phone: None,
                active: true,
            })
            .collect();
        assert!(diff(&after, &rows, &covered).is_empty());
    }

    #[test]
    fn agency_files_check_references_and_cycles() {
        let known: HashSet<String> = ["GL-QLTT".to_string()].into();
        let src = "mã đơn vị;tên đơn vị;mã đơn vị cấp trên;hiệu lực từ;hiệu lực đến;sáp nhập vào\nGL-QLTT-D12;Đội 12;GL-QLTT;01/01/2026;;\nGL-QLTT-D13;Đội 13;GL-QLTT;;01/07/2026;GL-QLTT-D12\nGL-Z;Z;GL-NOPE;;;\n";
        let (rows, errors) = parse_agencies(src.as_bytes(), &known);
        assert_eq!(rows.len(), 2);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().starts_with("dòng 4, cột 3"));
        assert_eq!(rows[1].merged_into.as_deref(), Some("GL-QLTT-D12"));
        let (_, errors) = parse_agencies(b"code,name,parent\nA,a,B\nB,b,A\n", &known);
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn many_leavers_must_be_confirmed() {
        assert!(!leavers_need_confirmation(0, 0));
        assert!(!leavers_need_confirmation(1, 20), "5 % of a team");
        assert!(!leavers_need_confirmation(2, 20), "10 % exactly");
        assert!(leavers_need_confirmation(3, 20), "15 % of a team");
        assert!(leavers_need_confirmation(21, 10_000), "more than 20 people");
        assert!(!leavers_need_confirmation(20, 10_000));
        assert!(leavers_need_confirmation(143, 145), "a two-row file for a Chi cục");
        assert_eq!(ImportMode::parse("complete"), ImportMode::Complete);
        assert_eq!(ImportMode::parse(""), ImportMode::Update);
        assert_eq!(ImportMode::parse("anything"), ImportMode::Update);
    }

    #[test]
    fn agency_files_read_their_header_like_rosters_do() {
        let known = HashSet::new();
        // Repeated column: an error at that column, as for rosters (the agency reader once let
        // the second silently win).
        let (_, errs) = parse_agencies("ma don vi,ten don vi,ma don vi\nA,An,B\n".as_bytes(), &known);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            (errs[0].line, errs[0].column, errs[0].what.vi.as_str()),
            (1, 3, "cột \"mã đơn vị\" bị lặp")
        );
        // A blank header cell (a trailing separator from Excel) is not an unknown column.
        let (rows, errs) = parse_agencies("ma don vi,ten don vi,\nA,An,\n".as_bytes(), &known);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 1);
        // An empty file is an error, not "nothing to do".
        let (_, errs) = parse_agencies(b"", &known);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].what.vi, "tệp rỗng");
        // A missing column is named as people write it.
        let (_, errs) = parse_agencies("ma don vi\nA\n".as_bytes(), &known);
        assert_eq!(errs[0].what.vi, "thiếu cột \"tên đơn vị\"");
        // The roster reader gives the same answers through the same mapper.
        let (_, errs) = parse_roster(b"", &known, None);
        assert_eq!(errs[0].what.vi, "tệp rỗng");
    }

    #[test]
    fn headers_from_other_systems_are_read_after_folding_and_by_their_key_words() {
        let known: HashSet<String> = ["GL-QLTT", "GL-QLTT-D01"].iter().map(|s| s.to_string()).collect();
        // Another system's agency export: snake_case, no diacritics.
        let (rows, errs, matches) = read_agencies(
            b"ma_don_vi,ten_don_vi,ma_don_vi_cap_tren\nGL-QLTT-D09,Doi 9,GL-QLTT\n",
            &known,
            &HeaderChoices::new(),
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows[0].parent_code.as_deref(), Some("GL-QLTT"));
        assert!(matches.iter().all(|m| m.how == HowMatched::Exact), "{matches:?}");
        // A roster whose duty column is named after the law, and whose code column is "Mã CB".
        let file =
            "Mã CB;Họ và tên;Mã đơn vị;Chức vụ;Thẩm quyền thực thi Luật TMĐT\nGL1;An;GL-QLTT-D01;Kiểm soát viên;x\n";
        let (rows, errs, matches) = read_roster(file.as_bytes(), &known, None, &HeaderChoices::new());
        assert!(errs.is_empty(), "{errs:?}");
        assert!(rows[0].enforcement);
        let duty = &matches[4];
        assert_eq!(
            (duty.how, duty.label.as_deref()),
            (HowMatched::Inferred, Some("nhiệm vụ thực thi"))
        );
        assert_eq!(matches[0].how, HowMatched::Exact);
        // A header no column's key words fit is an error with the choices; choosing a column
        // (or to skip it) reads the file.
        let odd = "mã cán bộ,họ và tên,mã đơn vị,chức vụ,Nhóm 3\nGL1,An,GL-QLTT-D01,KSV,có\n";
        let (_, errs, matches) = read_roster(odd.as_bytes(), &known, None, &HeaderChoices::new());
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(
            errs[0].to_string(),
            "dòng 1, cột 5 (Nhóm 3): không nhận ra tên cột \"Nhóm 3\" — đổi tên cột, hoặc chọn cột tương ứng (mã cán bộ, họ và tên, mã đơn vị, chức vụ, nhiệm vụ thực thi, email, điện thoại, ngày bắt đầu, ngày kết thúc) hay bỏ qua cột này"
        );
        assert_eq!(
            errs[1].what.vi, "thiếu cột \"nhiệm vụ thực thi\"",
            "named as people write it"
        );
        assert_eq!(matches[4].how, HowMatched::Unknown);
        let choose = HeaderChoices::from([(header_key("Nhóm 3"), "nhiệm vụ thực thi".to_string())]);
        let (rows, errs, matches) = read_roster(odd.as_bytes(), &known, None, &choose);
        assert!(errs.is_empty(), "{errs:?}");
        assert!(rows[0].enforcement);
        assert_eq!(matches[4].how, HowMatched::Chosen);
        // Key words of two columns at once are ambiguous: both are offered.
        let two = "mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi,Email hoặc SĐT\n";
        let (_, errs, matches) = read_roster(two.as_bytes(), &known, None, &HeaderChoices::new());
        assert_eq!(matches[5].candidates, ["email", "điện thoại"]);
        assert!(errs[0].what.vi.contains("có thể là email hoặc điện thoại"), "{errs:?}");
        let skip = HeaderChoices::from([(header_key("Email hoặc SĐT"), IGNORE.to_string())]);
        let (_, errs, _) = read_roster(two.as_bytes(), &known, None, &skip);
        assert!(errs.is_empty(), "{errs:?}");
    }
}

//! An agency's issuing identity (its letterhead): what an administrative document it issues
//! prints around its content, in the format of Decree 30/2020/NĐ-CP on văn thư, Phụ lục I —
//! the managing body (cơ quan chủ quản) above the issuing body at the top left, the document's
//! number and symbol under them, the place and date at the top right under the national name and
//! motto, the recipients at the bottom left and the signer's authority, title and name at the
//! bottom right.
//!
//! Each agency may have its own; a document uses the one of its agency or of the nearest
//! ancestor that has one (`ssr::letterhead::effective`). The coverage report prints it today;
//! certificates and class lists will too. Pure: the form as typed ([`LetterheadDraft`]), every
//! problem at once with its field and what to write instead ([`check`]), and the lines the
//! format fixes ([`date_line`], [`number_line`]).

use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What an unset field prints: a row of dots for the clerk to fill in by hand, as offices do.
pub const DOTS: &str = "……………";
/// The number of a document before the clerk registers it (the number line's blank).
pub const NUMBER_DOTS: &str = "……";
/// At most this many recipients (the "Nơi nhận" list of one document).
pub const MAX_RECIPIENTS: usize = 15;

/// The kind of an administrative document, with its abbreviation in the symbol (Phụ lục III of
/// the decree: "BC" for a report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocKind {
    Report,
    /// A list (danh sách), e.g. a class's participants.
    List,
}

impl DocKind {
    /// The abbreviation that starts the document's symbol, e.g. `BC` in `15/BC-CCQLTT`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            DocKind::Report => "BC",
            DocKind::List => "DS",
        }
    }
}

/// An agency's issuing identity, checked. Texts are kept as the administrator typed them (the
/// page prints the upper-case lines upper-cased, [`upper`]); `recipients` without their dashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    /// The managing body (cơ quan chủ quản), e.g. "Sở Công Thương tỉnh Gia Lai"; empty for a
    /// body that has none.
    pub parent_body: String,
    /// The issuing body, e.g. "Chi cục Quản lý thị trường".
    pub issuer: String,
    /// The issuing body's abbreviation in a document's symbol, e.g. `CCQLTT`: upper case.
    pub symbol: String,
    /// The place name of the date line (địa danh), e.g. "Gia Lai".
    pub place: String,
    /// Signing on someone's behalf, e.g. "KT. Chi cục trưởng"; empty when the head signs.
    pub signer_authority: String,
    /// The signer's title, e.g. "Phó Chi cục trưởng".
    pub signer_title: String,
    /// The signer's full name.
    pub signer_name: String,
    /// One recipient a line, e.g. "Như trên;" and "Lưu: VT, NV.".
    pub recipients: Vec<String>,
}

impl Letterhead {
    /// What a document prints without any letterhead: dots everywhere for the clerk.
    pub fn blank() -> Letterhead {
        Letterhead {
            parent_body: DOTS.into(),
            issuer: DOTS.into(),
            symbol: NUMBER_DOTS.into(),
            place: DOTS.into(),
            signer_authority: String::new(),
            signer_title: DOTS.into(),
            signer_name: DOTS.into(),
            recipients: vec![DOTS.into(), DOTS.into()],
        }
    }

    /// The form's starting point for this letterhead.
    pub fn to_draft(&self) -> LetterheadDraft {
        LetterheadDraft {
            parent_body: self.parent_body.clone(),
            issuer: self.issuer.clone(),
            symbol: self.symbol.clone(),
            place: self.place.clone(),
            signer_authority: self.signer_authority.clone(),
            signer_title: self.signer_title.clone(),
            signer_name: self.signer_name.clone(),
            recipients: self.recipients.join("\n"),
        }
    }

    /// The recipients as the document lists them: each line after a dash.
    pub fn recipient_lines(&self) -> Vec<String> {
        self.recipients.iter().map(|r| format!("- {r}")).collect()
    }
}

/// The form as typed: every field a string, so nothing is lost when it comes back with its
/// problems. `recipients` holds one recipient a line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LetterheadDraft {
    pub parent_body: String,
    pub issuer: String,
    pub symbol: String,
    pub place: String,
    pub signer_authority: String,
    pub signer_title: String,
    pub signer_name: String,
    pub recipients: String,
}

impl LetterheadDraft {
    /// The draft from form or query pairs (unknown keys are ignored).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> LetterheadDraft {
        let mut d = LetterheadDraft::default();
        for (k, v) in pairs {
            if let Some(f) = Field::ALL.iter().find(|f| f.name() == k) {
                *d.field_mut(*f) = v.to_string();
            }
        }
        d
    }

    /// The draft as (field name, value) pairs, each value cut to twice its field's limit (a
    /// refused draft travels back in a URL; what is cut was too long anyway).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        Field::ALL
            .iter()
            .map(|f| (f.name(), self.field(*f).chars().take(2 * f.max_chars()).collect()))
            .collect()
    }

    /// The text of one field.
    pub fn field(&self, f: Field) -> &str {
        match f {
            Field::ParentBody => &self.parent_body,
            Field::Issuer => &self.issuer,
            Field::Symbol => &self.symbol,
            Field::Place => &self.place,
            Field::SignerAuthority => &self.signer_authority,
            Field::SignerTitle => &self.signer_title,
            Field::SignerName => &self.signer_name,
            Field::Recipients => &self.recipients,
        }
    }

    fn field_mut(&mut self, f: Field) -> &mut String {
        match f {
            Field::ParentBody => &mut self.parent_body,
            Field::Issuer => &mut self.issuer,
            Field::Symbol => &mut self.symbol,
            Field::Place => &mut self.place,
            Field::SignerAuthority => &mut self.signer_authority,
            Field::SignerTitle => &mut self.signer_title,
            Field::SignerName => &mut self.signer_name,
            Field::Recipients => &mut self.recipients,
        }
    }
}

/// A field of the letterhead form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    ParentBody,
    Issuer,
    Symbol,
    Place,
    SignerAuthority,
    SignerTitle,
    SignerName,
    Recipients,
}

impl Field {
    /// In form order.
    pub const ALL: [Field; 8] = [
        Field::ParentBody,
        Field::Issuer,
        Field::Symbol,
        Field::Place,
        Field::SignerAuthority,
        Field::SignerTitle,
        Field::SignerName,
        Field::Recipients,
    ];

    /// The form field's `name`.
    pub fn name(self) -> &'static str {
        match self {
            Field::ParentBody => "parent_body",
            Field::Issuer => "issuer",
            Field::Symbol => "symbol",
            Field::Place => "place",
            Field::SignerAuthority => "signer_authority",
            Field::SignerTitle => "signer_title",
            Field::SignerName => "signer_name",
            Field::Recipients => "recipients",
        }
    }

    /// The input's `id`.
    pub fn input_id(self) -> String {
        format!("lh-{}", self.name().replace('_', "-"))
    }

    /// Whether a letterhead needs it (a managing body and a signing authority may be absent).
    pub fn required(self) -> bool {
        !matches!(self, Field::ParentBody | Field::SignerAuthority)
    }

    /// The longest text allowed, in characters (for recipients: of one line).
    pub fn max_chars(self) -> usize {
        match self {
            Field::ParentBody | Field::Issuer => 120,
            Field::Symbol => 20,
            Field::Place => 60,
            Field::SignerAuthority | Field::SignerTitle | Field::SignerName => 80,
            Field::Recipients => 150,
        }
    }
}

/// One thing wrong with a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Missing(Field),
    TooLong(Field, usize),
    /// The symbol holds something other than letters, digits and `-`.
    SymbolChars(String),
    TooManyRecipients(usize),
}

impl Problem {
    pub fn field(&self) -> Field {
        match self {
            Problem::Missing(f) | Problem::TooLong(f, _) => *f,
            Problem::SymbolChars(_) => Field::Symbol,
            Problem::TooManyRecipients(_) => Field::Recipients,
        }
    }

    /// What is wrong and what to write instead.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Problem::Missing(f) => match (*f, vi) {
                (Field::Issuer, true) => "Ghi tên cơ quan ban hành, ví dụ \"Chi cục Quản lý thị trường\".".into(),
                (Field::Issuer, false) => "Write the issuing body, e.g. \"Chi cục Quản lý thị trường\".".into(),
                (Field::Symbol, true) => {
                    "Ghi chữ viết tắt tên cơ quan dùng trong ký hiệu văn bản, ví dụ CCQLTT.".into()
                }
                (Field::Symbol, false) => "Write the body's abbreviation used in document symbols, e.g. CCQLTT.".into(),
                (Field::Place, true) => "Ghi địa danh của dòng ngày tháng, ví dụ \"Gia Lai\".".into(),
                (Field::Place, false) => "Write the place name of the date line, e.g. \"Gia Lai\".".into(),
                (Field::SignerTitle, true) => "Ghi chức vụ của người ký, ví dụ \"Phó Chi cục trưởng\".".into(),
                (Field::SignerTitle, false) => "Write the signer's title, e.g. \"Phó Chi cục trưởng\".".into(),
                (Field::SignerName, true) => "Ghi họ và tên người ký.".into(),
                (Field::SignerName, false) => "Write the signer's full name.".into(),
                (Field::Recipients, true) => {
                    "Ghi ít nhất một nơi nhận, mỗi dòng một nơi, ví dụ \"Lưu: VT, NV.\".".into()
                }
                (Field::Recipients, false) => "Write at least one recipient, one a line, e.g. \"Lưu: VT, NV.\".".into(),
                (_, true) => "Ô này không được để trống.".into(),
                (_, false) => "This field may not be empty.".into(),
            },
            Problem::TooLong(Field::Recipients, max) => {
                if vi {
                    format!("Một dòng nơi nhận quá dài — tối đa {max} ký tự mỗi dòng.")
                } else {
                    format!("A recipient line is too long — at most {max} characters a line.")
                }
            }
            Problem::TooLong(_, max) => {
                if vi {
                    format!("Quá dài — tối đa {max} ký tự.")
                } else {
                    format!("Too long — at most {max} characters.")
                }
            }
            Problem::SymbolChars(s) => {
                if vi {
                    format!(
                        "\"{s}\": ký hiệu chỉ gồm chữ in hoa, chữ số và dấu '-', không có dấu cách hay '/', ví dụ CCQLTT."
                    )
                } else {
                    format!(
                        "\"{s}\": a symbol holds only capital letters, digits and '-', no space or '/', e.g. CCQLTT."
                    )
                }
            }
            Problem::TooManyRecipients(n) => {
                if vi {
                    format!("{n} nơi nhận: tối đa {MAX_RECIPIENTS}; gộp bớt, ví dụ \"Các Đội QLTT;\".")
                } else {
                    format!("{n} recipients: at most {MAX_RECIPIENTS}; group some, e.g. \"Các Đội QLTT;\".")
                }
            }
        }
    }
}

/// Checks a draft: the letterhead, or every problem (in form order). Texts are trimmed and
/// NFC-normalised; the symbol is upper-cased; recipient lines lose a leading dash and blank
/// lines are dropped.
pub fn check(d: &LetterheadDraft) -> Result<Letterhead, Vec<Problem>> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.trim().nfc().collect::<String>();
    let mut problems = vec![];
    let mut text = |f: Field| {
        let v = nfc(d.field(f));
        if v.is_empty() && f.required() {
            problems.push(Problem::Missing(f));
        } else if v.chars().count() > f.max_chars() {
            problems.push(Problem::TooLong(f, f.max_chars()));
        }
        v
    };
    let parent_body = text(Field::ParentBody);
    let issuer = text(Field::Issuer);
    let symbol = text(Field::Symbol).to_uppercase();
    let place = text(Field::Place);
    let signer_authority = text(Field::SignerAuthority);
    let signer_title = text(Field::SignerTitle);
    let signer_name = text(Field::SignerName);
    if !symbol.is_empty() && !symbol.chars().all(|c| c.is_alphanumeric() || c == '-') {
        problems.push(Problem::SymbolChars(symbol.clone()));
    }
    let recipients: Vec<String> = d
        .recipients
        .lines()
        .map(|l| nfc(l.trim().trim_start_matches(['-', '–', '—', '+', '•'])))
        .filter(|l| !l.is_empty())
        .collect();
    if recipients.is_empty() {
        problems.push(Problem::Missing(Field::Recipients));
    } else if recipients.len() > MAX_RECIPIENTS {
        problems.push(Problem::TooManyRecipients(recipients.len()));
    }
    if recipients
        .iter()
        .any(|r| r.chars().count() > Field::Recipients.max_chars())
    {
        problems.push(Problem::TooLong(Field::Recipients, Field::Recipients.max_chars()));
    }
    problems.sort_by_key(|p| Field::ALL.iter().position(|f| *f == p.field()));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Letterhead {
        parent_body,
        issuer,
        symbol,
        place,
        signer_authority,
        signer_title,
        signer_name,
        recipients,
    })
}

/// A line the format prints in capitals (the bodies, the signing authority and title):
/// Vietnamese letters keep their marks ("Chi cục" → "CHI CỤC").
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// The place-and-date line under the motto: "Gia Lai, ngày 02 tháng 12 năm 2026". The decree
/// writes days 1–9 and months 1–2 with a leading zero ("ngày 05 tháng 01", but "tháng 3").
/// English: "Gia Lai, 02 December 2026".
pub fn date_line(lang: Lang, place: &str, date: NaiveDate) -> String {
    let place = if place.trim().is_empty() { DOTS } else { place.trim() };
    let day = format!("{:02}", date.day());
    match lang {
        Lang::Vi => {
            let month = if date.month() < 3 {
                format!("{:02}", date.month())
            } else {
                date.month().to_string()
            };
            format!("{place}, ngày {day} tháng {month} năm {}", date.year())
        }
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{place}, {day} {} {}", MONTHS[date.month0() as usize], date.year())
        }
    }
}

/// The number-and-symbol line under the issuing body: "Số: 05/BC-CCQLTT". Without a number
/// (the clerk writes it when registering the document) a row of dots: "Số: ……/BC-CCQLTT". The
/// decree writes numbers below 10 with a leading zero. English: "No.: …".
pub fn number_line(lang: Lang, number: Option<u32>, kind: DocKind, symbol: &str) -> String {
    let label = match lang {
        Lang::Vi => "Số",
        Lang::En => "No.",
    };
    let number = number.map_or_else(|| NUMBER_DOTS.to_string(), |n| format!("{n:02}"));
    let symbol = if symbol.trim().is_empty() {
        NUMBER_DOTS
    } else {
        symbol.trim()
    };
    format!("{label}: {number}/{}-{symbol}", kind.abbreviation())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn good() -> LetterheadDraft {
        LetterheadDraft {
            parent_body: "Sở Công Thương tỉnh Gia Lai".into(),
            issuer: "Chi cục Quản lý thị trường".into(),
            symbol: "ccqltt".into(),
            place: " Gia Lai ".into(),
            signer_authority: "KT. Chi cục trưởng".into(),
            signer_title: "Phó Chi cục trưởng".into(),
            signer_name: "Nguyễn Văn A".into(),
            recipients: "- Như trên;\n\n– Lưu: VT, NV.\n".into(),
        }
    }

    #[test]
    fn the_date_line_pads_days_below_ten_and_january_and_february() {
        let cases = [
            (d(2026, 12, 2), "Gia Lai, ngày 02 tháng 12 năm 2026"),
            (d(2026, 1, 5), "Gia Lai, ngày 05 tháng 01 năm 2026"),
            (d(2026, 2, 28), "Gia Lai, ngày 28 tháng 02 năm 2026"),
            (d(2026, 3, 9), "Gia Lai, ngày 09 tháng 3 năm 2026"),
            (d(2026, 10, 10), "Gia Lai, ngày 10 tháng 10 năm 2026"),
        ];
        for (date, want) in cases {
            assert_eq!(date_line(Lang::Vi, "Gia Lai", date), want);
        }
        assert_eq!(date_line(Lang::En, "Gia Lai", d(2026, 3, 9)), "Gia Lai, 09 March 2026");
        assert_eq!(
            date_line(Lang::Vi, "  ", d(2026, 12, 2)),
            format!("{DOTS}, ngày 02 tháng 12 năm 2026")
        );
    }

    #[test]
    fn the_number_line_leaves_dots_for_the_clerk_and_pads_numbers_below_ten() {
        assert_eq!(
            number_line(Lang::Vi, None, DocKind::Report, "CCQLTT"),
            "Số: ……/BC-CCQLTT"
        );
        assert_eq!(
            number_line(Lang::Vi, Some(5), DocKind::Report, "CCQLTT"),
            "Số: 05/BC-CCQLTT"
        );
        assert_eq!(
            number_line(Lang::Vi, Some(123), DocKind::Report, "SCT"),
            "Số: 123/BC-SCT"
        );
        assert_eq!(number_line(Lang::En, None, DocKind::Report, ""), "No.: ……/BC-……");
    }

    #[test]
    fn upper_case_keeps_vietnamese_marks() {
        assert_eq!(upper("Sở Công Thương tỉnh Gia Lai"), "SỞ CÔNG THƯƠNG TỈNH GIA LAI");
        assert_eq!(upper("Chi cục Quản lý thị trường"), "CHI CỤC QUẢN LÝ THỊ TRƯỜNG");
        assert_eq!(upper("KT. Chi cục trưởng"), "KT. CHI CỤC TRƯỞNG");
    }

    #[test]
    fn a_good_draft_is_tidied() {
        let l = check(&good()).unwrap();
        assert_eq!(l.symbol, "CCQLTT");
        assert_eq!(l.place, "Gia Lai");
        assert_eq!(l.recipients, vec!["Như trên;", "Lưu: VT, NV."]);
        assert_eq!(l.recipient_lines(), vec!["- Như trên;", "- Lưu: VT, NV."]);
        assert_eq!(check(&l.to_draft()), Ok(l));
    }

    #[test]
    fn the_managing_body_and_the_authority_may_be_empty_the_rest_may_not() {
        let mut g = good();
        g.parent_body.clear();
        g.signer_authority = "  ".into();
        assert!(check(&g).is_ok());
        let empty = LetterheadDraft::default();
        let fields: Vec<Field> = check(&empty).unwrap_err().iter().map(Problem::field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Issuer,
                Field::Symbol,
                Field::Place,
                Field::SignerTitle,
                Field::SignerName,
                Field::Recipients
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut g = good();
        g.issuer = "x".repeat(121);
        g.symbol = "BC/CC QLTT".into();
        g.signer_name = "y".repeat(81);
        g.recipients = (0..16).map(|i| format!("Nơi {i};")).collect::<Vec<_>>().join("\n");
        let problems = check(&g).unwrap_err();
        assert_eq!(
            problems,
            vec![
                Problem::TooLong(Field::Issuer, 120),
                Problem::SymbolChars("BC/CC QLTT".into()),
                Problem::TooLong(Field::SignerName, 80),
                Problem::TooManyRecipients(16),
            ]
        );
        for p in &problems {
            assert!(!p.message(Lang::Vi).is_empty() && !p.message(Lang::En).is_empty());
        }
        let mut long_line = good();
        long_line.recipients = format!("Như trên;\n{}", "z".repeat(151));
        assert_eq!(
            check(&long_line).unwrap_err(),
            vec![Problem::TooLong(Field::Recipients, 150)]
        );
    }

    #[test]
    fn a_draft_survives_the_round_trip_through_a_query_string() {
        let g = good();
        let pairs = g.to_pairs();
        let back = LetterheadDraft::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, g);
        let mut huge = good();
        huge.signer_name = "n".repeat(10_000);
        let cut = huge.to_pairs();
        let name = &cut.iter().find(|(k, _)| *k == "signer_name").unwrap().1;
        assert_eq!(name.chars().count(), 160);
        // Still too long, so the page still says so.
        let back = LetterheadDraft::from_pairs(cut.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(check(&back).unwrap_err(), vec![Problem::TooLong(Field::SignerName, 80)]);
    }

    #[test]
    fn the_blank_letterhead_prints_dots() {
        let b = Letterhead::blank();
        assert_eq!(b.issuer, DOTS);
        assert_eq!(number_line(Lang::Vi, None, DocKind::Report, &b.symbol), "Số: ……/BC-……");
        assert!(b.recipient_lines().iter().all(|l| l.starts_with("- ")));
    }
}

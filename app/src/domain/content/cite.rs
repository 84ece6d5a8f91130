//! Finding legal-instrument numbers in running text, so every instrument a lesson cites can be
//! required in the course's `[[references]]`.
//!
//! Grammar (Vietnamese document numbering, Nghị định 30/2020/NĐ-CP on the form of documents):
//!
//! ```text
//! full   = NUM "/" [YEAR "/"] SYMBOL          52/2013/NĐ-CP  122/2025/QH15  27/2020/TT-BCT
//!                                             319/QĐ-TTg     1122/KH-UBND   02/2022/UBTVQH15
//!        | NUM "-" PART "/" PART              57-NQ/TW (Party documents)
//! short  = WORD " " NUM "/" YEAR              Nghị định 85/2021, NĐ 85/2021, Thông tư 27/2020
//! NUM    = 1*5 DIGIT   not preceded by a letter, digit, "/", "-", "." or ","
//! YEAR   = 4 DIGIT
//! SYMBOL = PART *("-" PART)    first PART: an upper-case letter (A–Z, Đ) then upper-case
//!                              letters/digits, 2+ chars; later PARTs start upper-case and may
//!                              have lower case (TTg)
//! WORD   = Nghị định | NĐ | Luật | Thông tư | TT | Quyết định | QĐ | Nghị quyết | NQ
//!        | Decree | Circular | Decision | Resolution | Law
//! ```
//!
//! A citation ends at a character that is not a letter or digit (a trailing `-` is not part of
//! it). Dates (`1/3/2025`) and fractions never match: they have no SYMBOL and no WORD before them.
//! A `full` citation must be listed exactly; a `short` one must match the start (`85/2021/`) of a
//! listed number.

/// One cited number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Byte offset in the scanned text.
    pub start: usize,
    /// The number as written (`52/2013/NĐ-CP`, or `85/2021` for a short citation).
    pub number: String,
    /// True for `Nghị định 85/2021` (number and year only).
    pub short: bool,
}

impl Citation {
    /// Whether one of `listed` reference numbers covers this citation.
    pub fn is_listed<'a>(&self, mut listed: impl Iterator<Item = &'a str>) -> bool {
        if self.short {
            let prefix = format!("{}/", self.number);
            listed.any(|n| n.starts_with(&prefix))
        } else {
            listed.any(|n| n == self.number)
        }
    }
}

const WORDS: &[&str] = &[
    "Nghị định",
    "NĐ",
    "Luật",
    "Thông tư",
    "TT",
    "Quyết định",
    "QĐ",
    "Nghị quyết",
    "NQ",
    "Decree",
    "Circular",
    "Decision",
    "Resolution",
    "Law",
];

fn is_upper(c: char) -> bool {
    c.is_ascii_uppercase() || c == 'Đ'
}

/// Every citation in `text`, in order.
pub fn find_citations(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    // Every citation starts with a digit; most of a lesson's text runs have none.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let boundary = i == 0 || {
            let p = chars[i - 1].1;
            !(p.is_alphanumeric() || matches!(p, '/' | '-' | '.' | ','))
        };
        if !boundary {
            i += 1;
            continue;
        }
        let num_end = run(&chars, i, |c| c.is_ascii_digit());
        if num_end - i > 5 {
            i = num_end;
            continue;
        }
        if let Some(end) = match_full(&chars, num_end) {
            out.push(Citation {
                start,
                number: slice(text, &chars, i, end).to_owned(),
                short: false,
            });
            i = end;
            continue;
        }
        if let Some(end) = match_short(text, &chars, i, num_end) {
            out.push(Citation {
                start,
                number: slice(text, &chars, i, end).to_owned(),
                short: true,
            });
            i = end;
            continue;
        }
        i = num_end;
    }
    out
}

fn slice<'t>(text: &'t str, chars: &[(usize, char)], from: usize, to: usize) -> &'t str {
    let end = chars.get(to).map_or(text.len(), |&(o, _)| o);
    &text[chars[from].0..end]
}

fn run(chars: &[(usize, char)], from: usize, pred: impl Fn(char) -> bool) -> usize {
    let mut j = from;
    while j < chars.len() && pred(chars[j].1) {
        j += 1;
    }
    j
}

fn at(chars: &[(usize, char)], j: usize) -> Option<char> {
    chars.get(j).map(|&(_, c)| c)
}

/// After NUM: `/YEAR/SYMBOL`, `/SYMBOL` or `-PART/PART`. Returns the end index.
fn match_full(chars: &[(usize, char)], j: usize) -> Option<usize> {
    match at(chars, j)? {
        '/' => {
            let y = j + 1;
            let y_end = run(chars, y, |c| c.is_ascii_digit());
            if y_end - y == 4 && at(chars, y_end) == Some('/') {
                symbol(chars, y_end + 1)
            } else if y_end == y {
                symbol(chars, y)
            } else {
                None
            }
        }
        '-' => {
            let p = first_part(chars, j + 1)?;
            if at(chars, p) != Some('/') {
                return None;
            }
            let end = first_part(chars, p + 1)?;
            ends_cleanly(chars, end).then_some(end)
        }
        _ => None,
    }
}

fn first_part(chars: &[(usize, char)], j: usize) -> Option<usize> {
    if !at(chars, j).is_some_and(is_upper) {
        return None;
    }
    let end = run(chars, j, |c| is_upper(c) || c.is_ascii_digit());
    (end - j >= 2).then_some(end)
}

fn symbol(chars: &[(usize, char)], j: usize) -> Option<usize> {
    let mut end = first_part(chars, j)?;
    while at(chars, end) == Some('-') && at(chars, end + 1).is_some_and(is_upper) {
        end = run(chars, end + 1, |c| c.is_ascii_alphanumeric() || c == 'Đ' || c == 'đ');
    }
    ends_cleanly(chars, end).then_some(end)
}

fn ends_cleanly(chars: &[(usize, char)], end: usize) -> bool {
    !at(chars, end).is_some_and(char::is_alphanumeric)
}

/// `WORD NUM/YEAR` with the WORD just before NUM.
fn match_short(text: &str, chars: &[(usize, char)], i: usize, num_end: usize) -> Option<usize> {
    if at(chars, num_end) != Some('/') {
        return None;
    }
    let y_end = run(chars, num_end + 1, |c| c.is_ascii_digit());
    if y_end - (num_end + 1) != 4 || at(chars, y_end).is_some_and(|c| c.is_alphanumeric() || c == '/') {
        return None;
    }
    let before = text[..chars[i].0].trim_end_matches([' ', '\u{a0}']);
    if before.len() == text[..chars[i].0].len() {
        return None;
    }
    let word_ok = WORDS.iter().any(|w| {
        before
            .strip_suffix(w)
            .is_some_and(|rest| !rest.chars().next_back().is_some_and(char::is_alphanumeric))
    });
    word_ok.then_some(y_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        find_citations(text)
            .into_iter()
            .map(|c| if c.short { format!("~{}", c.number) } else { c.number })
            .collect()
    }

    #[test]
    fn finds_the_readme_examples_in_running_vietnamese_text() {
        let text = "Theo Nghị định 52/2013/NĐ-CP (sửa đổi bởi 85/2021/NĐ-CP), Luật 122/2025/QH15, \
                    Thông tư 27/2020/TT-BCT; Quyết định 319/QĐ-TTg và Kế hoạch 1122/KH-UBND. \
                    Nghị quyết 57-NQ/TW; Pháp lệnh 02/2022/UBTVQH15.";
        assert_eq!(
            numbers(text),
            [
                "52/2013/NĐ-CP",
                "85/2021/NĐ-CP",
                "122/2025/QH15",
                "27/2020/TT-BCT",
                "319/QĐ-TTg",
                "1122/KH-UBND",
                "57-NQ/TW",
                "02/2022/UBTVQH15"
            ]
        );
    }

    #[test]
    fn short_citations_need_an_instrument_word() {
        assert_eq!(
            numbers("Theo NĐ 85/2021, sàn phải gỡ; Nghị định 52/2013."),
            ["~85/2021", "~52/2013"]
        );
        assert_eq!(
            numbers("từ 1/3/2025, khoảng 24/7, tỉ lệ 3/4, năm 2025/2026, mã 12/2024"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn does_not_swallow_trailing_text_or_match_inside_words() {
        assert_eq!(numbers("số 52/2013/NĐ-CP-"), ["52/2013/NĐ-CP"]);
        assert_eq!(
            numbers("A52/2013/NĐ-CP x/52/2013/NĐ-CP 1.52/2013/NĐ-CP"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn short_citation_is_covered_by_a_full_reference() {
        let c = &find_citations("Nghị định 85/2021")[0];
        assert!(c.is_listed(["85/2021/NĐ-CP"].into_iter()));
        assert!(!c.is_listed(["52/2013/NĐ-CP"].into_iter()));
    }
}

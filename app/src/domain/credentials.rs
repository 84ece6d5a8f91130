//! One-time codes and password rules, pure.
//!
//! **Codes** (activation of a new account, password reset) are 12 symbols of Crockford's
//! base-32 (60 bits), printed in three groups: `7KQ2-MX9D-41TB`. Typed back, case, spaces and
//! dashes do not matter and the look-alikes O/o, I/i/L/l read as 0 and 1, so an official
//! copying a slip by hand cannot get it wrong in those ways. The server keeps only a keyed
//! hash of the normalised code.
//!
//! **Passwords** follow NIST SP 800-63B §5.1.1.2: at least 8 characters (12 for an
//! administrator), at most 128, no composition rules, paste allowed, and refused when common
//! or built from the person's own name or sign-in name. How common a password is, the server
//! judges with a strength estimator; here are the rule and its words.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The 32 symbols of Crockford's base 32 (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code (5 bits each: 60 bits).
pub const CODE_LEN: usize = 12;

/// A code from 64 random bits (the lowest 60 are used), as printed: `XXXX-XXXX-XXXX`.
pub fn format_code(random: u64) -> String {
    let mut out = String::with_capacity(CODE_LEN + 2);
    for i in 0..CODE_LEN {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let v = (random >> (5 * (CODE_LEN - 1 - i))) & 31;
        out.push(ALPHABET[v as usize] as char);
    }
    out
}

/// A code as typed, normalised (`None` when it cannot be one): upper case, without spaces
/// and dashes, O read as 0 and I/L as 1.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\u{2013}' | '\u{2014}' | '.' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    /// Shorter than the minimum (which is given).
    TooShort(usize),
    TooLong,
    /// In lists of common passwords, or easily guessed.
    Common,
    /// Contains the person's sign-in name or a part of their name.
    Personal,
}

/// The shortest password allowed: 12 characters for an administrator, 8 for everyone else.
pub fn min_length(admin: bool) -> usize {
    if admin { 12 } else { 8 }
}

/// Longest password accepted (hashing is bounded, and nobody types more).
pub const MAX_PASSWORD: usize = 128;

/// Checks the length and personal words; `guessable` is the strength estimator's verdict.
/// `personal` holds the sign-in name and the words of the person's name.
pub fn check_password(password: &str, admin: bool, personal: &[&str], guessable: bool) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    let min = min_length(admin);
    if n < min {
        return Err(PasswordProblem::TooShort(min));
    }
    if n > MAX_PASSWORD {
        return Err(PasswordProblem::TooLong);
    }
    let folded = crate::domain::roster::fold(password).replace(' ', "");
    let personal_hit = personal
        .iter()
        .map(|w| crate::domain::roster::fold(w).replace(' ', ""))
        .filter(|w| w.chars().count() >= 4)
        .any(|w| folded.contains(&w));
    if personal_hit {
        return Err(PasswordProblem::Personal);
    }
    if guessable {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

impl PasswordProblem {
    pub fn code(self) -> String {
        match self {
            PasswordProblem::TooShort(n) => format!("short{n}"),
            PasswordProblem::TooLong => "long".into(),
            PasswordProblem::Common => "common".into(),
            PasswordProblem::Personal => "personal".into(),
        }
    }

    pub fn from_code(c: &str) -> Option<PasswordProblem> {
        match c {
            "long" => Some(PasswordProblem::TooLong),
            "common" => Some(PasswordProblem::Common),
            "personal" => Some(PasswordProblem::Personal),
            _ => c.strip_prefix("short")?.parse().ok().map(PasswordProblem::TooShort),
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            PasswordProblem::TooShort(n) if vi => format!(
                "Mật khẩu cần ít nhất {n} ký tự. Một câu ngắn dễ nhớ là mật khẩu tốt, ví dụ \"mua sắm trên mạng phải có hóa đơn\"."
            ),
            PasswordProblem::TooShort(n) => {
                format!("A password needs at least {n} characters. A short sentence you remember makes a good one.")
            }
            PasswordProblem::TooLong if vi => format!("Mật khẩu dài quá {MAX_PASSWORD} ký tự."),
            PasswordProblem::TooLong => format!("A password may have at most {MAX_PASSWORD} characters."),
            PasswordProblem::Common if vi => "Mật khẩu này quá phổ biến hoặc dễ đoán (có trong danh sách mật khẩu hay bị dò). Hãy chọn một câu ngắn chỉ bạn biết.".into(),
            PasswordProblem::Common => "This password is too common or easy to guess (it is on lists attackers try first). Choose a short sentence only you know.".into(),
            PasswordProblem::Personal if vi => "Mật khẩu không được chứa tên đăng nhập hay tên của bạn.".into(),
            PasswordProblem::Personal => "The password may not contain your sign-in name or your name.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_sixty_bits_in_three_groups_and_reads_back() {
        let c = format_code(u64::MAX);
        assert_eq!(c, "ZZZZ-ZZZZ-ZZZZ");
        assert_eq!(format_code(0), "0000-0000-0000");
        let c = format_code(0x0123_4567_89AB_CDEF);
        assert_eq!(c.len(), 14);
        assert_eq!(normalize_code(&c).unwrap(), c.replace('-', ""));
        // Distinct random values give distinct codes (60 bits are kept).
        assert_ne!(format_code(1), format_code(2));
        assert_ne!(format_code(1 << 59), format_code(0));
    }

    #[test]
    fn typed_codes_forgive_case_spaces_and_look_alikes() {
        assert_eq!(normalize_code("7kq2 mx9d 41tb").as_deref(), Some("7KQ2MX9D41TB"));
        assert_eq!(normalize_code("OOOO-IIII-LLLL").as_deref(), Some("000011111111"));
        assert_eq!(normalize_code("7KQ2-MX9D-41T"), None, "too short");
        assert_eq!(normalize_code("7KQ2-MX9D-41TBU"), None, "U is not a symbol");
        assert_eq!(normalize_code("7KQ2-MX9D-41TĐ"), None);
    }

    #[test]
    fn passwords_follow_the_nist_rule() {
        assert_eq!(
            check_password("1234567", false, &[], false),
            Err(PasswordProblem::TooShort(8))
        );
        assert_eq!(check_password("bốn từ dễ nhớ", false, &[], false), Ok(()));
        assert_eq!(
            check_password("eleven char", true, &[], false),
            Err(PasswordProblem::TooShort(12)),
            "12 for an administrator"
        );
        assert_eq!(
            check_password("password", false, &[], true),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_password("nguyenvanan2026", false, &["Nguyễn Văn An"], false),
            Err(PasswordProblem::Personal)
        );
        assert_eq!(
            check_password("QLTT-0042-xyz", false, &["qltt-0042"], false),
            Err(PasswordProblem::Personal)
        );
        assert_eq!(
            check_password(&"a".repeat(129), false, &[], false),
            Err(PasswordProblem::TooLong)
        );
        for p in [
            PasswordProblem::TooShort(12),
            PasswordProblem::TooLong,
            PasswordProblem::Common,
            PasswordProblem::Personal,
        ] {
            assert_eq!(PasswordProblem::from_code(&p.code()), Some(p));
        }
    }
}

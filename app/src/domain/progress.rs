//! Completion and certificates as rules: when a course counts as complete, how long a
//! certificate is valid, when recertification reopens a course, the status a verifier sees,
//! and the certificate number format.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days before expiry when a course reopens for recertification.
pub const RECERT_WINDOW_DAYS: i64 = 60;

/// Where a learner stands with one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub lessons_read: usize,
    pub lessons_total: usize,
    pub exam: ExamStatus,
    /// Number of the current certificate, if any.
    pub certificate: Option<String>,
    /// `dd/mm/yyyy`; `None` = never expires (or no certificate).
    pub valid_until: Option<String>,
    pub complete: bool,
    /// Certified, but inside the recertification window (or expired): the course is open again.
    pub recertify: bool,
    /// The first unread lesson, to resume at.
    pub resume: Option<u32>,
}

/// The exam part of a learner's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExamStatus {
    NoExam,
    NotTaken,
    InProgress,
    Failed { best: u32, attempts: u32 },
    Passed { score: u32 },
}

/// A course is complete when every lesson is read and the exam passed (a course without an
/// exam: when every lesson is read).
pub fn is_complete(lessons_read: usize, lessons_total: usize, exam_passed: bool, has_exam: bool) -> bool {
    lessons_read >= lessons_total && (exam_passed || !has_exam)
}

/// Until when a certificate issued on `completed` is valid; `None` = never expires
/// (`validity_months` 0).
pub fn valid_until(completed: NaiveDate, validity_months: u32) -> Option<NaiveDate> {
    (validity_months > 0).then(|| {
        completed
            .checked_add_months(Months::new(validity_months))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// Whether a course completed with a certificate valid until `valid_until` is open again for
/// recertification on `today` (the last [`RECERT_WINDOW_DAYS`] days, or after expiry).
pub fn reopened(valid_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    valid_until.is_some_and(|v| today >= v - chrono::Duration::days(RECERT_WINDOW_DAYS))
}

/// What a verifier is told about a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertStatus {
    Valid,
    Expired,
    Revoked,
}

impl CertStatus {
    /// Revoked wins over expired; valid through the last day of validity.
    pub fn of(valid_until: Option<NaiveDate>, revoked: bool, today: NaiveDate) -> CertStatus {
        if revoked {
            CertStatus::Revoked
        } else if valid_until.is_some_and(|v| today > v) {
            CertStatus::Expired
        } else {
            CertStatus::Valid
        }
    }
}

/// `GL-2026-K7M39-QX2PD`: province, year of issue, and 50 random bits in Crockford's base 32
/// (no I, L, O, U: nothing to misread when a number is typed from paper), from `random`.
/// Numbers are unguessable, so the public verify page cannot be walked to list every holder
/// (sequential numbers once could). Older sequential numbers (`GL-2026-000123`) stay valid.
pub fn certificate_number(issued: NaiveDate, random: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let digits: String = (0..10)
        .map(|i| ALPHABET[((random >> (5 * i)) & 31) as usize] as char)
        .collect();
    format!("GL-{}-{}-{}", issued.year(), &digits[..5], &digits[5..])
}

/// Why a certificate cannot be revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevocationProblem {
    ReasonMissing,
    AlreadyRevoked,
}

impl RevocationProblem {
    pub fn code(self) -> &'static str {
        match self {
            RevocationProblem::ReasonMissing => "reason",
            RevocationProblem::AlreadyRevoked => "already",
        }
    }

    pub fn from_code(c: &str) -> Option<RevocationProblem> {
        [RevocationProblem::ReasonMissing, RevocationProblem::AlreadyRevoked]
            .into_iter()
            .find(|p| p.code() == c)
    }

    pub fn message(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang;
        match (self, lang) {
            (RevocationProblem::ReasonMissing, Lang::Vi) => {
                "Ghi lý do thu hồi chứng nhận, ví dụ \"Gian lận khi làm bài — BB ngày 20/11/2026\"."
            }
            (RevocationProblem::ReasonMissing, Lang::En) => {
                "Write why the certificate is revoked, e.g. \"Exam fraud — record of 20/11/2026\"."
            }
            (RevocationProblem::AlreadyRevoked, Lang::Vi) => "Chứng nhận này đã bị thu hồi trước đó.",
            (RevocationProblem::AlreadyRevoked, Lang::En) => "This certificate was already revoked.",
        }
    }
}

/// Checks a revocation's reason: trimmed, NFC, 1–500 characters.
pub fn check_revocation(reason: &str) -> Result<String, RevocationProblem> {
    use unicode_normalization::UnicodeNormalization;
    let r: String = reason.trim().nfc().collect();
    if r.is_empty() {
        Err(RevocationProblem::ReasonMissing)
    } else {
        Ok(r.chars().take(500).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn complete_needs_every_lesson_and_a_pass() {
        assert!(is_complete(4, 4, true, true));
        assert!(!is_complete(3, 4, true, true));
        assert!(!is_complete(4, 4, false, true));
        assert!(is_complete(4, 4, false, false));
    }

    #[test]
    fn validity_expiry_and_recertification_window() {
        assert_eq!(valid_until(d(2026, 11, 28), 24), Some(d(2028, 11, 28)));
        assert_eq!(valid_until(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(valid_until(d(2026, 1, 31), 0), None);
        let until = Some(d(2028, 11, 28));
        assert!(!reopened(until, d(2028, 9, 28)));
        assert!(reopened(until, d(2028, 9, 29)));
        assert!(reopened(until, d(2029, 1, 1)));
        assert!(!reopened(None, d(2100, 1, 1)));
        assert_eq!(CertStatus::of(until, false, d(2028, 11, 28)), CertStatus::Valid);
        assert_eq!(CertStatus::of(until, false, d(2028, 11, 29)), CertStatus::Expired);
        assert_eq!(CertStatus::of(until, true, d(2027, 1, 1)), CertStatus::Revoked);
        assert_eq!(CertStatus::of(None, false, d(2100, 1, 1)), CertStatus::Valid);
        let n = certificate_number(d(2026, 5, 1), 0x0123_4567_89AB_CDEF);
        assert!(
            n.starts_with("GL-2026-") && n.len() == "GL-2026-XXXXX-XXXXX".len(),
            "{n}"
        );
        assert!(
            n[8..]
                .chars()
                .all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"ILOU".contains(c))),
            "{n}"
        );
        // Neighbouring random values give unrelated-looking numbers; 50 bits are used.
        assert_ne!(
            certificate_number(d(2026, 5, 1), 1),
            certificate_number(d(2026, 5, 1), 2)
        );
        assert_ne!(
            certificate_number(d(2026, 5, 1), 1 << 49),
            certificate_number(d(2026, 5, 1), 0),
            "the 50th bit counts"
        );
    }
}

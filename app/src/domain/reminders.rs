//! Reminders, pure: given what an official must take (with due dates) and the certificates
//! they hold, on a day, which reminders are due. Each has a key that names it once and for
//! all (`due7:<course>:<date>`), so the job that stores them can run any number of times, be
//! stopped and restarted, and still make each reminder exactly once.
//!
//! The thresholds are buckets, not exact days: a job that did not run on the 7th day before a
//! deadline still sends the 7-day reminder on the 5th (and not the 14-day one any more).
//! - an assigned course not complete, due in ≤ 14, ≤ 7, ≤ 1 day(s), or overdue;
//! - a certificate expiring in ≤ 60, ≤ 30, ≤ 7 days;
//! - the recertification window opening (`progress::RECERT_WINDOW_DAYS` before expiry).

use crate::i18n::fmt_date as date;
use chrono::NaiveDate;

/// An assigned course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub course_id: String,
    pub course_title: String,
    pub due: NaiveDate,
    pub complete: bool,
}

/// A current certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub number: String,
    pub course_id: String,
    pub course_title: String,
    pub valid_until: NaiveDate,
}

/// A reminder to store (and maybe e-mail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// `due14`, `due7`, `due1`, `overdue`, `expires60`, `expires30`, `expires7`, `recert`.
    pub kind: String,
    /// Unique for the account: the same reminder is never made twice.
    pub key: String,
    pub title: String,
    pub body: String,
    /// Where the notice leads (a path of the site).
    pub link: String,
}

/// The reminders due on `today` for one official.
pub fn for_learner(today: NaiveDate, dues: &[Due], held: &[Held], recert_window_days: i64) -> Vec<Reminder> {
    let mut out = vec![];
    for d in dues.iter().filter(|d| !d.complete) {
        let days = (d.due - today).num_days();
        let (kind, title) = match days {
            i64::MIN..=-1 => ("overdue", format!("Đã quá hạn: {}", d.course_title)),
            0..=1 => ("due1", format!("Còn 1 ngày: {}", d.course_title)),
            2..=7 => ("due7", format!("Còn {days} ngày: {}", d.course_title)),
            8..=14 => ("due14", format!("Còn {days} ngày: {}", d.course_title)),
            _ => continue,
        };
        let body = if days < 0 {
            format!(
                "Khóa \"{}\" phải hoàn thành trước ngày {}. Hãy học và làm bài kiểm tra sớm nhất có thể.",
                d.course_title,
                date(d.due)
            )
        } else {
            format!("Khóa \"{}\" cần hoàn thành trước ngày {}.", d.course_title, date(d.due))
        };
        out.push(Reminder {
            kind: kind.into(),
            key: format!("{kind}:{}:{}", d.course_id, d.due),
            title,
            body,
            link: format!("/courses/{}", d.course_id),
        });
    }
    for h in held {
        let days = (h.valid_until - today).num_days();
        let bucket = match days {
            0..=7 => Some("expires7"),
            8..=30 => Some("expires30"),
            31..=60 => Some("expires60"),
            _ => None,
        };
        if let Some(kind) = bucket {
            out.push(Reminder {
                kind: kind.into(),
                key: format!("{kind}:{}", h.number),
                title: format!("Chứng nhận sắp hết hạn: {}", h.course_title),
                body: format!(
                    "Chứng nhận số {} (khóa \"{}\") hết hạn ngày {}. Hãy học lại và làm bài kiểm tra để được cấp chứng nhận mới.",
                    h.number,
                    h.course_title,
                    date(h.valid_until)
                ),
                link: format!("/courses/{}", h.course_id),
            });
        }
        if (0..=recert_window_days).contains(&days) {
            out.push(Reminder {
                kind: "recert".into(),
                key: format!("recert:{}", h.number),
                title: format!("Đã mở đợt đánh giá lại: {}", h.course_title),
                body: format!(
                    "Từ nay có thể học lại và làm bài kiểm tra khóa \"{}\" để gia hạn chứng nhận số {}.",
                    h.course_title, h.number
                ),
                link: format!("/courses/{}", h.course_id),
            });
        }
    }
    out
}

/// The key of a manager's weekly digest: one per ISO week.
pub fn digest_key(today: NaiveDate) -> String {
    use chrono::Datelike;
    let w = today.iso_week();
    format!("digest:{}-W{:02}", w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn due(on: NaiveDate, complete: bool) -> Due {
        Due {
            course_id: "a".into(),
            course_title: "Khung pháp lý".into(),
            due: on,
            complete,
        }
    }

    #[test]
    fn one_reminder_per_bucket_and_none_once_complete() {
        let deadline = d(2026, 12, 31);
        let kinds = |today| {
            for_learner(today, &[due(deadline, false)], &[], 60)
                .into_iter()
                .map(|r| r.kind)
                .collect::<Vec<_>>()
        };
        assert!(kinds(d(2026, 12, 1)).is_empty(), "30 days ahead: nothing yet");
        assert_eq!(kinds(d(2026, 12, 17)), ["due14"]);
        assert_eq!(
            kinds(d(2026, 12, 26)),
            ["due7"],
            "a job that missed day 7 still sends it"
        );
        assert_eq!(kinds(d(2026, 12, 30)), ["due1"]);
        assert_eq!(kinds(d(2027, 1, 2)), ["overdue"]);
        assert!(for_learner(d(2026, 12, 30), &[due(deadline, true)], &[], 60).is_empty());
        // The key names the bucket, the course and the deadline: the same reminder twice has
        // the same key; a new deadline makes a new one.
        let a = for_learner(d(2026, 12, 25), &[due(deadline, false)], &[], 60);
        let b = for_learner(d(2026, 12, 27), &[due(deadline, false)], &[], 60);
        assert_eq!(a[0].key, b[0].key);
        assert_eq!(a[0].key, "due7:a:2026-12-31");
        assert_eq!(a[0].link, "/courses/a");
    }

    #[test]
    fn certificates_remind_before_they_expire_and_when_recertification_opens() {
        let held = Held {
            number: "GL-2025-AAAAA-BBBBB".into(),
            course_id: "b".into(),
            course_title: "Kiểm tra".into(),
            valid_until: d(2027, 3, 1),
        };
        let kinds = |today| {
            for_learner(today, &[], std::slice::from_ref(&held), 60)
                .into_iter()
                .map(|r| r.kind)
                .collect::<Vec<_>>()
        };
        assert!(kinds(d(2026, 12, 1)).is_empty());
        assert_eq!(kinds(d(2027, 1, 15)), ["expires60", "recert"]);
        assert_eq!(kinds(d(2027, 2, 10)), ["expires30", "recert"]);
        assert_eq!(kinds(d(2027, 2, 26)), ["expires7", "recert"]);
        assert_eq!(digest_key(d(2026, 12, 2)), "digest:2026-W49");
        assert_eq!(digest_key(d(2027, 1, 1)), "digest:2026-W53");
    }
}

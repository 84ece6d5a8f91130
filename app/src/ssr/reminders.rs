//! The reminder job: makes the reminders that are due (`domain::reminders`) and the managers'
//! weekly digests, stores each once (its key is unique per account), and e-mails those waiting
//! when SMTP is configured (`TAPHUAN_SMTP_URL`, `TAPHUAN_MAIL_FROM`).
//!
//! **Exactly once.** Making a reminder is an insert that does nothing when the key exists, so
//! any number of runs, on any number of nodes, make it once. Sending claims a notice first
//! (`pending` → `sending`, one conditional update: only one sender wins), sends it, then marks
//! it `sent`; a restart finds nothing pending that was sent. A sender that dies between the send
//! and the mark leaves the notice `sending`; it is offered again after [`STALE_CLAIM_MINUTES`]
//! (at least once in that one case, never silently lost). A failed send is retried with a
//! doubling back-off (1, 2, 4, 8 minutes…) and marked `failed` after [`MAX_ATTEMPTS`]; the
//! administrator's page lists the failures. Without SMTP, notices are in-app only (`none`).

use super::db::entities::{account, notice, person};
use super::learning::{Records, current_certificate};
use super::state::AppState;
use crate::domain::identity::Role;
use crate::domain::reminders::{Due, Held, Reminder, digest_key, for_learner};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Sends tried before a notice is marked `failed`.
pub const MAX_ATTEMPTS: i32 = 5;
/// A claim older than this is offered again (its sender died mid-send).
pub const STALE_CLAIM_MINUTES: i64 = 10;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Reminders due (made now or before).
    pub due: usize,
    /// New notices stored by this run.
    pub made: usize,
    pub sent: usize,
    pub failed: usize,
}

/// A reminder for an account, and where to e-mail it (if anywhere).
pub struct Planned {
    pub account_id: i64,
    pub username: String,
    pub email: Option<String>,
    pub reminder: Reminder,
}

/// Every reminder due on `today`: officials' reminders and managers' weekly digests.
pub async fn plan(state: &AppState, today: NaiveDate) -> Result<Vec<Planned>, DbErr> {
    let db = &state.db;
    let loaded = state.content.get();
    let title = |id: &str| {
        loaded
            .library
            .course(id)
            .map(|c| c.meta.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let accounts = account::Entity::find()
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    let mut out = vec![];
    for a in &accounts {
        let Some(pid) = a.person_id else { continue };
        let Some(p) = person::Entity::find_by_id(pid).one(db).await? else {
            continue;
        };
        if !p.active {
            continue;
        }
        let r = Records::load(db, pid).await?;
        let dues: Vec<Due> = r
            .assignments
            .iter()
            .filter_map(|asg| {
                let c = loaded.library.course(&asg.course_id)?;
                Some(Due {
                    course_id: asg.course_id.clone(),
                    course_title: c.meta.title.clone(),
                    due: asg.due,
                    complete: r.progress(c, today).complete,
                })
            })
            .collect();
        let mut courses: Vec<&str> = r.certificates.iter().map(|c| c.course_id.as_str()).collect();
        courses.sort();
        courses.dedup();
        let held: Vec<Held> = courses
            .into_iter()
            .filter_map(|id| current_certificate(&r.certificates, id))
            .filter_map(|c| {
                Some(Held {
                    number: c.number.clone(),
                    course_id: c.course_id.clone(),
                    course_title: title(&c.course_id),
                    valid_until: c.valid_until?,
                })
            })
            .collect();
        let email = p.email.clone().filter(|e| !e.trim().is_empty() && !a.email_opt_out);
        for reminder in for_learner(today, &dues, &held, crate::domain::progress::RECERT_WINDOW_DAYS) {
            out.push(Planned {
                account_id: a.id,
                username: a.username.clone(),
                email: email.clone(),
                reminder,
            });
        }
    }
    let mut managers: Vec<i64> = super::rights::holders(db, Role::Manager)
        .await?
        .into_iter()
        .map(|g| g.account_id)
        .collect();
    managers.dedup();
    for a in accounts.iter().filter(|a| managers.contains(&a.id)) {
        let scopes = super::rights::held(db, a.id).await?.scopes;
        if let Some(d) = digest(state, a, &scopes, today).await? {
            out.push(d);
        }
    }
    Ok(out)
}

/// A manager's weekly digest: coverage of each active program in each subtree they manage and
/// who is overdue (not covered after the deadline), by name. One digest a week, however many
/// subtrees.
async fn digest(
    state: &AppState,
    a: &account::Model,
    scopes: &[super::auth::Scope],
    today: NaiveDate,
) -> Result<Option<Planned>, DbErr> {
    let mut lines = vec![];
    for scope in scopes {
        let mine = digest_lines(state, scope, today).await?;
        if scopes.len() > 1 && !mine.is_empty() {
            lines.push(format!("{}:", scope.agency_name));
        }
        lines.extend(mine);
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let email = match a.person_id {
        Some(pid) => person::Entity::find_by_id(pid)
            .one(&state.db)
            .await?
            .and_then(|p| p.email),
        None => None,
    }
    .filter(|e| !e.trim().is_empty() && !a.email_opt_out);
    let names: Vec<&str> = scopes.iter().map(|s| s.agency_name.as_str()).collect();
    Ok(Some(Planned {
        account_id: a.id,
        username: a.username.clone(),
        email,
        reminder: Reminder {
            kind: "digest".into(),
            key: digest_key(today),
            title: format!("Tình hình tập huấn tuần này — {}", names.join(", ")),
            body: lines.join("\n"),
            link: "/coverage".into(),
        },
    }))
}

/// The digest's lines for one subtree: one per active program.
async fn digest_lines(state: &AppState, scope: &super::auth::Scope, today: NaiveDate) -> Result<Vec<String>, DbErr> {
    use crate::domain::coverage::Status;
    let programs = super::db::entities::program::Entity::find()
        .filter(super::db::entities::program::Column::Active.eq(true))
        .order_by_asc(super::db::entities::program::Column::Id)
        .all(&state.db)
        .await?;
    let mut lines = vec![];
    for p in programs {
        let deadline = p.deadline;
        let name = p.name.clone();
        let snap = super::coverage::snapshot(&state.db, p, Some(scope), today, false).await?;
        let missing: Vec<i64> = snap
            .statuses
            .iter()
            .filter(|s| matches!(s.status, Status::Missing(_)))
            .map(|s| s.person_id)
            .collect();
        // Numbers as Vietnamese write them: a decimal comma, a space before %.
        let percent = format!("{:.1}", snap.overall.percent()).replace('.', ",");
        let mut line = format!(
            "• {name}: {}/{} cán bộ đã đạt ({percent} %), hạn {}",
            snap.overall.covered,
            snap.overall.base(),
            deadline.format("%d/%m/%Y")
        );
        if deadline < today && !missing.is_empty() {
            let people = super::coverage::people_by_id(&state.db, &missing).await?;
            let mut names: Vec<&str> = people.values().map(|p| p.full_name.as_str()).collect();
            names.sort();
            let shown = names.iter().take(20).copied().collect::<Vec<_>>().join(", ");
            let more = names.len().saturating_sub(20);
            line.push_str(&format!(
                "\n  Quá hạn chưa đạt ({}): {shown}{}",
                names.len(),
                if more > 0 {
                    format!(" và {more} người khác")
                } else {
                    String::new()
                }
            ));
        }
        lines.push(line);
    }
    Ok(lines)
}

/// Stores the planned notices that do not exist yet; returns how many were new.
pub async fn store(db: &impl ConnectionTrait, planned: &[Planned], email_on: bool) -> Result<usize, DbErr> {
    let now = crate::ssr::clock::now();
    let mut made = 0;
    for p in planned {
        let to = p.email.clone().filter(|_| email_on);
        let row = notice::ActiveModel {
            account_id: Set(p.account_id),
            kind: Set(p.reminder.kind.clone()),
            dedupe_key: Set(format!("{}:{}", p.account_id, p.reminder.key)),
            title: Set(p.reminder.title.clone()),
            body: Set(p.reminder.body.clone()),
            link: Set(p.reminder.link.clone()),
            created_at: Set(now),
            read_at: Set(None),
            email_state: Set(if to.is_some() { "pending" } else { "none" }.into()),
            email_to: Set(to),
            email_attempts: Set(0),
            email_next_at: Set(None),
            email_sent_at: Set(None),
            email_error: Set(None),
            ..Default::default()
        };
        let r = notice::Entity::insert(row)
            .on_conflict(OnConflict::column(notice::Column::DedupeKey).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        made += r as usize;
    }
    Ok(made)
}

/// An e-mail being sent.
pub type Sending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>;

/// Something that delivers an e-mail.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> Sending<'a>;
}

/// SMTP through lettre (`smtp://host:port`, plain: the relay on the local network does TLS).
pub struct Smtp {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    pub fn from_config(url: &str, from: &str) -> anyhow::Result<Smtp> {
        let u = url::Url::parse(url)?;
        let host = u
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("TAPHUAN_SMTP_URL has no host: {url}"))?;
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host)
            .port(u.port().unwrap_or(25))
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Smtp {
            transport,
            from: from.parse()?,
        })
    }
}

impl Mailer for Smtp {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> Sending<'a> {
        Box::pin(async move {
            use lettre::AsyncTransport;
            let msg = lettre::Message::builder()
                .from(self.from.clone())
                .to(to.parse().map_err(|e| format!("address {to:?}: {e}"))?)
                .subject(subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(body.to_string())
                .map_err(|e| e.to_string())?;
            self.transport.send(msg).await.map(|_| ()).map_err(|e| e.to_string())
        })
    }
}

/// Sends every notice waiting for its e-mail (at most 500 a run). Returns (sent, failed).
pub async fn send_pending(
    db: &impl ConnectionTrait,
    mailer: &dyn Mailer,
    site: &str,
    now: DateTime<Utc>,
) -> Result<(usize, usize), DbErr> {
    let stale = now - Duration::minutes(STALE_CLAIM_MINUTES);
    let waiting = notice::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(notice::Column::EmailState.eq("pending"))
                        .add(
                            sea_orm::Condition::any()
                                .add(notice::Column::EmailNextAt.is_null())
                                .add(notice::Column::EmailNextAt.lte(now)),
                        ),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(notice::Column::EmailState.eq("sending"))
                        .add(notice::Column::EmailNextAt.lte(stale)),
                ),
        )
        .order_by_asc(notice::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let (mut sent, mut failed) = (0, 0);
    for n in waiting {
        // Claim it: only one sender moves it to `sending` (the claim time is kept in next_at).
        let claimed = notice::Entity::update_many()
            .col_expr(notice::Column::EmailState, Expr::value("sending"))
            .col_expr(notice::Column::EmailNextAt, Expr::value(now))
            .filter(notice::Column::Id.eq(n.id))
            .filter(notice::Column::EmailState.eq(n.email_state.clone()))
            .exec(db)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue;
        }
        let Some(to) = n.email_to.clone() else { continue };
        let body = format!(
            "{}\n\nXem trên Taphuan: {site}{}\n\n— Taphuan, tập huấn thực thi pháp luật thương mại điện tử.\nKhông muốn nhận email nhắc việc? Tắt tại {site}/notices",
            n.body, n.link
        );
        match mailer.send(&to, &n.title, &body).await {
            Ok(()) => {
                notice::Entity::update_many()
                    .col_expr(notice::Column::EmailState, Expr::value("sent"))
                    .col_expr(notice::Column::EmailSentAt, Expr::value(now))
                    .col_expr(notice::Column::EmailAttempts, Expr::value(n.email_attempts + 1))
                    .filter(notice::Column::Id.eq(n.id))
                    .exec(db)
                    .await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = n.email_attempts + 1;
                let give_up = attempts >= MAX_ATTEMPTS;
                let next = now + Duration::minutes(1 << (attempts - 1).clamp(0, 10));
                notice::Entity::update_many()
                    .col_expr(
                        notice::Column::EmailState,
                        Expr::value(if give_up { "failed" } else { "pending" }),
                    )
                    .col_expr(notice::Column::EmailAttempts, Expr::value(attempts))
                    .col_expr(notice::Column::EmailNextAt, Expr::value(next))
                    .col_expr(
                        notice::Column::EmailError,
                        Expr::value(e.chars().take(500).collect::<String>()),
                    )
                    .filter(notice::Column::Id.eq(n.id))
                    .exec(db)
                    .await?;
                tracing::warn!(notice = n.id, attempts, error = %e, "reminder e-mail failed");
                if give_up {
                    failed += 1;
                }
            }
        }
    }
    Ok((sent, failed))
}

/// One run of the job: plan, store, send (when a mailer is given).
pub async fn run(state: &AppState, mailer: Option<&dyn Mailer>, today: NaiveDate) -> Result<RunReport, DbErr> {
    let planned = plan(state, today).await?;
    let made = store(&state.db, &planned, mailer.is_some()).await?;
    let (sent, failed) = match mailer {
        Some(m) => {
            let site = state.config.public_url.clone().unwrap_or_default();
            send_pending(&state.db, m, &site, crate::ssr::clock::now()).await?
        }
        None => (0, 0),
    };
    Ok(RunReport {
        due: planned.len(),
        made,
        sent,
        failed,
    })
}

/// The mailer the configuration asks for, if any.
pub fn mailer(state: &AppState) -> Option<Box<dyn Mailer>> {
    let url = state.config.smtp_url.as_deref()?;
    match Smtp::from_config(url, &state.config.mail_from) {
        Ok(m) => Some(Box::new(m)),
        Err(e) => {
            tracing::error!(error = %e, "TAPHUAN_SMTP_URL is not usable: reminders stay in the app");
            None
        }
    }
}

/// The background job: a run every `TAPHUAN_REMINDER_MINUTES` (default 60; 0 = off).
pub fn spawn(state: AppState) {
    let every = state.config.reminder_minutes;
    if every == 0 {
        return;
    }
    tokio::spawn(async move {
        let mailer = mailer(&state);
        // The first run waits a period too: a start (or a restart of every node) is not the
        // moment to read every official's records.
        let period = std::time::Duration::from_secs(every * 60);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            tick.tick().await;
            match run(&state, mailer.as_deref(), crate::ssr::clock::today()).await {
                Ok(r) => tracing::info!(
                    due = r.due,
                    made = r.made,
                    sent = r.sent,
                    failed = r.failed,
                    "reminders"
                ),
                Err(e) => tracing::error!(error = %e, "reminder run failed"),
            }
        }
    });
}

//! The audit log on the server: appending events in the transaction that makes the change
//! (so an event exists exactly when its change does), checking the whole chain, and checking
//! the records against it. The hashing rules are `domain::audit`.

use super::db::Batch;
use super::db::entities::{audit_event, audit_head, certificate, completion};
use crate::domain::audit::{self as chain, Actor, Body, Broken, Checker, Link, Segment, SegmentLink};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Event kinds, one name each.
pub mod kind {
    pub const COMPLETION: &str = "completion.recorded";
    pub const REVOKED: &str = "certificate.revoked";
    pub const EXEMPTED: &str = "exemption.recorded";
    pub const EXEMPTION_WITHDRAWN: &str = "exemption.withdrawn";
    pub const TARGET: &str = "target.revised";
    pub const ROSTER: &str = "roster.changed";
    pub const GRANTED: &str = "role.granted";
    pub const WITHDRAWN: &str = "role.withdrawn";
    pub const LOCKED: &str = "sign_in.locked";
    pub const PUBLISHED: &str = "content.published";
    pub const RECERT_OPENED: &str = "recertification.opened";
}

/// An event to append.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: &'static str,
    /// The account that did it (with its name then); None: the system or the command line.
    pub actor: Option<(i64, String)>,
    pub person_id: Option<i64>,
    pub reason: String,
    pub data: Value,
}

impl Event {
    pub fn new(kind: &'static str, data: Value) -> Event {
        Event {
            kind,
            actor: None,
            person_id: None,
            reason: String::new(),
            data,
        }
    }
    pub fn by(mut self, account: i64, name: &str) -> Event {
        self.actor = Some((account, name.to_string()));
        self
    }
    pub fn about(mut self, person_id: i64) -> Event {
        self.person_id = Some(person_id);
        self
    }
    pub fn because(mut self, reason: &str) -> Event {
        self.reason = reason.to_string();
        self
    }
}

/// A time as the audit writes it: RFC 3339, whole seconds, UTC (the same on every database).
pub fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Appends one event; call it inside the transaction that makes the change.
pub async fn append(tx: &impl ConnectionTrait, e: Event) -> Result<i64, DbErr> {
    append_all(tx, vec![e]).await
}

/// Appends events in order; returns the last link's number.
pub async fn append_all(tx: &impl ConnectionTrait, events: Vec<Event>) -> Result<i64, DbErr> {
    let mut batch = Batch::new(tx);
    let seq = append_to(tx, &mut batch, events).await?;
    batch.run(tx).await?;
    Ok(seq)
}

/// Takes the chain's head for `events` and adds their links and the new head to `batch`, which
/// the caller runs in the same transaction; returns the last link's number. The head row is
/// updated here, first: on PostgreSQL that row lock is held until commit, so concurrent appends
/// queue and the chain never forks; on SQLite the transaction is the one writer anyway.
pub async fn append_to(tx: &impl ConnectionTrait, batch: &mut Batch, events: Vec<Event>) -> Result<i64, DbErr> {
    let n = events.len() as i64;
    // The head as this update left it (`RETURNING`): one statement, not an update and a read.
    let head = audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq).add(n))
        .filter(audit_head::Column::Id.eq(1))
        .exec_with_returning(tx)
        .await?
        .pop()
        .ok_or_else(|| DbErr::Custom("the audit head row is missing".into()))?;
    let mut seq = head.seq - n;
    let mut prev = head.hash.clone();
    let now = super::clock::now();
    let mut rows = Vec::with_capacity(events.len());
    for e in events {
        seq += 1;
        let body = serde_json::to_string(&Body {
            seq,
            at: stamp(now),
            kind: e.kind.to_string(),
            actor: e.actor.map(|(account, name)| Actor { account, name }),
            person: e.person_id,
            reason: e.reason,
            data: e.data,
        })
        .map_err(|e| DbErr::Custom(e.to_string()))?;
        let digest = chain::digest(&body);
        let hash = chain::link_hash(&prev, &digest);
        rows.push(audit_event::ActiveModel {
            seq: Set(seq),
            at: Set(now),
            kind: Set(e.kind.to_string()),
            person_id: Set(e.person_id),
            body: Set(body),
            digest: Set(digest),
            prev_hash: Set(prev.clone()),
            hash: Set(hash.clone()),
            ..Default::default()
        });
        prev = hash;
    }
    for chunk in rows.chunks(200) {
        batch.push(&audit_event::Entity::insert_many(chunk.to_vec()));
    }
    batch.push(
        &audit_head::Entity::update_many()
            .col_expr(audit_head::Column::Hash, Expr::value(prev))
            .filter(audit_head::Column::Id.eq(1)),
    );
    Ok(seq)
}

/// The event of a completion and its certificate.
pub fn completion_event(c: &completion::Model, number: &str, valid_until: Option<chrono::NaiveDate>) -> Event {
    Event::new(
        kind::COMPLETION,
        json!({
            "completion": c.id,
            "course": c.course_id,
            "course_hash": c.course_hash,
            "score": c.score_percent,
            "completed_at": stamp(c.completed_at),
            "source": c.source,
            "attempt": c.attempt_id,
            "certificate": number,
            "valid_until": valid_until.map(|d| d.to_string()),
        }),
    )
    .about(c.person_id)
}

/// The chain's head: (last link's number, its hash).
pub async fn head(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let h = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("the audit head row is missing".into()))?;
    Ok((h.seq, h.hash))
}

fn link_of(m: audit_event::Model) -> Link {
    Link {
        seq: m.seq,
        kind: m.kind,
        person_id: m.person_id,
        body: m.body,
        digest: m.digest,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds and every record matches its event: the number of links.
    Sound { links: i64 },
    /// The chain breaks here.
    Broken(Broken),
    /// The chain holds, but a record differs from its event.
    Records(Vec<String>),
}

/// Checks the whole chain, a page at a time, then the completions and certificates against it.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verdict, DbErr> {
    let (head_seq, head_hash) = head(db).await?;
    let mut checker = Checker::default();
    let mut recorded: HashMap<i64, (i64, Value)> = HashMap::new();
    let mut revoked: HashMap<String, i64> = HashMap::new();
    let mut after = i64::MIN;
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(after))
            .order_by_asc(audit_event::Column::Seq)
            .limit(5000)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for m in page {
            let l = link_of(m);
            if let Err(b) = checker.push(&l) {
                return Ok(Verdict::Broken(b));
            }
            if l.kind == kind::COMPLETION || l.kind == kind::REVOKED {
                let body: Body = serde_json::from_str(&l.body).map_err(|e| DbErr::Custom(e.to_string()))?;
                if l.kind == kind::REVOKED {
                    if let Some(n) = body.data["certificate"].as_str() {
                        revoked.insert(n.to_string(), l.seq);
                    }
                } else if let Some(id) = body.data["completion"].as_i64() {
                    recorded.insert(id, (l.seq, body.data));
                }
            }
        }
    }
    if let Err(b) = checker.finish(head_seq, &head_hash) {
        return Ok(Verdict::Broken(b));
    }
    let problems = check_records(db, &recorded, &revoked).await?;
    Ok(if problems.is_empty() {
        Verdict::Sound { links: head_seq }
    } else {
        Verdict::Records(problems)
    })
}

/// Every completion and certificate against the events that recorded them.
async fn check_records(
    db: &impl ConnectionTrait,
    recorded: &HashMap<i64, (i64, Value)>,
    revoked: &HashMap<String, i64>,
) -> Result<Vec<String>, DbErr> {
    let mut problems = Vec::new();
    let certs: HashMap<i64, certificate::Model> = certificate::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.completion_id, c))
        .collect();
    let mut seen = 0usize;
    for c in completion::Entity::find()
        .order_by_asc(completion::Column::Id)
        .all(db)
        .await?
    {
        let Some((seq, data)) = recorded.get(&c.id) else {
            problems.push(format!(
                "completion {} has no audit event (added outside Taphuan)",
                c.id
            ));
            continue;
        };
        seen += 1;
        let Some(cert) = certs.get(&c.id) else {
            problems.push(format!("completion {} has lost its certificate (link {seq})", c.id));
            continue;
        };
        let mut expected = completion_event(&c, &cert.number, cert.valid_until).data;
        // The adoption of records older than the log is marked as such; compare the rest.
        if let (Some(o), Some(d)) = (expected.as_object_mut(), data.as_object())
            && d.contains_key("adopted")
        {
            o.insert("adopted".into(), Value::Bool(true));
        }
        if &expected != data {
            problems.push(format!(
                "completion {} differs from its audit event (link {seq}): now {expected}, recorded {data}",
                c.id
            ));
        }
        if cert.revoked_at.is_some() != revoked.contains_key(&cert.number) {
            problems.push(format!(
                "certificate {}: revoked in the table {} but {} in the audit log",
                cert.number,
                if cert.revoked_at.is_some() { "yes" } else { "no" },
                if revoked.contains_key(&cert.number) {
                    "revoked"
                } else {
                    "not revoked"
                },
            ));
        }
    }
    if seen < recorded.len() {
        let have: std::collections::HashSet<i64> = completion::Entity::find()
            .select_only()
            .column(completion::Column::Id)
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let mut gone: Vec<_> = recorded.iter().filter(|(id, _)| !have.contains(id)).collect();
        gone.sort_by_key(|(_, (seq, _))| *seq);
        for (id, (seq, _)) in gone {
            problems.push(format!("completion {id} was deleted (recorded at link {seq})"));
        }
    }
    Ok(problems)
}

/// Records older than the audit log (a database from before it, or the demo's bulk history)
/// are adopted: one event per completion not yet recorded, marked `adopted`, and one per
/// certificate revoked before. Runs in the caller's transaction; returns how many.
pub async fn adopt_unrecorded(tx: &impl ConnectionTrait) -> Result<usize, DbErr> {
    // Take the head's row lock before reading what is known: two nodes starting at once on one
    // PostgreSQL then adopt one after the other, the second finding nothing left to adopt.
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
        .filter(audit_head::Column::Id.eq(1))
        .exec(tx)
        .await?;
    let mut known = std::collections::HashSet::new();
    let mut known_revoked = std::collections::HashSet::new();
    for (k, b) in audit_event::Entity::find()
        .filter(audit_event::Column::Kind.is_in([kind::COMPLETION, kind::REVOKED]))
        .select_only()
        .column(audit_event::Column::Kind)
        .column(audit_event::Column::Body)
        .into_tuple::<(String, String)>()
        .all(tx)
        .await?
    {
        let b: Body = serde_json::from_str(&b).map_err(|e| DbErr::Custom(e.to_string()))?;
        if k == kind::REVOKED {
            if let Some(n) = b.data["certificate"].as_str() {
                known_revoked.insert(n.to_string());
            }
        } else if let Some(id) = b.data["completion"].as_i64() {
            known.insert(id);
        }
    }
    let certs: HashMap<i64, certificate::Model> = certificate::Entity::find()
        .all(tx)
        .await?
        .into_iter()
        .map(|c| (c.completion_id, c))
        .collect();
    let mut events = Vec::new();
    for c in completion::Entity::find()
        .order_by_asc(completion::Column::Id)
        .all(tx)
        .await?
    {
        let Some(cert) = certs.get(&c.id) else { continue };
        if !known.contains(&c.id) {
            let mut e = completion_event(&c, &cert.number, cert.valid_until);
            e.data["adopted"] = Value::Bool(true);
            events.push(e);
        }
        if cert.revoked_at.is_some() && !known_revoked.contains(&cert.number) {
            events.push(revocation_event(cert, None));
        }
    }
    let n = events.len();
    if n > 0 {
        append_all(tx, events).await?;
    }
    Ok(n)
}

/// The event of a revocation.
pub fn revocation_event(cert: &certificate::Model, by: Option<(i64, &str)>) -> Event {
    let mut e = Event::new(
        kind::REVOKED,
        json!({ "certificate": cert.number, "course": cert.course_id }),
    )
    .about(cert.person_id)
    .because(cert.revoked_reason.as_deref().unwrap_or_default());
    e.data["revoked_at"] = json!(cert.revoked_at.map(stamp));
    if let Some((id, name)) = by {
        e = e.by(id, name);
    }
    e
}

/// The links that prove an official's events: from their first event to their last, with their
/// own bodies shown and every other link by its digest alone.
pub async fn segment_for(db: &impl ConnectionTrait, person_id: i64) -> Result<Option<Segment>, DbErr> {
    let mine = audit_event::Entity::find()
        .filter(audit_event::Column::PersonId.eq(person_id))
        .select_only()
        .column(audit_event::Column::Seq)
        .order_by_asc(audit_event::Column::Seq)
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let (Some(&first), Some(&last)) = (mine.first(), mine.last()) else {
        return Ok(None);
    };
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::Seq.between(first, last))
        .order_by_asc(audit_event::Column::Seq)
        .all(db)
        .await?;
    let prev_hash = rows.first().map(|r| r.prev_hash.clone()).unwrap_or_default();
    let end_hash = rows.last().map(|r| r.hash.clone()).unwrap_or_default();
    Ok(Some(Segment {
        prev_hash,
        end_hash,
        links: rows
            .into_iter()
            .map(|r| SegmentLink {
                seq: r.seq,
                body: (r.person_id == Some(person_id)).then_some(r.body),
                digest: r.digest,
            })
            .collect(),
    }))
}

/// The stored hash of link `seq` (to check a segment's end against the live chain).
pub async fn hash_at(db: &impl ConnectionTrait, seq: i64) -> Result<Option<String>, DbErr> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::Seq.eq(seq))
        .one(db)
        .await?
        .map(|m| m.hash))
}

/// On a database whose chain is still empty (one from before the audit log), adopts its
/// records; afterwards costs one read.
pub async fn adopt_if_new(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::TransactionTrait;
    if head(db).await?.0 > 0 {
        return Ok(());
    }
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let n = adopt_unrecorded(&tx).await?;
    tx.commit().await?;
    if n > 0 {
        tracing::info!(events = n, "the audit log adopted the records older than it");
    }
    Ok(())
}

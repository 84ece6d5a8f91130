//! The audit chain, as pure rules: how a link is hashed, and how a run of links is checked.
//!
//! Every event that makes or changes a training record is written once as a JSON text (`body`).
//! Its `digest` is SHA-256(body); its `hash` is SHA-256(prev_hash ":" digest), so each link
//! depends on every link before it. The body also names its own sequence number, so a link
//! moved to another place no longer matches where it stands.
//!
//! What the check catches, and where it says the chain first breaks:
//! - **edit** of a body: its digest no longer matches (that link);
//! - **edit with a recomputed digest and hash**: the next link no longer follows it;
//! - **deletion**: a gap in the numbers (the first missing link), or, at the end, a chain
//!   shorter than its head;
//! - **insertion**: numbers, or the link after it, no longer follow;
//! - **reordering**: a body standing at a number it does not name.
//!
//! Someone who rewrites every link after an edit *and* the head is caught only against a head
//! recorded elsewhere (`taphuan audit head` prints it; the evidence packs carry it, signed).
//!
//! A **segment** proves some links without showing the others: links of other officials are
//! given by digest alone, which is all the hash needs.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash "before" the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of an event's text, in hex.
pub fn digest(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// The hash of a link: SHA-256 of the previous hash, ":", and this link's digest.
pub fn link_hash(prev_hash: &str, digest: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b":");
    h.update(digest.as_bytes());
    hex::encode(h.finalize())
}

/// Who did it: an account (with the name it had then), or the system / command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub account: i64,
    pub name: String,
}

/// An event's text. Serialised once, stored as written, never re-serialised for checking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// e.g. `completion.recorded`, `certificate.revoked`, `roster.changed`.
    pub kind: String,
    pub actor: Option<Actor>,
    /// The official the event is about.
    pub person: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub data: serde_json::Value,
}

/// One stored link, as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub seq: i64,
    pub kind: String,
    pub person_id: Option<i64>,
    pub body: String,
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where the chain breaks first, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The number of the first link that does not hold.
    pub seq: i64,
    pub how: How,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Links are missing: the next one found is `found`.
    Missing { found: i64 },
    /// Its text was changed: it no longer matches its digest.
    Altered,
    /// Its text is unreadable or names another kind/official than its columns.
    Mismatch(String),
    /// It names another place in the chain (`names`): moved.
    Moved { names: i64 },
    /// It does not follow the link before it (that one was changed, or this one inserted).
    DoesNotFollow,
    /// Its own hash is not the hash of its link.
    BadHash,
    /// The chain ends before its head (`head`): the last links were deleted.
    Truncated { head: i64 },
    /// Links after the head (`head`): appended without the head, or the head was rolled back.
    PastHead { head: i64 },
    /// The head's hash is not the last link's.
    HeadMismatch,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.seq;
        match &self.how {
            How::Missing { found } => write!(
                f,
                "mắt xích {n}: bị xóa (link {n} is missing: the next link found is {found})"
            ),
            How::Altered => write!(
                f,
                "mắt xích {n}: nội dung bị sửa (link {n} was altered: its text no longer matches its digest)"
            ),
            How::Mismatch(what) => write!(f, "mắt xích {n}: không khớp (link {n} does not match: {what})"),
            How::Moved { names } => write!(
                f,
                "mắt xích {n}: bị đổi chỗ (link {n} was moved: its text says it is link {names})"
            ),
            How::DoesNotFollow => write!(
                f,
                "mắt xích {n}: không nối với mắt xích trước (link {n} does not follow link {}: that one was changed, or this one inserted)",
                n - 1
            ),
            How::BadHash => write!(f, "mắt xích {n}: mã băm sai (link {n} has a forged hash)"),
            How::Truncated { head } => write!(
                f,
                "mắt xích {n}: bị xóa ở cuối (the chain ends at link {} but its head is link {head})",
                n - 1
            ),
            How::PastHead { head } => write!(
                f,
                "mắt xích {n}: nằm sau đầu chuỗi (link {n} comes after the head, link {head}: inserted)"
            ),
            How::HeadMismatch => write!(
                f,
                "mắt xích {n}: đầu chuỗi không khớp (the head's hash is not link {n}'s)"
            ),
        }
    }
}

/// Checks links one at a time, in order of their numbers (so a national chain is read in pages).
#[derive(Debug, Clone)]
pub struct Checker {
    next_seq: i64,
    prev_hash: String,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            next_seq: 1,
            prev_hash: GENESIS.to_string(),
        }
    }
}

impl Checker {
    /// The next link. The first broken one is an error; checking stops there.
    pub fn push(&mut self, l: &Link) -> Result<(), Broken> {
        let broken = |how| Err(Broken { seq: l.seq, how });
        if l.seq > self.next_seq {
            return Err(Broken {
                seq: self.next_seq,
                how: How::Missing { found: l.seq },
            });
        }
        if l.seq < self.next_seq {
            return Err(Broken {
                seq: self.next_seq,
                how: How::Moved { names: l.seq },
            });
        }
        if digest(&l.body) != l.digest {
            return broken(How::Altered);
        }
        let body: Body = match serde_json::from_str(&l.body) {
            Ok(b) => b,
            Err(e) => return broken(How::Mismatch(format!("unreadable text: {e}"))),
        };
        if body.seq != l.seq {
            return broken(How::Moved { names: body.seq });
        }
        if body.kind != l.kind || body.person != l.person_id {
            return broken(How::Mismatch("its kind or official was changed beside its text".into()));
        }
        if l.prev_hash != self.prev_hash {
            return broken(How::DoesNotFollow);
        }
        if link_hash(&l.prev_hash, &l.digest) != l.hash {
            return broken(How::BadHash);
        }
        self.prev_hash = l.hash.clone();
        self.next_seq += 1;
        Ok(())
    }

    /// After the last link: the head must be this link. Returns how many links were checked.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, Broken> {
        let last = self.next_seq - 1;
        if last < head_seq {
            return Err(Broken {
                seq: self.next_seq,
                how: How::Truncated { head: head_seq },
            });
        }
        if last > head_seq {
            return Err(Broken {
                seq: head_seq + 1,
                how: How::PastHead { head: head_seq },
            });
        }
        if self.prev_hash != head_hash {
            return Err(Broken {
                seq: last,
                how: How::HeadMismatch,
            });
        }
        Ok(last)
    }
}

/// Checks a whole chain against its head.
pub fn check(links: &[Link], head_seq: i64, head_hash: &str) -> Result<i64, Broken> {
    let mut c = Checker::default();
    for l in links {
        c.push(l)?;
    }
    c.finish(head_seq, head_hash)
}

/// A run of consecutive links in which only some bodies are shown (an official's own); the
/// others stand by their digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The hash of the link before the first one here.
    pub prev_hash: String,
    pub links: Vec<SegmentLink>,
    /// The hash of the last link (what the chain said when the segment was cut).
    pub end_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentLink {
    pub seq: i64,
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Segment {
    /// Checks the run: consecutive numbers, shown bodies matching their digests and numbers,
    /// and the hashes leading to `end_hash`. Returns the bodies shown.
    pub fn check(&self) -> Result<Vec<Body>, Broken> {
        let mut prev = self.prev_hash.clone();
        let mut shown = Vec::new();
        let mut expect: Option<i64> = None;
        for l in &self.links {
            if let Some(e) = expect
                && l.seq != e
            {
                return Err(Broken {
                    seq: e,
                    how: How::Missing { found: l.seq },
                });
            }
            if let Some(body) = &l.body {
                if digest(body) != l.digest {
                    return Err(Broken {
                        seq: l.seq,
                        how: How::Altered,
                    });
                }
                let b: Body = serde_json::from_str(body).map_err(|e| Broken {
                    seq: l.seq,
                    how: How::Mismatch(format!("unreadable text: {e}")),
                })?;
                if b.seq != l.seq {
                    return Err(Broken {
                        seq: l.seq,
                        how: How::Moved { names: b.seq },
                    });
                }
                shown.push(b);
            }
            prev = link_hash(&prev, &l.digest);
            expect = Some(l.seq + 1);
        }
        if prev != self.end_hash {
            return Err(Broken {
                seq: self.links.last().map_or(0, |l| l.seq),
                how: How::HeadMismatch,
            });
        }
        Ok(shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Link> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let body = serde_json::to_string(&Body {
                    seq,
                    at: "2026-12-02T00:00:00Z".into(),
                    kind: "completion.recorded".into(),
                    actor: None,
                    person: Some(seq % 3),
                    reason: String::new(),
                    data: serde_json::json!({ "score": seq }),
                })
                .unwrap();
                let d = digest(&body);
                let hash = link_hash(&prev, &d);
                let l = Link {
                    seq,
                    kind: "completion.recorded".into(),
                    person_id: Some(seq % 3),
                    body,
                    digest: d,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                l
            })
            .collect()
    }

    fn head(c: &[Link]) -> (i64, String) {
        c.last().map_or((0, GENESIS.into()), |l| (l.seq, l.hash.clone()))
    }

    #[test]
    fn an_untouched_chain_checks_and_an_empty_one_too() {
        let c = chain(5);
        let (s, h) = head(&c);
        assert_eq!(check(&c, s, &h), Ok(5));
        assert_eq!(check(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_names_its_first_broken_link() {
        let c = chain(6);
        let (s, h) = head(&c);

        let mut edited = c.clone();
        edited[2].body = edited[2].body.replace("\"score\":3", "\"score\":100");
        assert_eq!(check(&edited, s, &h).unwrap_err().how, How::Altered);
        assert_eq!(check(&edited, s, &h).unwrap_err().seq, 3);

        // An edit that recomputes its own digest and hash: the next link no longer follows.
        let mut forged = edited.clone();
        forged[2].digest = digest(&forged[2].body);
        forged[2].hash = link_hash(&forged[2].prev_hash, &forged[2].digest);
        assert_eq!(
            check(&forged, s, &h).unwrap_err(),
            Broken {
                seq: 4,
                how: How::DoesNotFollow
            }
        );

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            check(&deleted, s, &h).unwrap_err(),
            Broken {
                seq: 2,
                how: How::Missing { found: 3 }
            }
        );

        let mut truncated = c.clone();
        truncated.pop();
        assert_eq!(
            check(&truncated, s, &h).unwrap_err(),
            Broken {
                seq: 6,
                how: How::Truncated { head: 6 }
            }
        );

        // Two links swap places (their numbers stay where they stood).
        let mut swapped = c.clone();
        let (a, b) = (swapped[1].clone(), swapped[3].clone());
        swapped[1] = Link { seq: 2, ..b };
        swapped[3] = Link { seq: 4, ..a };
        assert_eq!(
            check(&swapped, s, &h).unwrap_err(),
            Broken {
                seq: 2,
                how: How::Moved { names: 4 }
            }
        );

        // A link inserted after link 2, the later ones renumbered with their bodies unchanged.
        let mut inserted = c.clone();
        let mut extra = c[1].clone();
        extra.body = extra.body.replace("\"score\":2", "\"score\":99");
        inserted.insert(2, extra);
        for (i, l) in inserted.iter_mut().enumerate() {
            l.seq = i as i64 + 1;
        }
        let e = check(&inserted, s, &h).unwrap_err();
        assert_eq!(e.seq, 3);

        // A link appended after the head.
        let longer = chain(7);
        assert_eq!(
            check(&longer, s, &h).unwrap_err(),
            Broken {
                seq: 7,
                how: How::PastHead { head: 6 }
            }
        );
    }

    #[test]
    fn a_segment_with_hidden_bodies_checks_and_fails_when_one_byte_changes() {
        let c = chain(6);
        let seg = Segment {
            prev_hash: c[1].prev_hash.clone(),
            links: c[1..5]
                .iter()
                .map(|l| SegmentLink {
                    seq: l.seq,
                    digest: l.digest.clone(),
                    body: (l.person_id == Some(1)).then(|| l.body.clone()),
                })
                .collect(),
            end_hash: c[4].hash.clone(),
        };
        let shown = seg.check().unwrap();
        assert_eq!(shown.iter().map(|b| b.seq).collect::<Vec<_>>(), vec![4]);
        let mut bad = seg.clone();
        let body = bad.links[2].body.as_mut().unwrap();
        *body = body.replace("\"score\":4", "\"score\":5");
        assert_eq!(bad.check().unwrap_err().how, How::Altered);
        let mut bad = seg.clone();
        bad.links[0].digest.replace_range(0..1, "f");
        assert!(bad.check().is_err());
    }
}

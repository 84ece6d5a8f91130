//! Limits on what anonymous clients can make the server do: failed sign-ins back off
//! exponentially per account name and per client address, and public look-ups (certificate
//! verification) are rate-limited per address.
//!
//! Sign-in keys are the name as typed (normalised), whether or not such an account exists, so a
//! refusal says nothing about which accounts exist; a throttled attempt is answered at once,
//! without hashing, for every name alike. The state is in memory: on several nodes each keeps
//! its own counts, which still bounds a guesser to N × the single-node rate.
//!
//! | key                 | free failures | then a wait of                      |
//! |---------------------|---------------|-------------------------------------|
//! | account name        | 5             | 2, 4, 8 … s after each further one, at most 15 min |
//! | client address      | 20            | the same doubling, at most 15 min   |
//!
//! A successful sign-in clears its account's count (not the address's).

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use super::clock;

/// Failures of one account name allowed before the back-off starts.
pub const FREE_PER_ACCOUNT: u32 = 5;
/// Failures from one address allowed before the back-off starts.
pub const FREE_PER_ADDRESS: u32 = 20;
/// The longest wait.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;
/// Certificate look-ups one address may make per minute.
pub const VERIFY_PER_MINUTE: u32 = 30;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    blocked_until: DateTime<Utc>,
    last: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    count: u32,
}

/// The throttle's state, one per server (in `AppState`).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Failures>>,
    lookups: Mutex<HashMap<IpAddr, Window>>,
}

/// The keys one sign-in attempt is counted under.
pub fn sign_in_keys(username: &str, addr: Option<IpAddr>) -> Vec<String> {
    let name: String = username.trim().to_lowercase().chars().take(64).collect();
    let mut keys = vec![format!("u:{name}")];
    if let Some(a) = addr {
        keys.push(format!("a:{a}"));
    }
    keys
}

fn free_for(key: &str) -> u32 {
    if key.starts_with("a:") {
        FREE_PER_ADDRESS
    } else {
        FREE_PER_ACCOUNT
    }
}

impl Throttle {
    /// `Err(seconds)` while any key is backing off.
    pub fn check(&self, keys: &[String]) -> Result<(), i64> {
        let now = clock::now();
        let map = self.failures.lock().expect("throttle lock");
        let wait = keys
            .iter()
            .filter_map(|k| map.get(k))
            .filter(|f| f.blocked_until > now)
            .map(|f| ((f.blocked_until - now).num_milliseconds() + 999) / 1000)
            .max();
        match wait {
            Some(s) => Err(s.clamp(1, MAX_WAIT_SECONDS)),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt under every key; returns the wait it starts (0 = none yet).
    pub fn fail(&self, keys: &[String]) -> i64 {
        let now = clock::now();
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() > 50_000 {
            // Forget the quiet ones: an hour without a failure.
            map.retain(|_, f| now - f.last < Duration::hours(1));
        }
        let mut wait = 0;
        for k in keys {
            let f = map.entry(k.clone()).or_insert(Failures {
                count: 0,
                blocked_until: now,
                last: now,
            });
            // An hour of quiet starts the count again.
            if now - f.last > Duration::hours(1) {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
            let free = free_for(k);
            if f.count > free {
                let doublings = (f.count - free).min(20);
                let secs = (1i64 << doublings).min(MAX_WAIT_SECONDS);
                f.blocked_until = now + Duration::seconds(secs);
                wait = wait.max(secs);
            }
        }
        wait
    }

    /// A successful sign-in clears the account name's failures.
    pub fn succeed(&self, keys: &[String]) {
        let mut map = self.failures.lock().expect("throttle lock");
        for k in keys.iter().filter(|k| k.starts_with("u:")) {
            map.remove(k);
        }
    }

    /// Counts a public look-up from `addr`; `false` once it has made [`VERIFY_PER_MINUTE`] in the
    /// current minute.
    pub fn allow_lookup(&self, addr: Option<IpAddr>) -> bool {
        let Some(addr) = addr else { return true };
        let now = clock::now();
        let mut map = self.lookups.lock().expect("throttle lock");
        if map.len() > 50_000 {
            map.retain(|_, w| now - w.start < Duration::minutes(1));
        }
        let w = map.entry(addr).or_insert(Window { start: now, count: 0 });
        if now - w.start >= Duration::minutes(1) {
            *w = Window { start: now, count: 0 };
        }
        w.count += 1;
        w.count <= VERIFY_PER_MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_after_the_free_ones_and_success_clears_the_account() {
        let t = Throttle::default();
        let keys = sign_in_keys("Admin ", None);
        for _ in 0..FREE_PER_ACCOUNT {
            assert_eq!(t.check(&keys), Ok(()));
            assert_eq!(t.fail(&keys), 0);
        }
        assert_eq!(t.fail(&keys), 2);
        assert!(matches!(t.check(&keys), Err(s) if (1..=2).contains(&s)));
        // The same name in other case is the same account.
        assert!(t.check(&sign_in_keys("admin", None)).is_err());
        for _ in 0..30 {
            t.fail(&keys);
        }
        assert!(matches!(t.check(&keys), Err(s) if s == MAX_WAIT_SECONDS));
        t.succeed(&keys);
        assert_eq!(t.check(&keys), Ok(()));
    }

    #[test]
    fn lookups_are_limited_per_address_and_minute() {
        let t = Throttle::default();
        let a: IpAddr = "192.0.2.7".parse().unwrap();
        let b: IpAddr = "192.0.2.8".parse().unwrap();
        for _ in 0..VERIFY_PER_MINUTE {
            assert!(t.allow_lookup(Some(a)));
        }
        assert!(!t.allow_lookup(Some(a)));
        assert!(t.allow_lookup(Some(b)));
    }
}

//! `make bench`: times the pure coverage computation at national scale — 100 000 officials,
//! 1 000 000 completions, 10 % transferred once, a merged agency — against a baseline measured
//! in the same run (one pass over every completion into a hash map: the least any coverage
//! computation must do), and prints the ratios. Not a test: numbers depend on the machine.
//!
//! Run: `make bench` (release; `--features ssr` so it shares the server build's dependencies).

use app::domain::coverage::{Agency, CourseRule, Credit, Facts, Index, Membership, Metric, ProgramRule};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let people = 100_000i64;
    let completions = 1_000_000usize;
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    // A deterministic LCG: no rand dependency in the example.
    let mut s: u64 = 0x5eed;
    let mut next = move |n: u64| {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (s >> 33) % n
    };
    // 1 root, 63 provinces, 8 teams each (505 agencies), one team merged.
    let mut agencies = vec![Agency {
        id: 1,
        parent_id: None,
        valid_from: None,
        valid_to: None,
    }];
    for p in 0..63 {
        let pid = 2 + p;
        agencies.push(Agency {
            id: pid,
            parent_id: Some(1),
            valid_from: None,
            valid_to: None,
        });
        for t in 0..8 {
            agencies.push(Agency {
                id: 100 + p * 8 + t,
                parent_id: Some(pid),
                valid_from: None,
                valid_to: (p == 0 && t == 7).then(|| start + Duration::days(180)),
            });
        }
    }
    let teams: Vec<i64> = agencies.iter().filter(|a| a.id >= 100).map(|a| a.id).collect();
    let mut memberships = Vec::with_capacity(110_000);
    for pid in 0..people {
        let a = teams[next(teams.len() as u64) as usize];
        let enf = next(10) < 8;
        if next(10) == 0 {
            let cut = start + Duration::days(next(600) as i64);
            let b = teams[next(teams.len() as u64) as usize];
            memberships.push(mem(pid, a, enf, Some(start), Some(cut)));
            memberships.push(mem(pid, b, enf, Some(cut), None));
        } else {
            memberships.push(mem(pid, a, enf, Some(start), None));
        }
    }
    let courses = ["a", "b", "c", "d"];
    let raw: Vec<(i64, usize, NaiveDate)> = (0..completions)
        .map(|_| {
            (
                next(people as u64) as i64,
                next(4) as usize,
                start + Duration::days(next(700) as i64),
            )
        })
        .collect();
    let program = ProgramRule {
        root_agency_id: 1,
        positions: vec![],
        enforcement_only: true,
        courses: courses.iter().map(|c| c.to_string()).collect(),
        rule: CourseRule::All,
        threshold_percent: 100,
        deadline: start + Duration::days(730),
        metric: Metric::EverCompleted,
    };
    let as_of = start + Duration::days(650);

    // Baseline: one pass over every completion (what any computation must at least read).
    let t = Instant::now();
    let mut seen: HashMap<(i64, usize), NaiveDate> = HashMap::with_capacity(400_000);
    for &(p, c, d) in &raw {
        let e = seen.entry((p, c)).or_insert(d);
        if d < *e {
            *e = d;
        }
    }
    let baseline = t.elapsed();
    // What `course_credits` holds (kept current by on_completion): first completion per pair.
    let credits: Vec<Credit> = seen
        .iter()
        .map(|(&(p, c), &d)| Credit {
            person_id: p,
            course_id: courses[c].to_string(),
            completed_on: d,
        })
        .collect();
    let facts = Facts {
        agencies,
        memberships,
        credits,
        ..Default::default()
    };

    let t = Instant::now();
    let ix = Index::new(&program, &facts);
    let index = t.elapsed();
    let t = Instant::now();
    let statuses = ix.evaluate(as_of);
    let roll = ix.rollup(&statuses);
    let once = t.elapsed();
    let t = Instant::now();
    let series = ix.burnup(1, as_of, 20);
    let burnup = t.elapsed();

    let c = roll[&1];
    println!(
        "coverage bench: {people} officials, {completions} completions, {} credit rows, {} agencies",
        facts.credits.len(),
        facts.agencies.len()
    );
    println!(
        "  result as of {as_of}: population {}, exempt {}, covered {} ({:.1} %)",
        c.population,
        c.exempt,
        c.covered,
        c.percent()
    );
    println!(
        "  baseline  (one pass over completions)     {:>8.1} ms  1.00×",
        ms(baseline)
    );
    println!(
        "  index     (from credits + memberships)    {:>8.1} ms  {:.2}×",
        ms(index),
        ms(index) / ms(baseline)
    );
    println!(
        "  evaluate + roll up (one date)             {:>8.1} ms  {:.2}×",
        ms(once),
        ms(once) / ms(baseline)
    );
    println!(
        "  burn-up   (21 weekly dates)               {:>8.1} ms  {:.2}×  ({} points)",
        ms(burnup),
        ms(burnup) / ms(baseline),
        series.len()
    );
    println!(
        "  dashboard total (index + one date + burn-up) {:>5.1} ms",
        ms(index + once + burnup)
    );
}

fn mem(
    person_id: i64,
    agency_id: i64,
    enforcement: bool,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Membership {
    Membership {
        person_id,
        agency_id,
        position: "KSV".into(),
        enforcement,
        valid_from: from,
        valid_to: to,
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

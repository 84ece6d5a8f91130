//! Coverage: is every official a program targets trained, per agency rolled up the tree, and
//! as of any date. Pure: the caller loads plain facts (agencies, membership periods, first
//! completions, certificates, exemptions) and gets statuses and counts back.
//!
//! Definitions (the denominator a manager must be able to defend):
//! - **Population as of D**: every official with a membership period containing D
//!   (`valid_from <= D < valid_to`, open ends allowed) in an agency of the program's root
//!   subtree (by the *current* parent links; a merged agency keeps its row and its history),
//!   whose position is in the program's list (empty = any) and, for `enforcement_only`
//!   programs, who had an enforcement duty in that period. An official is counted at the
//!   agency they belonged to on D, so past dates are reproduced after transfers and mergers.
//! - **Exempt**: an exemption for the program recorded on or before D. Exempt officials are
//!   counted and listed separately and leave the base: `base = population − exempt`.
//!   An exemption wins over a completion (the official is shown as exempt).
//! - **Holding a course on D**: metric `ever_completed` — a completion on or before D;
//!   metric `valid_at_deadline` — a certificate issued on or before D, not revoked on or before
//!   D, and not expiring before the program's deadline; metric `current_version` — the same,
//!   and earned on the course's current substantive version: a certificate stops counting on
//!   the day a substantive publish (a law change) replaced the version it was earned on, until
//!   the official passes the delta recertification or the course again.
//! - **Covered**: holding all (rule `all`) or any (rule `any`) of the required courses.
//! - **RAG**: green when `covered/base ≥ threshold`; amber when within 15 percentage points
//!   of the threshold, or on pace (the trailing four-week rate reaches the target by the
//!   deadline); red otherwise. A base of 0 counts as 100 %.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Outreach (the plan's other two 100 % targets) for an agency subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutreachLine {
    pub agency_name: String,
    /// `sellers` or `consumers`
    pub kind: String,
    pub events: u64,
    pub reached: i64,
    pub population: Option<i64>,
    /// Where the known population comes from.
    pub source: Option<String>,
}

/// How the required courses combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseRule {
    All,
    Any,
}

impl CourseRule {
    /// `all` or `any`.
    pub fn parse(s: &str) -> Option<CourseRule> {
        match s.trim() {
            "all" => Some(CourseRule::All),
            "any" => Some(CourseRule::Any),
            _ => None,
        }
    }
}

/// What counts as holding a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    ValidAtDeadline,
    EverCompleted,
    CurrentVersion,
}

impl Metric {
    /// `valid_at_deadline`, `ever_completed` or `current_version`.
    pub fn parse(s: &str) -> Option<Metric> {
        match s.trim() {
            "valid_at_deadline" => Some(Metric::ValidAtDeadline),
            "ever_completed" => Some(Metric::EverCompleted),
            "current_version" => Some(Metric::CurrentVersion),
            _ => None,
        }
    }
}

/// A program's target, as the rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramRule {
    pub root_agency_id: i64,
    /// Empty = every position.
    pub positions: Vec<String>,
    pub enforcement_only: bool,
    pub courses: Vec<String>,
    pub rule: CourseRule,
    pub threshold_percent: u32,
    pub deadline: NaiveDate,
    pub metric: Metric,
}

/// An agency of the tree (current parent link; kept after it is closed or merged).
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// One period of an official in an agency: `[valid_from, valid_to)`, `None` = open.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub person_id: i64,
    pub agency_id: i64,
    pub position: String,
    pub enforcement: bool,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl Membership {
    /// Whether the period contains `d`.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= d) && self.valid_to.is_none_or(|t| d < t)
    }
}

/// The first completion of a course by an official.
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    pub person_id: i64,
    pub course_id: String,
    pub completed_on: NaiveDate,
}

/// A certificate, with the dates that matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    pub person_id: i64,
    pub course_id: String,
    pub issued_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    /// The day a substantive publish of the course replaced the version this certificate was
    /// earned on (None: earned on the current one). Read only by metric `current_version`.
    pub superseded_on: Option<NaiveDate>,
}

/// An exemption from the program, in force from `since` until the day before `until` (the
/// day it was withdrawn), if it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Exemption {
    pub person_id: i64,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// Everything coverage reads.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub agencies: Vec<Agency>,
    pub memberships: Vec<Membership>,
    pub credits: Vec<Credit>,
    pub certificates: Vec<Certificate>,
    pub exemptions: Vec<Exemption>,
}

/// An official's standing on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Covered,
    Exempt,
    /// Not covered: the indexes (into the program's courses) of the courses not held.
    Missing(Vec<usize>),
}

/// One member of the population on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonStatus {
    pub person_id: i64,
    pub agency_id: i64,
    pub status: Status,
}

/// Counts for an agency (or a whole scope).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub population: u64,
    pub exempt: u64,
    pub covered: u64,
}

impl Counts {
    /// The denominator: population minus exemptions.
    pub fn base(&self) -> u64 {
        self.population - self.exempt
    }
    /// Officials in the base not covered.
    pub fn missing(&self) -> u64 {
        self.base() - self.covered
    }
    /// Coverage in percent (100 for an empty base).
    pub fn percent(&self) -> f64 {
        if self.base() == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.base() as f64
        }
    }
    /// How many must be covered to meet `threshold` percent.
    pub fn target(&self, threshold: u32) -> u64 {
        (self.base() * threshold as u64).div_ceil(100)
    }
    fn add(&mut self, s: &Status) {
        self.population += 1;
        match s {
            Status::Covered => self.covered += 1,
            Status::Exempt => self.exempt += 1,
            Status::Missing(_) => {}
        }
    }
}

/// Red, amber or green against the threshold (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    /// The CSS class / stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }
}

/// The amber band below the threshold, in percentage points.
pub const AMBER_BAND: f64 = 15.0;

/// RAG for counts against a threshold; `on_pace` lifts red to amber.
pub fn rag(c: &Counts, threshold: u32, on_pace: bool) -> Rag {
    let p = c.percent();
    if c.covered >= c.target(threshold) {
        Rag::Green
    } else if p + AMBER_BAND >= threshold as f64 || on_pace {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// A period in which a course is held: from (inclusive), until (exclusive; None = open).
type Period = (NaiveDate, Option<NaiveDate>);

/// A program's facts, indexed once for evaluation on many dates.
pub struct Index<'a> {
    pub program: &'a ProgramRule,
    parent: HashMap<i64, Option<i64>>,
    in_root: HashMap<i64, bool>,
    members: HashMap<i64, Vec<&'a Membership>>,
    /// person → per required course, the periods in which the course is held.
    held: HashMap<i64, Vec<Vec<Period>>>,
    exempt: HashMap<i64, Vec<Period>>,
}

impl<'a> Index<'a> {
    /// Indexes `facts` for `program`.
    pub fn new(program: &'a ProgramRule, facts: &'a Facts) -> Index<'a> {
        let parent: HashMap<i64, Option<i64>> = facts.agencies.iter().map(|a| (a.id, a.parent_id)).collect();
        let mut in_root = HashMap::new();
        for a in &facts.agencies {
            let inside = ancestors_of(&parent, a.id).any(|x| x == program.root_agency_id);
            in_root.insert(a.id, inside);
        }
        let mut members: HashMap<i64, Vec<&Membership>> = HashMap::new();
        for m in &facts.memberships {
            members.entry(m.person_id).or_default().push(m);
        }
        let course_ix: HashMap<&str, usize> = program
            .courses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let n = program.courses.len();
        let mut held: HashMap<i64, Vec<Vec<Period>>> = HashMap::new();
        match program.metric {
            Metric::EverCompleted => {
                for c in &facts.credits {
                    if let Some(&i) = course_ix.get(c.course_id.as_str()) {
                        held.entry(c.person_id).or_insert_with(|| vec![vec![]; n])[i].push((c.completed_on, None));
                    }
                }
            }
            Metric::ValidAtDeadline | Metric::CurrentVersion => {
                let current = program.metric == Metric::CurrentVersion;
                for c in &facts.certificates {
                    let Some(&i) = course_ix.get(c.course_id.as_str()) else {
                        continue;
                    };
                    if c.valid_until.is_some_and(|v| v < program.deadline) {
                        continue;
                    }
                    let ends = [c.revoked_on, c.superseded_on.filter(|_| current)];
                    let until = ends.into_iter().flatten().min();
                    held.entry(c.person_id).or_insert_with(|| vec![vec![]; n])[i].push((c.issued_on, until));
                }
            }
        }
        let mut exempt: HashMap<i64, Vec<Period>> = HashMap::new();
        for e in &facts.exemptions {
            exempt.entry(e.person_id).or_default().push((e.since, e.until));
        }
        Index {
            program,
            parent,
            in_root,
            members,
            held,
            exempt,
        }
    }

    /// The ancestors of an agency, itself first, by current parent links.
    pub fn ancestors(&self, agency_id: i64) -> impl Iterator<Item = i64> + '_ {
        ancestors_of(&self.parent, agency_id)
    }

    /// Whether an official in `agency_id` with this position and duty belongs to the population.
    pub fn in_population(&self, agency_id: i64, position: &str, enforcement: bool) -> bool {
        let p = self.program;
        self.in_root.get(&agency_id).copied().unwrap_or(false)
            && (!p.enforcement_only || enforcement)
            && (p.positions.is_empty() || p.positions.iter().any(|x| x == position))
    }

    /// The membership that puts `person_id` in the population on `d`, if any.
    pub fn population_membership(&self, person_id: i64, d: NaiveDate) -> Option<&'a Membership> {
        self.members
            .get(&person_id)?
            .iter()
            .copied()
            .find(|m| m.contains(d))
            .filter(|m| self.in_population(m.agency_id, &m.position, m.enforcement))
    }

    /// Whether the official holds required course `i` on `d`.
    pub fn holds(&self, person_id: i64, i: usize, d: NaiveDate) -> bool {
        self.held.get(&person_id).is_some_and(|h| {
            h.get(i).is_some_and(|periods| {
                periods
                    .iter()
                    .any(|(from, until)| *from <= d && until.is_none_or(|u| d < u))
            })
        })
    }

    /// Whether an exemption is in force for the official on `d`.
    pub fn is_exempt(&self, person_id: i64, d: NaiveDate) -> bool {
        self.exempt.get(&person_id).is_some_and(|periods| {
            periods
                .iter()
                .any(|(from, until)| *from <= d && until.is_none_or(|u| d < u))
        })
    }

    /// The status of an official on `d` (whether or not they are in the population).
    pub fn status(&self, person_id: i64, d: NaiveDate) -> Status {
        if self.is_exempt(person_id, d) {
            return Status::Exempt;
        }
        let n = self.program.courses.len();
        let missing: Vec<usize> = (0..n).filter(|&i| !self.holds(person_id, i, d)).collect();
        let covered = match self.program.rule {
            CourseRule::All => missing.is_empty(),
            CourseRule::Any => n == 0 || missing.len() < n,
        };
        if covered {
            Status::Covered
        } else {
            Status::Missing(missing)
        }
    }

    /// The population on `d` with each official's status, ordered by person id.
    pub fn evaluate(&self, d: NaiveDate) -> Vec<PersonStatus> {
        let mut ids: Vec<i64> = self.members.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter()
            .filter_map(|pid| {
                let m = self.population_membership(pid, d)?;
                Some(PersonStatus {
                    person_id: pid,
                    agency_id: m.agency_id,
                    status: self.status(pid, d),
                })
            })
            .collect()
    }

    /// Counts per agency including every sub-agency (an agency with nobody is absent).
    pub fn rollup(&self, statuses: &[PersonStatus]) -> HashMap<i64, Counts> {
        let mut out: HashMap<i64, Counts> = HashMap::new();
        for s in statuses {
            for a in self.ancestors(s.agency_id) {
                out.entry(a).or_default().add(&s.status);
            }
        }
        out
    }

    /// Counts of the subtree of `agency_id` on `d`.
    pub fn counts_on(&self, agency_id: i64, d: NaiveDate) -> Counts {
        let mut c = Counts::default();
        for s in self.evaluate(d) {
            if self.ancestors(s.agency_id).any(|a| a == agency_id) {
                c.add(&s.status);
            }
        }
        c
    }

    /// Weekly burn-up of the subtree of `agency_id`: `weeks + 1` points ending on `as_of`,
    /// seven days apart. One pass over the officials (no per-date allocation): the same numbers
    /// as [`Index::counts_on`] for each date.
    pub fn burnup(&self, agency_id: i64, as_of: NaiveDate, weeks: u32) -> Vec<WeekPoint> {
        let inside: std::collections::HashSet<i64> = self
            .parent
            .keys()
            .copied()
            .filter(|a| self.ancestors(*a).any(|x| x == agency_id))
            .collect();
        let mut points: Vec<WeekPoint> = (0..=weeks)
            .rev()
            .map(|w| WeekPoint {
                date: as_of - Duration::days(7 * w as i64),
                covered: 0,
                base: 0,
            })
            .collect();
        let n = self.program.courses.len();
        let during = |periods: &[Period], d: NaiveDate| {
            periods
                .iter()
                .any(|(from, until)| *from <= d && until.is_none_or(|u| d < u))
        };
        // The same tests as `population_membership`, `is_exempt` and `holds`, with each
        // official's entries looked up once rather than once per date and course.
        for (pid, members) in &self.members {
            let held = self.held.get(pid);
            let exempt = self.exempt.get(pid).map(Vec::as_slice).unwrap_or_default();
            let holds = |i: usize, d: NaiveDate| held.is_some_and(|h| h.get(i).is_some_and(|p| during(p, d)));
            for p in points.iter_mut() {
                let d = p.date;
                let Some(m) = members
                    .iter()
                    .find(|m| m.contains(d))
                    .filter(|m| self.in_population(m.agency_id, &m.position, m.enforcement))
                else {
                    continue;
                };
                if !inside.contains(&m.agency_id) || during(exempt, d) {
                    continue;
                }
                p.base += 1;
                let covered = match self.program.rule {
                    CourseRule::All => (0..n).all(|i| holds(i, d)),
                    CourseRule::Any => n == 0 || (0..n).any(|i| holds(i, d)),
                };
                if covered {
                    p.covered += 1;
                }
            }
        }
        points
    }
}

impl Index<'_> {
    /// The officials with any membership in the facts.
    pub fn people(&self) -> impl Iterator<Item = i64> + '_ {
        self.members.keys().copied()
    }

    /// The parent links the index rolls up by.
    pub fn parents(&self) -> &HashMap<i64, Option<i64>> {
        &self.parent
    }

    /// Where `person_id` is counted on `d` and how, or None outside the population: the same
    /// tests as [`Index::population_membership`] and [`Index::status`], without allocating.
    pub fn standing(&self, person_id: i64, d: NaiveDate) -> Option<(i64, Kind)> {
        let m = self.population_membership(person_id, d)?;
        if self.is_exempt(person_id, d) {
            return Some((m.agency_id, Kind::Exempt));
        }
        let n = self.program.courses.len();
        let covered = match self.program.rule {
            CourseRule::All => (0..n).all(|i| self.holds(person_id, i, d)),
            CourseRule::Any => n == 0 || (0..n).any(|i| self.holds(person_id, i, d)),
        };
        Some((m.agency_id, if covered { Kind::Covered } else { Kind::Missing }))
    }

    /// `person_id`'s standing on each of `dates` as runs of equal standings; a standing in an
    /// agency for which `inside` is false counts as none (outside the view's scope).
    pub fn runs(&self, person_id: i64, dates: &[NaiveDate], inside: impl Fn(i64) -> bool) -> Vec<Run> {
        let mut out: Vec<Run> = Vec::new();
        for (i, d) in dates.iter().enumerate() {
            let at = self.standing(person_id, *d).filter(|(a, _)| inside(*a));
            if out.last().is_none_or(|r| r.at != at) {
                out.push(Run { from: i as u16, at });
            }
        }
        if out.len() == 1 && out[0].at.is_none() {
            out.clear();
        }
        out
    }
}

/// How an official in the population is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Covered,
    Exempt,
    Missing,
}

/// From the date at index `from` of a [`Tally`] (until the next run), an official is counted
/// in the agency `at.0` as `at.1`, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub from: u16,
    pub at: Option<(i64, Kind)>,
}

/// Counts per agency (its own officials, not its sub-agencies) on each of a view's dates,
/// kept current one official at a time: a write that touches a few officials costs those
/// officials, not the whole population. Equal to [`Index::rollup`] of [`Index::evaluate`] on
/// each date once rolled up (tested below on generated data).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub dates: Vec<NaiveDate>,
    own: Vec<HashMap<i64, Counts>>,
    people: HashMap<i64, Box<[Run]>>,
}

impl Tally {
    pub fn new(dates: Vec<NaiveDate>) -> Tally {
        Tally {
            own: vec![HashMap::new(); dates.len()],
            dates,
            people: HashMap::new(),
        }
    }

    /// Every official of `ix` on this tally's dates, counted only in agencies for which
    /// `inside` holds.
    pub fn of(ix: &Index, dates: Vec<NaiveDate>, inside: impl Fn(i64) -> bool) -> Tally {
        let mut t = Tally::new(dates);
        t.add(ix, inside);
        t
    }

    /// Counts (or counts again) every official of `ix`, only in agencies for which `inside`
    /// holds. An official's runs depend only on their own facts, so a population can be added
    /// an `Index` of some of its officials at a time.
    pub fn add(&mut self, ix: &Index, inside: impl Fn(i64) -> bool) {
        for pid in ix.people() {
            let runs = ix.runs(pid, &self.dates, &inside);
            self.set(pid, runs);
        }
    }

    /// Officials held (counted on at least one date).
    pub fn people(&self) -> usize {
        self.people.len()
    }

    /// Every official held.
    pub fn everyone(&self) -> impl Iterator<Item = i64> + '_ {
        self.people.keys().copied()
    }

    /// Replaces what `person_id` counts for with `runs` (empty: nothing).
    pub fn set(&mut self, person_id: i64, runs: Vec<Run>) {
        if let Some(old) = self.people.remove(&person_id) {
            self.apply(&old, false);
        }
        if !runs.is_empty() {
            self.apply(&runs, true);
            self.people.insert(person_id, runs.into_boxed_slice());
        }
    }

    fn apply(&mut self, runs: &[Run], add: bool) {
        for (k, r) in runs.iter().enumerate() {
            let Some((agency, kind)) = r.at else { continue };
            let until = runs.get(k + 1).map_or(self.dates.len(), |n| n.from as usize);
            for day in &mut self.own[r.from as usize..until] {
                let c = day.entry(agency).or_default();
                let n = if add { 1 } else { u64::MAX };
                c.population = c.population.wrapping_add(n);
                match kind {
                    Kind::Covered => c.covered = c.covered.wrapping_add(n),
                    Kind::Exempt => c.exempt = c.exempt.wrapping_add(n),
                    Kind::Missing => {}
                }
                if c.population == 0 {
                    day.remove(&agency);
                }
            }
        }
    }

    /// Where `person_id` is counted on the date at index `day`.
    pub fn standing(&self, person_id: i64, day: usize) -> Option<(i64, Kind)> {
        let runs = self.people.get(&person_id)?;
        runs.iter().rev().find(|r| r.from as usize <= day).and_then(|r| r.at)
    }

    /// Counts per agency including every sub-agency (by `parent`) on the date at index `day`
    /// (an agency with nobody is absent), as [`Index::rollup`].
    pub fn rollup(&self, day: usize, parent: &HashMap<i64, Option<i64>>) -> HashMap<i64, Counts> {
        let mut out: HashMap<i64, Counts> = HashMap::new();
        for (agency, c) in &self.own[day] {
            for a in ancestors_of(parent, *agency) {
                let t = out.entry(a).or_default();
                t.population += c.population;
                t.exempt += c.exempt;
                t.covered += c.covered;
            }
        }
        out
    }
}

fn ancestors_of(parent: &HashMap<i64, Option<i64>>, id: i64) -> impl Iterator<Item = i64> + '_ {
    let mut next = Some(id);
    let mut guard = 0;
    std::iter::from_fn(move || {
        let cur = next?;
        guard += 1;
        // A cycle in bad data must not hang the dashboard.
        next = if guard > 64 {
            None
        } else {
            parent.get(&cur).copied().flatten()
        };
        Some(cur)
    })
}

/// Whether an agency existed on `d`.
/// The day a coverage view is computed for ("as of"): a date a person typed or the date picker
/// sent (`dd/mm/yyyy`, `d/m/yyyy` or `yyyy-mm-dd`); empty means today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf(pub NaiveDate);

/// An "as of" that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\": ngày không hợp lệ — ghi dạng ngày/tháng/năm, ví dụ 31/12/2026")]
pub struct AsOfError(pub String);

impl AsOf {
    /// Reads `s`; empty = `today`.
    pub fn parse(s: &str, today: NaiveDate) -> Result<AsOf, AsOfError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(AsOf(today));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .map(AsOf)
            .map_err(|_| AsOfError(s.chars().take(40).collect()))
    }
}

pub fn agency_valid_on(a: &Agency, d: NaiveDate) -> bool {
    a.valid_from.is_none_or(|f| f <= d) && a.valid_to.is_none_or(|t| d < t)
}

/// One point of the burn-up: on `date`, `covered` of `base` officials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekPoint {
    pub date: NaiveDate,
    pub covered: u64,
    pub base: u64,
}

/// Will the target be met? From the last point of a weekly series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Officials newly covered per week over the trailing window (net).
    pub trailing_per_week: f64,
    /// The number that must be covered to meet the threshold.
    pub target: u64,
    /// How many more are needed.
    pub remaining: u64,
    /// When the target is reached at the trailing rate (`as_of` if already met; None if the
    /// rate is zero or negative).
    pub projected: Option<NaiveDate>,
    /// Officials per week needed from now to make the deadline (None if the deadline passed
    /// with officials still missing).
    pub needed_per_week: Option<f64>,
    /// Projected on or before the deadline.
    pub on_pace: bool,
}

impl Forecast {
    /// How many days after `deadline` the target is projected to be met, if it is late (still
    /// missing officials and projected past the deadline).
    pub fn late_by(&self, deadline: NaiveDate) -> Option<i64> {
        self.projected
            .filter(|d| self.remaining > 0 && *d > deadline)
            .map(|d| (d - deadline).num_days())
    }
}

/// Weeks of the trailing window.
pub const TRAILING_WEEKS: usize = 4;

/// Forecast from a weekly series ending on its last point's date.
pub fn forecast(series: &[WeekPoint], threshold: u32, deadline: NaiveDate) -> Option<Forecast> {
    let last = *series.last()?;
    let first = series[series.len().saturating_sub(TRAILING_WEEKS + 1)];
    let weeks = ((last.date - first.date).num_days() as f64 / 7.0).max(1.0);
    let rate = (last.covered as f64 - first.covered as f64) / weeks;
    let target = (last.base * threshold as u64).div_ceil(100);
    let remaining = target.saturating_sub(last.covered);
    let projected = if remaining == 0 {
        Some(last.date)
    } else if rate > 0.0 {
        Some(last.date + Duration::days((remaining as f64 / rate * 7.0).ceil() as i64))
    } else {
        None
    };
    let days_left = (deadline - last.date).num_days();
    let needed_per_week = if remaining == 0 {
        Some(0.0)
    } else if days_left > 0 {
        Some(remaining as f64 / (days_left as f64 / 7.0))
    } else {
        None
    };
    Some(Forecast {
        trailing_per_week: rate,
        target,
        remaining,
        projected,
        needed_per_week,
        on_pace: projected.is_some_and(|p| p <= deadline),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn program(metric: Metric, rule: CourseRule) -> ProgramRule {
        ProgramRule {
            root_agency_id: 1,
            positions: vec![],
            enforcement_only: true,
            courses: vec!["a".into(), "b".into()],
            rule,
            threshold_percent: 100,
            deadline: d(2026, 12, 31),
            metric,
        }
    }

    /// 1 ── 2 ── 4 (merged into 3 on 1/7/2025)
    ///   └─ 3
    /// 5 is outside the root.
    fn tree() -> Vec<Agency> {
        vec![
            Agency {
                id: 1,
                parent_id: None,
                valid_from: None,
                valid_to: None,
            },
            Agency {
                id: 2,
                parent_id: Some(1),
                valid_from: None,
                valid_to: None,
            },
            Agency {
                id: 3,
                parent_id: Some(1),
                valid_from: None,
                valid_to: None,
            },
            Agency {
                id: 4,
                parent_id: Some(2),
                valid_from: None,
                valid_to: Some(d(2025, 7, 1)),
            },
            Agency {
                id: 5,
                parent_id: None,
                valid_from: None,
                valid_to: None,
            },
        ]
    }

    fn member(
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

    fn credit(person_id: i64, course: &str, on: NaiveDate) -> Credit {
        Credit {
            person_id,
            course_id: course.into(),
            completed_on: on,
        }
    }

    #[test]
    fn the_population_follows_membership_periods_enforcement_and_the_root() {
        let p = program(Metric::EverCompleted, CourseRule::All);
        let facts = Facts {
            agencies: tree(),
            memberships: vec![
                member(10, 4, true, None, Some(d(2025, 7, 1))),
                member(10, 3, true, Some(d(2025, 7, 1)), None),
                member(11, 2, false, None, None),
                member(12, 5, true, None, None),
                member(13, 2, true, Some(d(2026, 1, 1)), None),
            ],
            ..Default::default()
        };
        let ix = Index::new(&p, &facts);
        let before: Vec<(i64, i64)> = ix
            .evaluate(d(2025, 6, 30))
            .iter()
            .map(|s| (s.person_id, s.agency_id))
            .collect();
        assert_eq!(before, vec![(10, 4)], "in the merged team before the merger");
        let after: Vec<(i64, i64)> = ix
            .evaluate(d(2026, 2, 1))
            .iter()
            .map(|s| (s.person_id, s.agency_id))
            .collect();
        assert_eq!(after, vec![(10, 3), (13, 2)]);
        let roll = ix.rollup(&ix.evaluate(d(2025, 6, 30)));
        assert_eq!(roll[&1].population, 1);
        assert_eq!(roll[&2].population, 1, "the merged team rolls up to its parent");
        assert!(!roll.contains_key(&3));
    }

    #[test]
    fn all_and_any_rules_and_completion_dates() {
        let facts = Facts {
            agencies: tree(),
            memberships: vec![member(10, 2, true, None, None)],
            credits: vec![credit(10, "a", d(2026, 3, 1)), credit(10, "b", d(2026, 5, 1))],
            ..Default::default()
        };
        let all = program(Metric::EverCompleted, CourseRule::All);
        let ix = Index::new(&all, &facts);
        assert_eq!(ix.status(10, d(2026, 2, 1)), Status::Missing(vec![0, 1]));
        assert_eq!(ix.status(10, d(2026, 4, 1)), Status::Missing(vec![1]));
        assert_eq!(ix.status(10, d(2026, 5, 1)), Status::Covered);
        let any = program(Metric::EverCompleted, CourseRule::Any);
        let ix = Index::new(&any, &facts);
        assert_eq!(ix.status(10, d(2026, 3, 1)), Status::Covered);
    }

    #[test]
    fn valid_at_deadline_ignores_expiring_and_revoked_certificates() {
        let cert = |course: &str, issued, until, revoked| Certificate {
            person_id: 10,
            course_id: String::from(course),
            issued_on: issued,
            valid_until: until,
            revoked_on: revoked,
            superseded_on: None,
        };
        let facts = Facts {
            agencies: tree(),
            memberships: vec![member(10, 2, true, None, None)],
            certificates: vec![
                cert("a", d(2026, 1, 1), Some(d(2026, 6, 30)), None),
                cert("a", d(2026, 2, 1), None, Some(d(2026, 3, 1))),
                cert("b", d(2026, 1, 1), Some(d(2027, 12, 31)), None),
            ],
            ..Default::default()
        };
        let p = program(Metric::ValidAtDeadline, CourseRule::All);
        let ix = Index::new(&p, &facts);
        assert_eq!(
            ix.status(10, d(2026, 2, 15)),
            Status::Covered,
            "the second certificate of a, not yet revoked"
        );
        assert_eq!(
            ix.status(10, d(2026, 3, 15)),
            Status::Missing(vec![0]),
            "the first of a expires before the deadline"
        );
        let p = ProgramRule {
            courses: vec!["a".into()],
            ..program(Metric::ValidAtDeadline, CourseRule::All)
        };
        let revoked = Facts {
            certificates: vec![cert("a", d(2026, 2, 1), None, Some(d(2026, 3, 1)))],
            ..facts.clone()
        };
        let ix = Index::new(&p, &revoked);
        assert_eq!(ix.status(10, d(2026, 2, 15)), Status::Covered, "before the revocation");
        assert_eq!(ix.status(10, d(2026, 3, 1)), Status::Missing(vec![0]), "revoked");
    }

    #[test]
    fn current_version_drops_a_certificate_from_the_day_a_law_change_replaced_its_version() {
        let cert = |issued, superseded| Certificate {
            person_id: 10,
            course_id: String::from("a"),
            issued_on: issued,
            valid_until: None,
            revoked_on: None,
            superseded_on: superseded,
        };
        let p = ProgramRule {
            courses: vec!["a".into()],
            ..program(Metric::CurrentVersion, CourseRule::All)
        };
        let old = Facts {
            agencies: tree(),
            memberships: vec![member(10, 2, true, None, None)],
            certificates: vec![cert(d(2026, 1, 10), Some(d(2026, 7, 1)))],
            ..Default::default()
        };
        let ix = Index::new(&p, &old);
        assert_eq!(ix.status(10, d(2026, 6, 30)), Status::Covered, "before the law change");
        assert_eq!(
            ix.status(10, d(2026, 7, 1)),
            Status::Missing(vec![0]),
            "from the publish on"
        );
        let valid = ProgramRule {
            metric: Metric::ValidAtDeadline,
            ..p.clone()
        };
        assert_eq!(
            Index::new(&valid, &old).status(10, d(2026, 7, 1)),
            Status::Covered,
            "the other metric still counts the certificate"
        );
        let renewed = Facts {
            certificates: vec![cert(d(2026, 1, 10), Some(d(2026, 7, 1))), cert(d(2026, 8, 3), None)],
            ..old.clone()
        };
        let ix = Index::new(&p, &renewed);
        assert_eq!(
            ix.status(10, d(2026, 7, 20)),
            Status::Missing(vec![0]),
            "not yet recertified"
        );
        assert_eq!(
            ix.status(10, d(2026, 8, 3)),
            Status::Covered,
            "recertified on the new version"
        );
    }

    #[test]
    fn exemptions_leave_the_base_from_their_date() {
        let facts = Facts {
            agencies: tree(),
            memberships: vec![member(10, 2, true, None, None), member(11, 2, true, None, None)],
            credits: vec![credit(11, "a", d(2026, 1, 1)), credit(11, "b", d(2026, 1, 1))],
            exemptions: vec![Exemption {
                person_id: 10,
                since: d(2026, 4, 1),
                until: Some(d(2026, 6, 1)),
            }],
            ..Default::default()
        };
        let p = program(Metric::EverCompleted, CourseRule::All);
        let ix = Index::new(&p, &facts);
        let c = ix.counts_on(1, d(2026, 3, 1));
        assert_eq!((c.population, c.exempt, c.covered, c.base()), (2, 0, 1, 2));
        let c = ix.counts_on(1, d(2026, 4, 1));
        assert_eq!((c.population, c.exempt, c.covered, c.base()), (2, 1, 1, 1));
        assert_eq!(c.percent(), 100.0);
        let c = ix.counts_on(1, d(2026, 6, 1));
        assert_eq!(
            (c.population, c.exempt, c.covered, c.base()),
            (2, 0, 1, 2),
            "withdrawn: back in the base from that day"
        );
    }

    #[test]
    fn rag_bands() {
        let c = |covered, population| Counts {
            population,
            exempt: 0,
            covered,
        };
        assert_eq!(rag(&c(10, 10), 100, false), Rag::Green);
        assert_eq!(rag(&c(9, 10), 90, false), Rag::Green);
        assert_eq!(rag(&c(85, 100), 100, false), Rag::Amber);
        assert_eq!(rag(&c(84, 100), 100, false), Rag::Red);
        assert_eq!(rag(&c(10, 100), 100, true), Rag::Amber, "on pace lifts red to amber");
        assert_eq!(rag(&c(0, 0), 100, false), Rag::Green, "nobody to train");
    }

    #[test]
    fn forecast_projects_the_trailing_rate_and_the_pace_needed() {
        let start = d(2026, 1, 5);
        let series: Vec<WeekPoint> = (0..=8)
            .map(|w| WeekPoint {
                date: start + Duration::days(7 * w),
                covered: 10 * w as u64,
                base: 200,
            })
            .collect();
        let f = forecast(&series, 100, d(2026, 12, 31)).unwrap();
        assert_eq!(f.trailing_per_week, 10.0);
        assert_eq!(f.target, 200);
        assert_eq!(f.remaining, 120);
        assert_eq!(f.projected, Some(series[8].date + Duration::days(84)));
        assert!(f.on_pace);
        let days_left = (d(2026, 12, 31) - series[8].date).num_days() as f64;
        assert!((f.needed_per_week.unwrap() - 120.0 / (days_left / 7.0)).abs() < 1e-9);
        let flat: Vec<WeekPoint> = series.iter().map(|p| WeekPoint { covered: 5, ..*p }).collect();
        let f = forecast(&flat, 100, d(2026, 3, 1)).unwrap();
        assert_eq!(f.projected, None);
        assert!(!f.on_pace);
        assert_eq!(f.needed_per_week, None, "deadline passed");
    }

    /// Generated data: the indexed evaluation equals a naive recomputation straight from the
    /// definitions, on random dates.
    #[test]
    fn evaluation_equals_a_naive_recomputation_on_generated_data() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 64,
            ..Config::default()
        });
        let day = 0i64..400;
        let strat = (
            prop::collection::vec(
                (
                    0i64..30,
                    1i64..6,
                    any::<bool>(),
                    day.clone(),
                    prop::option::of(day.clone()),
                ),
                1..60,
            ),
            prop::collection::vec((0i64..30, 0usize..3, day.clone()), 0..80),
            prop::collection::vec((0i64..30, day.clone(), prop::option::of(1i64..200)), 0..4),
            day.clone(),
            any::<bool>(),
        );
        runner
            .run(&strat, |(ms, cs, ex, when, any_rule)| {
                let base = d(2025, 1, 1);
                let at = |n: i64| base + Duration::days(n);
                let courses = ["a", "b", "c"];
                let facts = Facts {
                    agencies: tree(),
                    memberships: ms
                        .iter()
                        .map(|&(p, a, e, f, len)| member(p, a, e, Some(at(f)), len.map(|l| at(f + l + 1))))
                        .collect(),
                    credits: cs.iter().map(|&(p, c, on)| credit(p, courses[c], at(on))).collect(),
                    exemptions: ex
                        .iter()
                        .map(|&(p, s, len)| Exemption {
                            person_id: p,
                            since: at(s),
                            until: len.map(|l| at(s + l)),
                        })
                        .collect(),
                    ..Default::default()
                };
                let p = ProgramRule {
                    courses: courses.iter().map(|s| s.to_string()).collect(),
                    rule: if any_rule { CourseRule::Any } else { CourseRule::All },
                    ..program(Metric::EverCompleted, CourseRule::All)
                };
                let d = at(when);
                let ix = Index::new(&p, &facts);
                let got = ix.rollup(&ix.evaluate(d)).get(&1).copied().unwrap_or_default();
                // Naive: for each person, the first period containing d in agencies 1..=4.
                let mut want = Counts::default();
                let mut people: Vec<i64> = facts.memberships.iter().map(|m| m.person_id).collect();
                people.sort();
                people.dedup();
                for pid in people {
                    let Some(m) = facts.memberships.iter().find(|m| m.person_id == pid && m.contains(d)) else {
                        continue;
                    };
                    if m.agency_id == 5 || !m.enforcement {
                        continue;
                    }
                    want.population += 1;
                    if facts
                        .exemptions
                        .iter()
                        .any(|e| e.person_id == pid && e.since <= d && e.until.is_none_or(|u| d < u))
                    {
                        want.exempt += 1;
                        continue;
                    }
                    let has = |c: &str| {
                        facts
                            .credits
                            .iter()
                            .any(|x| x.person_id == pid && x.course_id == c && x.completed_on <= d)
                    };
                    let ok = if any_rule {
                        courses.iter().any(|c| has(c))
                    } else {
                        courses.iter().all(|c| has(c))
                    };
                    if ok {
                        want.covered += 1;
                    }
                }
                prop_assert_eq!(got, want);
                let series = ix.burnup(1, d, 3);
                for p in &series {
                    let c = ix.counts_on(1, p.date);
                    prop_assert_eq!((p.covered, p.base), (c.covered, c.base()));
                }
                Ok(())
            })
            .unwrap();
    }

    /// Generated data: a tally rolled up equals the evaluation on each of its dates, and a
    /// tally brought up to date one changed official at a time equals one computed afresh.
    #[test]
    fn a_tally_kept_one_official_at_a_time_equals_a_fresh_evaluation() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 64,
            ..Config::default()
        });
        let day = 0i64..300;
        let facts = || {
            (
                prop::collection::vec(
                    (0i64..20, 1i64..6, any::<bool>(), 0i64..300, prop::option::of(0i64..300)),
                    0..40,
                ),
                prop::collection::vec((0i64..20, 0usize..2, 0i64..300), 0..50),
                prop::collection::vec((0i64..20, 0i64..300, prop::option::of(1i64..200)), 0..4),
            )
        };
        let strat = (
            facts(),
            facts(),
            prop::collection::vec(0i64..20, 0..8),
            day,
            any::<bool>(),
        );
        runner
            .run(&strat, |(a, b, changed, when, any_rule)| {
                let base = d(2025, 1, 1);
                let at = |n: i64| base + Duration::days(n);
                type Rows = (
                    Vec<(i64, i64, bool, i64, Option<i64>)>,
                    Vec<(i64, usize, i64)>,
                    Vec<(i64, i64, Option<i64>)>,
                );
                let build = |(ms, cs, ex): &Rows, keep: &dyn Fn(i64) -> bool| Facts {
                    agencies: tree(),
                    memberships: ms
                        .iter()
                        .filter(|m| keep(m.0))
                        .map(|&(p, a, e, f, len)| member(p, a, e, Some(at(f)), len.map(|l| at(f + l + 1))))
                        .collect(),
                    credits: cs
                        .iter()
                        .filter(|c| keep(c.0))
                        .map(|&(p, c, on)| credit(p, ["a", "b"][c], at(on)))
                        .collect(),
                    exemptions: ex
                        .iter()
                        .filter(|e| keep(e.0))
                        .map(|&(p, s, len)| Exemption {
                            person_id: p,
                            since: at(s),
                            until: len.map(|l| at(s + l)),
                        })
                        .collect(),
                    ..Default::default()
                };
                let p = program(
                    Metric::EverCompleted,
                    if any_rule { CourseRule::Any } else { CourseRule::All },
                );
                let dates: Vec<NaiveDate> = (0..=5).rev().map(|w| at(when) - Duration::days(7 * w)).collect();
                // A manager's scope: the subtree of 2 (officials move in and out of it).
                let inside = |a: i64| a == 2 || a == 4;
                let before = build(&a, &|_| true);
                let ix = Index::new(&p, &before);
                let mut kept = Tally::of(&ix, dates.clone(), inside);
                for (i, d) in dates.iter().enumerate() {
                    // Within the scope (the rollup also climbs above it, to agencies no view
                    // of this scope shows).
                    let mut want = ix.rollup(&ix.evaluate(*d));
                    want.retain(|a, _| inside(*a));
                    let mut got = kept.rollup(i, ix.parents());
                    got.retain(|a, _| inside(*a));
                    prop_assert_eq!(got, want, "on {}", d);
                }
                // The officials in `changed` now have b's facts; the others keep a's.
                let changed: std::collections::HashSet<i64> = changed.into_iter().collect();
                let mut after = build(&a, &|p| !changed.contains(&p));
                let theirs = build(&b, &|p| changed.contains(&p));
                after.memberships.extend(theirs.memberships);
                after.credits.extend(theirs.credits);
                after.exemptions.extend(theirs.exemptions);
                let ix2 = Index::new(&p, &after);
                for pid in &changed {
                    kept.set(*pid, ix2.runs(*pid, &dates, inside));
                }
                let fresh = Tally::of(&ix2, dates.clone(), inside);
                prop_assert_eq!(kept.people(), fresh.people());
                for i in 0..dates.len() {
                    prop_assert_eq!(kept.rollup(i, ix2.parents()), fresh.rollup(i, ix2.parents()));
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn as_of_reads_both_date_forms_and_says_how_to_write_one() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(AsOf::parse("", today), Ok(AsOf(today)));
        assert_eq!(AsOf::parse("2026-09-01", today), Ok(AsOf(d)));
        assert_eq!(AsOf::parse(" 01/09/2026 ", today), Ok(AsOf(d)));
        let e = AsOf::parse("tuần trước", today).unwrap_err();
        assert!(e.to_string().contains("31/12/2026"), "{e}");
    }

    #[test]
    fn a_projection_after_the_deadline_is_late_by_its_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        let f = Forecast {
            trailing_per_week: 2.0,
            target: 140,
            remaining: 30,
            projected: Some(d(2, 19)),
            needed_per_week: Some(5.0),
            on_pace: false,
        };
        assert_eq!(f.late_by(d(1, 31)), Some(19));
        assert_eq!(f.late_by(d(2, 19)), None, "on the deadline is on time");
        let met = Forecast {
            remaining: 0,
            ..f.clone()
        };
        assert_eq!(met.late_by(d(1, 31)), None);
    }
}

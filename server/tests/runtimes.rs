//! Several tokio runtimes in one process, as `cargo test` runs the integration tests: a page
//! rendered on one runtime never stalls because of what happens on another (docs/RELIABILITY.md,
//! "The test-process stall"). The stall was Leptos' process-wide switch that turns resource
//! loading off while a route list is generated: each test's router generated one, and a page
//! rendering meanwhile in another test waited forever for a resource that never loaded. Routes
//! are now generated once per process (`server::startup::router`).
//!
//! The quick test runs with the others. `stress` runs by hand, one suspect beside the renders
//! at a time, and prints what it counted (`suppress` holds the switch itself: it still stalls
//! pages, the flaw being Leptos'; `routers` no longer does):
//!
//! ```text
//! STALL_BESIDE=routers|suppress|dropped-runtimes|nothing STALL_SECS=60 STALL_THREADS=3 \
//! STALL_RUNTIME=current|multi STALL_LIMIT_SECS=5 \
//!   cargo test -p server --features app/ssr --test runtimes -- --ignored --nocapture stress
//! ```

mod common;

use common::TestApp;
use http_body_util::BodyExt;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// A page with the shape of the pages that stalled: the session's blocking resource, then a
/// `<Suspense>` inside the role guard reading the page's own resource.
const PAGE: &str = "/courses/b-hang-gia-che-tai/exam";

/// How a render ended.
enum Outcome {
    Whole,
    /// The router did not answer in time.
    NoHead,
    /// The head came, the body did not end in time.
    NoEnd,
}

/// GETs [`PAGE`] as the demo learner; head and body each get `limit`.
async fn render(app: &TestApp, token: &str, limit: Duration) -> Outcome {
    let req = TestApp::page_request(PAGE, Some(token));
    let Ok(res) = tokio::time::timeout(limit, app.router.clone().oneshot(req)).await else {
        return Outcome::NoHead;
    };
    let res = res.expect("router answers");
    assert_eq!(res.status(), 200);
    let Ok(body) = tokio::time::timeout(limit, res.into_body().collect()).await else {
        return Outcome::NoEnd;
    };
    let body = body.expect("body").to_bytes();
    // The last chunk of a Leptos page: the body ended, not merely stopped.
    assert!(String::from_utf8_lossy(&body).contains("__INCOMPLETE_CHUNKS"));
    Outcome::Whole
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What runs beside the renders.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Beside {
    Nothing,
    /// Another runtime builds the router again and again, as each test's `TestApp` does.
    Routers,
    /// Another thread holds Leptos' `SuppressResourceLoad` for 2 ms in every 10 (what building
    /// the route list does while it lasts), with no router and no runtime.
    Suppress,
    /// Runtimes rendering the same page are dropped mid-render, again and again, as a test's
    /// runtime is dropped when it ends with tasks still running.
    DroppedRuntimes,
}

#[derive(Debug, Default)]
struct Counts {
    pages: usize,
    no_head: usize,
    no_end: usize,
    /// Routers built, suppressions held or runtimes dropped beside.
    beside: usize,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Whole => self.pages += 1,
            Outcome::NoHead => self.no_head += 1,
            Outcome::NoEnd => self.no_end += 1,
        }
    }
}

/// A learner's app on its own database, signed in.
async fn learner_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    (app, token)
}

/// Renders [`PAGE`] for `secs` on `threads` threads, each its own current-thread runtime with
/// its own app (or, with `multi`, as tasks of one multi-thread runtime sharing one app, as the
/// server does), while `beside` runs on another thread. Every render gets `limit`.
fn run(beside: Beside, threads: usize, multi: bool, secs: u64, limit: Duration) -> Counts {
    let for_how_long = Duration::from_secs(secs);
    let renderers = if multi { 1 } else { threads };
    let barrier = Arc::new(Barrier::new(renderers + 1));
    let mut handles = vec![];
    for _ in 0..renderers {
        let barrier = barrier.clone();
        handles.push(std::thread::spawn(move || {
            let rt = if multi {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(threads)
                    .enable_all()
                    .build()
                    .unwrap()
            } else {
                current_thread()
            };
            rt.block_on(async move {
                let (app, token) = learner_app().await;
                // Every app (and its router) is built before any render starts.
                barrier.wait();
                let until = Instant::now() + for_how_long;
                let tasks = if multi { threads } else { 1 };
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..tasks {
                    let (app, token) = (app.clone(), token.clone());
                    set.spawn(async move {
                        let mut c = Counts::default();
                        while Instant::now() < until {
                            c.add(render(&app, &token, limit).await);
                        }
                        c
                    });
                }
                let mut c = Counts::default();
                while let Some(r) = set.join_next().await {
                    let r = r.expect("render task");
                    c.pages += r.pages;
                    c.no_head += r.no_head;
                    c.no_end += r.no_end;
                }
                c
            })
        }));
    }
    let side = std::thread::spawn(move || {
        let mut n = 0;
        match beside {
            Beside::Nothing => {
                barrier.wait();
            }
            Beside::Suppress => {
                barrier.wait();
                let until = Instant::now() + for_how_long;
                while Instant::now() < until {
                    let held = leptos::server::SuppressResourceLoad::new();
                    std::thread::sleep(Duration::from_millis(2));
                    drop(held);
                    std::thread::sleep(Duration::from_millis(8));
                    n += 1;
                }
            }
            Beside::Routers => {
                let rt = current_thread();
                rt.block_on(async {
                    let app = TestApp::spawn_empty().await;
                    barrier.wait();
                    let until = Instant::now() + for_how_long;
                    while Instant::now() < until {
                        let _ = server::startup::router(app.state.clone());
                        n += 1;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                });
            }
            Beside::DroppedRuntimes => {
                let rt0 = current_thread();
                let (app, token) = rt0.block_on(learner_app());
                barrier.wait();
                let until = Instant::now() + for_how_long;
                while Instant::now() < until {
                    let rt = current_thread();
                    for _ in 0..3 {
                        let (app, token) = (app.clone(), token.clone());
                        rt.spawn(async move {
                            render(&app, &token, limit).await;
                        });
                    }
                    let ms = 1 + rand::random::<u64>() % 30;
                    rt.block_on(async { tokio::time::sleep(Duration::from_millis(ms)).await });
                    drop(rt);
                    n += 1;
                }
                drop(rt0);
            }
        }
        n
    });
    let mut c = Counts::default();
    for h in handles {
        let r = h.join().expect("render thread");
        c.pages += r.pages;
        c.no_head += r.no_head;
        c.no_end += r.no_end;
    }
    c.beside = side.join().expect("side thread");
    c
}

#[test]
fn pages_render_while_another_runtime_builds_a_router() {
    let c = run(Beside::Routers, 2, false, 3, Duration::from_secs(10));
    println!("{c:?}");
    assert!(c.pages > 0 && c.beside > 0, "{c:?}");
    assert_eq!((c.no_head, c.no_end), (0, 0), "renders stalled: {c:?}");
}

#[test]
#[ignore = "by hand: one suspect at a time, for as long as STALL_SECS says"]
fn stress() {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let beside = match env("STALL_BESIDE", "routers").as_str() {
        "nothing" => Beside::Nothing,
        "routers" => Beside::Routers,
        "suppress" => Beside::Suppress,
        "dropped-runtimes" => Beside::DroppedRuntimes,
        other => panic!("STALL_BESIDE={other}?"),
    };
    let threads: usize = env("STALL_THREADS", "3").parse().unwrap();
    let secs: u64 = env("STALL_SECS", "30").parse().unwrap();
    let multi = env("STALL_RUNTIME", "current") == "multi";
    let limit = Duration::from_secs(env("STALL_LIMIT_SECS", "5").parse().unwrap());
    let c = run(beside, threads, multi, secs, limit);
    println!(
        "beside={beside:?} threads={threads} runtime={} secs={secs}: {} pages whole, {} without a \
         head, {} whose body never ended; {} beside",
        if multi { "multi" } else { "current" },
        c.pages,
        c.no_head,
        c.no_end,
        c.beside
    );
}

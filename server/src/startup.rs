//! Building the application: state from configuration, the router from state, and serving.
//! Tests build the very same router with `router(state)`.

use app::app::{App, shell};
use app::ssr::{auth, config::Config, content::ContentStore, db, forms, state::AppState};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tower_http::compression::CompressionLayer;

/// Leptos' options: from cargo-leptos' environment when it runs us, else the defaults the
/// README's run command builds with (site in `target/site`).
pub fn leptos_options(addr: Option<SocketAddr>) -> LeptosOptions {
    let mut opts = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        leptos::config::get_configuration(None)
            .map(|c| c.leptos_options)
            .unwrap_or_else(|_| default_options())
    } else {
        default_options()
    };
    if let Some(addr) = addr {
        opts.site_addr = addr;
    }
    opts
}

fn default_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("taphuan")
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(SocketAddr::from(([127, 0, 0, 1], 3000)))
        .build()
}

/// Connects to the database, migrates it, and assembles the state. What a start writes once
/// (old records adopted into the audit log, the content versions, the demo on an empty
/// database) is written under the start-up lock, so several nodes can start together.
pub async fn build_state(config: Config, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    app::ssr::clock::set_zone(config.time_zone);
    let prepared = db::connect_prepared(&config.database_url, config.db_max_connections).await?;
    let db = prepared.db.clone();
    app::ssr::audit::adopt_if_new(&db).await?;
    let watch = config.env == app::ssr::config::Environment::Development;
    let content = Arc::new(ContentStore::open(&config.content_dir, watch));
    // The editor's publishes, laid over the folder.
    content.refresh(&db).await?;
    let recorded = app::ssr::content::record_versions(&db, &content.get().library).await?;
    tracing::debug!(recorded, "content versions recorded");
    content.set_generation(app::ssr::content::latest_reload(&db).await?);
    if config.seed_demo && app::ssr::seed::seed_demo_if_empty(&db).await? {
        tracing::info!("seeded the demo province (demo accounts: see README)");
    }
    prepared.release().await?;
    let certs = Arc::new(app::ssr::certs::CertSigner::from_private_pem(
        &config.cert_private_key_pem,
    )?);
    Ok(AppState {
        certs,
        db,
        config: Arc::new(config),
        leptos_options,
        content,
        throttle: Default::default(),
        coverage_views: Default::default(),
        write_queue: Default::default(),
    })
}

/// The app's page routes, generated once per process.
///
/// Generating them renders the app once with Leptos' resource loading switched off, and the
/// switch is one flag for the whole process (`IS_SUPPRESSING_RESOURCE_LOAD` in leptos_server
/// 0.8.8, `resource.rs:37`, set by `RouteList::generate` in leptos_router 0.8.17,
/// `generate_route_list.rs:237`; leptos issue #4773). A resource that starts loading anywhere in
/// the process meanwhile, on any runtime, waits forever, and so does its page. The server builds
/// its router once, before it serves; the tests build one per test while other tests render
/// pages, which stalled a page now and then (docs/RELIABILITY.md, "The test-process stall").
/// Made once, before any router exists, the list is never made while a page renders.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface of Taphuan.
pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let ctx_state = state.clone();
    let context = move || {
        provide_context(ctx_state.clone());
        provide_context(app::ssr::memo::RequestMemo::default());
    };
    let opts = state.leptos_options.clone();
    Router::new()
        .route("/auth/sign-in", post(auth::sign_in))
        .route("/auth/sign-out", post(auth::sign_out))
        .route("/auth/activate", post(app::ssr::accounts::web::activate))
        .route("/auth/forgot", post(app::ssr::accounts::web::forgot))
        .route("/notices/read", post(app::ssr::notices::mark_read))
        .route("/notices/email", post(app::ssr::notices::email))
        .route("/accounts/codes", post(app::ssr::accounts::web::codes))
        .route("/people/{id}/reset-code", post(app::ssr::accounts::web::reset_code))
        .route("/people/{id}/evidence.zip", get(app::ssr::evidence::download))
        .route("/lang/{code}", get(auth::set_language))
        .route("/scope/{agency_id}", get(auth::set_scope))
        .route("/rights/grant", post(app::ssr::rights::web::grant_form))
        .route("/rights/{id}/withdraw", post(app::ssr::rights::web::withdraw_form))
        .route("/letterhead/save", post(app::ssr::letterhead::web::save_form))
        .route("/classes/save", post(app::ssr::classes::web::save_form))
        .route("/classes/{id}/invite", post(app::ssr::classes::web::invite_form))
        .route("/classes/{id}/enrol", post(app::ssr::classes::web::enrol_form))
        .route(
            "/classes/{id}/people/{person}/cancel",
            post(app::ssr::classes::web::cancel_form),
        )
        .route(
            "/classes/{id}/people/{person}/confirm",
            post(app::ssr::classes::web::confirm_form),
        )
        .route(
            "/classes/{id}/sessions/{sid}/attendance",
            post(app::ssr::classes::web::attendance_form),
        )
        .route("/classes/{id}/scores", post(app::ssr::classes::web::scores_form))
        .route("/checkin/{sid}", post(app::ssr::classes::web::checkin_form))
        .route("/classes/{id}/join", post(app::ssr::classes::web::join_form))
        .route("/classes/{id}/cancel", post(app::ssr::classes::web::cancel_class_form))
        .route("/classes/{id}/export/{file}", get(app::ssr::classes::web::export))
        .route(
            "/classes/{id}/sheet",
            post(app::ssr::classes::web::sheet_form).layer(DefaultBodyLimit::max(
                app::ssr::classes::web::MAX_SHEET_BYTES + 64 * 1024,
            )),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/coverage/export/{file}", get(app::ssr::coverage::export::download))
        .route(
            "/courses/{course}/questions/export/{file}",
            get(app::ssr::itemstats::download),
        )
        .route(
            "/roster/upload",
            // The roster's own limit (8 MiB) plus room for the multipart envelope; past it the
            // page says "too big" rather than "missing".
            post(app::ssr::roster::web::upload)
                .layer(DefaultBodyLimit::max(app::ssr::roster::web::MAX_BYTES + 64 * 1024)),
        )
        .route("/content/{course}/{*path}", get(app::ssr::content::asset))
        .route("/editor/{course}/save", post(app::ssr::editor::web::save_form))
        .route("/editor/{course}/discard", post(app::ssr::editor::web::discard_form))
        .route("/editor/{course}/publish", post(app::ssr::editor::web::publish_form))
        .route(
            "/editor/{course}/import",
            post(app::ssr::editor::web::import_form)
                .layer(DefaultBodyLimit::max(app::domain::import::MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/editor/{course}/image",
            post(app::ssr::editor::web::image_form)
                .layer(DefaultBodyLimit::max(app::ssr::editor::MAX_IMAGE_BYTES + 64 * 1024)),
        )
        .route("/retraining/open", post(app::ssr::recert::web::open_form))
        .route("/roster/apply", post(app::ssr::roster::web::apply))
        .route("/roster/cancel", post(app::ssr::roster::web::cancel))
        .route("/programs/save", post(app::ssr::programs::web::save_form))
        .route("/people/{id}/exemptions", post(app::ssr::programs::web::exempt_form))
        .route(
            "/exemptions/{id}/withdraw",
            post(app::ssr::programs::web::withdraw_form),
        )
        .route(
            "/certificates/{number}/revoke",
            post(app::ssr::programs::web::revoke_form),
        )
        .route("/courses/{course}/lessons/{n}/read", post(forms::mark_read))
        .route("/courses/{course}/exam/start", post(forms::start_exam))
        .route("/courses/{course}/exam/submit", post(forms::submit_exam))
        .route("/courses/{course}/exam/save", post(forms::save_exam_draft))
        .route("/.well-known/taphuan-cert-key.pem", get(forms::cert_public_key))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(opts.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(auth::same_origin_guard))
        // Inside the layers below, so a refused cross-origin post is traced too; `route_layer`
        // would miss the fallback's pages.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::telemetry::trace_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::ssr::headers::security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Serves until Ctrl-C. TCP_NODELAY matters: Leptos streams a page in several chunks and Nagle's
/// algorithm with delayed ACKs stalls each keep-alive request by ~40 ms.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    use axum::serve::ListenerExt;
    let addr = state.leptos_options.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e} (set TAPHUAN_ADDR or --addr to another port)"))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!("Taphuan is listening on http://{addr}");
    app::ssr::reminders::spawn(state.clone());
    if state.config.content_poll_seconds > 0 {
        let every = std::time::Duration::from_secs(state.config.content_poll_seconds);
        app::ssr::content::follow_reloads(state.clone(), every);
    }
    // The peer address reaches handlers as `ConnectInfo` (sign-in throttling, rate limits).
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

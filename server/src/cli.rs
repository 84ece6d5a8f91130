//! The command line. `taphuan` alone serves; every subcommand has `--help`.

use crate::startup;
use app::domain::identity::{NewPassword, Role, Username};
use app::ssr::config::Config;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "taphuan",
    version,
    about = "Taphuan: tập huấn thực thi pháp luật thương mại điện tử"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default). Migrates first; seeds the demo on an empty
    /// database unless TAPHUAN_SEED_DEMO=false.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (default: TAPHUAN_ADDR or 127.0.0.1:3000).
        #[arg(long, env = "TAPHUAN_ADDR")]
        addr: Option<SocketAddr>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an account, or reset the password and role of an existing one (which signs it out
    /// everywhere). The password is read from TAPHUAN_NEW_PASSWORD or the first line of stdin.
    CreateUser {
        /// Login name: 3–64 characters of a-z 0-9 . _ -
        #[arg(long)]
        username: String,
        /// learner, trainer, manager or admin
        #[arg(long)]
        role: String,
        /// For a manager: the code of the agency whose subtree they may see (e.g. GL-QLTT).
        #[arg(long)]
        agency: Option<String>,
    },
    /// Seed the demo province (new Gia Lai, 2025) into an empty database.
    SeedDemo,
    /// Check a roster CSV (officials) and show what it would change; with --apply, apply it in
    /// one transaction (nothing is applied if any line has an error). Prints every error as
    /// `dòng L, cột C (header): what — what to write` and exits 1 when there is one.
    ImportRoster {
        /// The CSV file (UTF-8 with or without BOM; comma or semicolon).
        file: std::path::PathBuf,
        /// Apply the changes (without it: preview only).
        #[arg(long)]
        apply: bool,
        /// The agency subtree the file speaks for; default: the agencies that appear in the file.
        #[arg(long)]
        scope: Option<String>,
        /// The file is the complete list of that unit: active officials there who are missing
        /// from it leave. Without it, the file only adds and updates people.
        #[arg(long)]
        complete: bool,
        /// With --complete: the number of leavers, to confirm when more than 20 people (or more
        /// than 10 % of the unit) would leave.
        #[arg(long)]
        confirm_leavers: Option<usize>,
        /// The date transfers and leavers take effect (yyyy-mm-dd; default today).
        #[arg(long)]
        effective: Option<chrono::NaiveDate>,
    },
    /// Check an agency CSV (code, name, parent code, valid-from, valid-to, merged-into);
    /// with --apply, create/update the agencies and their paths in one transaction.
    ImportAgencies {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Apply the changes (without it: preview only).
        #[arg(long)]
        apply: bool,
    },
    /// Recompute the course credits coverage reads from every completion (repair).
    RebuildCredits,
    /// Work with the course library (Markdown + GIFT files).
    #[command(subcommand)]
    Content(ContentCommand),
    /// Check a certificate token (the QR code's `t=` value) offline against the published public
    /// key. Exits 0 and prints the certificate when the signature is genuine, 1 otherwise.
    Verify {
        /// The token (a compact JWT signed with Ed25519).
        token: String,
        /// The public key PEM (from /.well-known/taphuan-cert-key.pem). Default:
        /// TAPHUAN_DATA_DIR/cert-key.pub.pem (written by a development server).
        #[arg(long)]
        key: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Check a content folder: prints every problem as `file:line:col: what — instead` and
    /// exits with 1 if there is any error (warnings alone exit 0).
    Check {
        /// The content root (default: TAPHUAN_CONTENT_DIR or `content`).
        dir: Option<std::path::PathBuf>,
    },
    /// Print a course's exam answer key as JSON (every pool question with its key), for
    /// reviewing a pool and for browser tests. It reads the files only: keep its output private.
    AnswerKey {
        /// The course id (its folder name).
        course: String,
        /// The content root (default: TAPHUAN_CONTENT_DIR or `content`).
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
    },
    /// Convert an Aiken file to named GIFT questions (printed to stdout).
    ImportAiken {
        /// The Aiken file.
        file: std::path::PathBuf,
        /// Name prefix for the questions, e.g. `a-exam` gives `a-exam-01`, `a-exam-02`…
        #[arg(long, default_value = "q")]
        prefix: String,
    },
}

/// Runs the CLI and maps failures to a clear message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Content commands work on files alone: no configuration, database or secret needed.
    if let Some(Command::Content(cmd)) = &cli.command {
        return content(cmd);
    }
    if let Some(Command::Verify { token, key }) = &cli.command {
        return verify(token, key.as_deref());
    }
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve {
        addr: std::env::var("TAPHUAN_ADDR").ok().and_then(|a| a.parse().ok()),
    }) {
        Command::Serve { addr } => {
            let seed = config.seed_demo;
            let state = startup::build_state(config, startup::leptos_options(addr)).await?;
            if seed && app::ssr::seed::seed_demo_if_empty(&state.db).await? {
                tracing::info!("seeded the demo province (demo accounts: see README)");
            }
            startup::serve(state).await
        }
        Command::Migrate => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            app::ssr::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateUser { username, role, agency } => {
            let username = Username::parse(&username).map_err(anyhow::Error::msg)?;
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("unknown role {role:?}: use learner, trainer, manager or admin"))?;
            let raw = match std::env::var("TAPHUAN_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let password = NewPassword::parse(&raw).map_err(anyhow::Error::msg)?;
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            app::ssr::db::migrate(&db).await?;
            let id = app::ssr::seed::create_user(&db, &username, &password, role, agency.as_deref()).await?;
            println!("account {} ({}) ready, id {id}", username.as_str(), role);
            Ok(())
        }
        Command::Content(_) | Command::Verify { .. } => unreachable!("handled above"),
        Command::ImportRoster {
            file,
            apply,
            scope,
            complete,
            confirm_leavers,
            effective,
        } => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let mode = if complete {
                app::domain::roster::ImportMode::Complete
            } else {
                app::domain::roster::ImportMode::Update
            };
            let code = import_roster(&db, &file, apply, scope.as_deref(), effective, mode, confirm_leavers).await?;
            if code != 0 {
                anyhow::bail!("the roster was not applied");
            }
            Ok(())
        }
        Command::ImportAgencies { file, apply } => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let bytes = app::ssr::roster::spreadsheet::file_text(bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let (errors, summary) = app::ssr::roster::import_agencies(&db, &bytes, apply).await?;
            for e in &errors {
                println!("{}: {e}", file.display());
            }
            if !errors.is_empty() {
                anyhow::bail!("{} error(s): nothing applied", errors.len());
            }
            println!(
                "{summary}{}",
                if apply {
                    ""
                } else {
                    " (xem trước — thêm --apply để áp dụng)"
                }
            );
            Ok(())
        }
        Command::RebuildCredits => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let n = app::ssr::coverage::rebuild_credits(&db).await?;
            println!("{n} course credit(s) rebuilt");
            Ok(())
        }
        Command::SeedDemo => {
            let db = app::ssr::db::connect(&config.database_url, 2).await?;
            app::ssr::db::migrate(&db).await?;
            if app::ssr::seed::seed_demo_if_empty(&db).await? {
                println!("demo province seeded");
            } else {
                println!("the database already has agencies: nothing seeded");
            }
            Ok(())
        }
    }
}

/// `taphuan verify`: needs no database, no configuration and no network.
fn verify(token: &str, key: Option<&std::path::Path>) -> anyhow::Result<()> {
    let path = key.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
        std::path::PathBuf::from(std::env::var("TAPHUAN_DATA_DIR").unwrap_or_else(|_| "data".into()))
            .join("cert-key.pub.pem")
    });
    let pem = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read the public key {}: {e} (use --key PEM)", path.display()))?;
    let claims = app::ssr::certs::verify_token(&pem, token).map_err(anyhow::Error::msg)?;
    let today = chrono::Utc::now().date_naive();
    let until = claims
        .until
        .as_deref()
        .and_then(|u| chrono::NaiveDate::parse_from_str(u, "%Y-%m-%d").ok());
    let expiry = match until {
        None => "no expiry".to_string(),
        Some(u) if u < today => format!("EXPIRED on {u}"),
        Some(u) => format!("valid until {u}"),
    };
    let issued = chrono::DateTime::from_timestamp(claims.iat, 0)
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default();
    println!(
        "genuine signature: certificate {} — {} — course {} — issued {issued} — {expiry}",
        claims.sub, claims.name, claims.course
    );
    println!("(revocation is only known online: /verify/{})", claims.sub);
    Ok(())
}

fn content(cmd: &ContentCommand) -> anyhow::Result<()> {
    use app::domain::content::{fs::read_content_dir, load_library};
    match cmd {
        ContentCommand::AnswerKey { course, dir } => {
            let dir = dir.clone().unwrap_or_else(|| {
                std::env::var("TAPHUAN_CONTENT_DIR")
                    .unwrap_or_else(|_| "content".into())
                    .into()
            });
            let files = read_content_dir(&dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
            let (library, _) = load_library(&files);
            let c = library
                .course(course)
                .ok_or_else(|| anyhow::anyhow!("no course {course:?} in {}", dir.display()))?;
            let pool: Vec<_> = c.exam.iter().flat_map(|e| e.pool.iter().map(|i| &i.question)).collect();
            println!("{}", serde_json::to_string_pretty(&pool)?);
            Ok(())
        }
        ContentCommand::Check { dir } => {
            let dir = dir.clone().unwrap_or_else(|| {
                std::env::var("TAPHUAN_CONTENT_DIR")
                    .unwrap_or_else(|_| "content".into())
                    .into()
            });
            let files = read_content_dir(&dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
            let (library, diagnostics) = load_library(&files);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            for d in &diagnostics {
                println!("{}/{d}", dir.display());
            }
            let lessons: usize = library.courses.iter().map(|c| c.lessons.len()).sum();
            let questions: usize = library
                .courses
                .iter()
                .map(|c| {
                    c.exam.as_ref().map_or(0, |e| e.pool.len())
                        + c.lessons.iter().map(|l| l.checks.len()).sum::<usize>()
                })
                .sum();
            println!(
                "{}: {} course(s), {lessons} lesson(s), {questions} question(s); {errors} error(s), {} warning(s)",
                dir.display(),
                library.courses.len(),
                diagnostics.len() - errors
            );
            if errors > 0 {
                anyhow::bail!("{errors} content error(s)");
            }
            Ok(())
        }
        ContentCommand::ImportAiken { file, prefix } => {
            let src =
                std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let (questions, errors) = app::domain::aiken::parse_aiken(&src);
            for e in &errors {
                eprintln!("{}:{e}", file.display());
            }
            if !errors.is_empty() {
                anyhow::bail!("{} error(s) in {}", errors.len(), file.display());
            }
            print!("{}", app::domain::aiken::to_gift(&questions, prefix));
            Ok(())
        }
    }
}

/// `taphuan import-roster`: prints the plan (or the errors) and applies it when asked. Returns
/// 1 when the file has errors.
pub async fn import_roster(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    apply: bool,
    scope: Option<&str>,
    effective: Option<chrono::NaiveDate>,
    mode: app::domain::roster::ImportMode,
    confirm_leavers: Option<usize>,
) -> anyhow::Result<i32> {
    use app::ssr::db::entities::agency;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let bytes =
        app::ssr::roster::spreadsheet::file_text(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let scope = match scope {
        Some(code) => {
            let a = agency::Entity::find()
                .filter(agency::Column::Code.eq(code))
                .one(db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no agency with code {code:?}"))?;
            Some(app::ssr::auth::Scope {
                agency_id: a.id,
                agency_name: a.name,
                path: a.path,
            })
        }
        None => None,
    };
    let today = effective.unwrap_or_else(app::ssr::clock::today);
    let plan = app::ssr::roster::plan(db, &bytes, scope.as_ref(), today, mode).await?;
    for w in &plan.warnings {
        println!("{}: cảnh báo: {w}", file.display());
    }
    if apply && plan.needs_confirmation() && confirm_leavers != Some(plan.diff.leavers.len()) {
        print!("{}", plan.summary());
        println!(
            "{} cán bộ sẽ nghỉ — nhiều hơn 20 người hoặc hơn 10% đơn vị: thêm --confirm-leavers {} để xác nhận",
            plan.diff.leavers.len(),
            plan.diff.leavers.len()
        );
        return Ok(1);
    }
    if !apply {
        for e in &plan.errors {
            println!("{}: {e}", file.display());
        }
        print!("{}", plan.summary());
        if plan.applicable() {
            println!("(xem trước — thêm --apply để áp dụng)");
        }
        return Ok(if plan.errors.is_empty() { 0 } else { 1 });
    }
    let (applied, plan) = app::ssr::roster::apply(db, &bytes, scope.as_ref(), today, mode).await?;
    for e in &plan.errors {
        println!("{}: {e}", file.display());
    }
    print!("{}", plan.summary());
    Ok(match applied {
        app::ssr::roster::Applied::Invalid(_) => 1,
        _ => {
            if plan.applicable() {
                println!("đã áp dụng (applied)");
            }
            0
        }
    })
}

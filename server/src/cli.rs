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
        /// The column a header of the file is, when its name is not one Taphuan knows:
        /// `--map 'HEADER=column'` (e.g. `--map 'Thẩm quyền=nhiệm vụ thực thi'`, or `=-` to skip
        /// it). Repeatable.
        #[arg(long = "map", value_name = "HEADER=column")]
        map: Vec<String>,
    },
    /// Check an agency CSV (code, name, parent code, valid-from, valid-to, merged-into);
    /// with --apply, create/update the agencies and their paths in one transaction.
    ImportAgencies {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Apply the changes (without it: preview only).
        #[arg(long)]
        apply: bool,
        /// The column a header of the file is, when its name is not one Taphuan knows:
        /// `--map 'HEADER=column'` (e.g. `--map 'Thẩm quyền=nhiệm vụ thực thi'`, or `=-` to skip
        /// it). Repeatable.
        #[arg(long = "map", value_name = "HEADER=column")]
        map: Vec<String>,
    },
    /// Recompute the course credits coverage reads from every completion (repair).
    RebuildCredits,
    /// The reminder job (what `serve` runs every TAPHUAN_REMINDER_MINUTES).
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Accounts: list, show, issue a password-reset code, disable or enable.
    #[command(subcommand)]
    User(UserCommand),
    /// Issue activation codes for every official of a unit (and its sub-units) who has not
    /// chosen a password yet, written as XLSX (or as the A4 page of slips, for `.html`). Codes
    /// issued earlier to those accounts stop working.
    ActivationCodes {
        /// The unit's agency code, e.g. GL-QLTT-D01.
        #[arg(long)]
        agency: String,
        /// The file to write: `codes.xlsx` or `codes.html`.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Work with the course library (Markdown + GIFT files).
    #[command(subcommand)]
    Content(ContentCommand),
    /// The audit log: check the whole hash chain (and the records against it), or print its head.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check the database: SQLite integrity, the audit chain and its records, and the course
    /// credits against a recompute. Exits 1 when anything is wrong.
    Check,
    /// Write a consistent backup while the server runs (SQLite: VACUUM INTO; PostgreSQL:
    /// pg_dump --format=custom).
    Backup {
        /// The file to write (must not exist).
        out: std::path::PathBuf,
    },
    /// Restore a backup into the configured database, after checking it (SQLite: stop the
    /// server first; the current file is kept as FILE.before-restore). Prints the check.
    Restore {
        /// A file written by `taphuan backup`.
        file: std::path::PathBuf,
    },
    /// Evidence packs: one official's training records as a signed ZIP, and its offline check.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
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
enum AuditCommand {
    /// Check every link of the chain and every completion and certificate against it; names
    /// the first broken link and exits 1 when one is found.
    Verify,
    /// Print the chain's head (its last link and hash): record it elsewhere (e.g. in the
    /// printed report) to catch a rewrite of the whole chain later.
    Head,
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Write the evidence pack of one official.
    Export {
        /// The official's code (e.g. GL00001).
        #[arg(long)]
        person: String,
        /// The ZIP file to write.
        out: std::path::PathBuf,
    },
    /// Check a pack offline: the signed manifest, every file, the audit segment, every
    /// certificate token. Exits 0 when it holds, 1 otherwise.
    Verify {
        /// The pack (ZIP).
        pack: std::path::PathBuf,
        /// The certificate public key PEM (from /.well-known/taphuan-cert-key.pem). Default:
        /// TAPHUAN_DATA_DIR/cert-key.pub.pem.
        #[arg(long)]
        key: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// Make the reminders due today (each once) and e-mail them when TAPHUAN_SMTP_URL is set.
    Run {
        /// Print what is due without storing or sending anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Every account (or those of one unit's officials): sign-in name, rights, official, state.
    List {
        /// Only the officials of this unit's subtree (agency code).
        #[arg(long)]
        agency: Option<String>,
    },
    /// One account in full.
    Show { username: String },
    /// A one-time code to set a new password (ends every session of the account); printed once.
    ResetCode { username: String },
    /// Disable an account (it cannot sign in; its records stay), with the reason.
    Disable {
        username: String,
        #[arg(long)]
        reason: String,
    },
    /// Enable a disabled account again.
    Enable { username: String },
    /// Grant a right, with the reason: trainer (of every course, or `--course ID`), manager of
    /// the subtree under `--agency CODE`, or admin. Every account may already learn.
    Grant(RightArgs),
    /// Withdraw a right, with the reason (the grant's record stays, marked withdrawn).
    Revoke(RightArgs),
}

/// A right of one account, and why it is granted or withdrawn.
#[derive(clap::Args)]
struct RightArgs {
    username: String,
    #[arg(long)]
    role: String,
    #[arg(long)]
    agency: Option<String>,
    #[arg(long)]
    course: Option<String>,
    #[arg(long)]
    reason: String,
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
    /// Import a Moodle question bank into a course: GIFT, or Aiken when the file is named
    /// `*.aiken.txt`. The questions go into the exam's pool, or with `--lesson N` become
    /// knowledge checks at the end of lesson N. The file's text is kept as written; a question
    /// without a `::name::` is named after the file (`bank-01`, `bank-02`…). Every problem is
    /// printed as `file:line:col: what — instead`, and then nothing is written.
    ImportGift {
        /// The GIFT or Aiken file.
        file: std::path::PathBuf,
        /// The course id (its folder name).
        #[arg(long)]
        course: String,
        /// Import into this lesson (its number) instead of the exam.
        #[arg(long)]
        lesson: Option<u32>,
        /// The content root (default: TAPHUAN_CONTENT_DIR or `content`).
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
    },
    /// Ask every node serving the database to read its course library (TAPHUAN_CONTENT_DIR)
    /// again, within TAPHUAN_CONTENT_POLL_SECONDS. The library here is checked first: with an
    /// error nothing is asked. A node whose own copy has errors keeps the library it serves.
    Reload {
        /// Why, for the record (e.g. "Luật 122/2025/QH15 có hiệu lực").
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Write the library as it is served — the content folder with the browser editor's
    /// publishes laid over it — as course folders under DIR, for git. A course folder already in
    /// DIR is made equal to the export (files the export lacks are removed). What it writes,
    /// `taphuan content check` accepts; a course never published from the editor is written
    /// byte for byte as its folder.
    Export {
        /// Where to write the course folders.
        dir: std::path::PathBuf,
        /// Only this course.
        #[arg(long)]
        course: Option<String>,
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
    // Content commands work on files alone: no configuration, database or secret needed;
    // except `content reload`, which asks the nodes on the database.
    if let Some(Command::Content(cmd)) = &cli.command
        && !matches!(cmd, ContentCommand::Reload { .. } | ContentCommand::Export { .. })
    {
        return content(cmd);
    }
    if let Some(Command::Verify { token, key }) = &cli.command {
        return verify(token, key.as_deref());
    }
    if let Some(Command::Evidence(EvidenceCommand::Verify { pack, key })) = &cli.command {
        return verify_pack(pack, key.as_deref());
    }
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve {
        addr: std::env::var("TAPHUAN_ADDR").ok().and_then(|a| a.parse().ok()),
    }) {
        Command::Serve { addr } => {
            let state = startup::build_state(config, startup::leptos_options(addr)).await?;
            startup::serve(state).await
        }
        Command::Migrate => {
            app::ssr::db::connect_migrated(&config.database_url, 1).await?;
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
            let db = app::ssr::db::connect_migrated(&config.database_url, 1).await?;
            let id = app::ssr::seed::create_user(&db, &username, &password, role, agency.as_deref()).await?;
            println!("account {} ({}) ready, id {id}", username.as_str(), role);
            Ok(())
        }
        Command::Content(ContentCommand::Reload { note }) => content_reload(&config, &note).await,
        Command::Content(ContentCommand::Export { dir, course }) => {
            content_export(&config, &dir, course.as_deref()).await
        }
        Command::Content(_) | Command::Verify { .. } | Command::Evidence(EvidenceCommand::Verify { .. }) => {
            unreachable!("handled above")
        }
        Command::Audit(cmd) => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            match cmd {
                AuditCommand::Head => {
                    let (seq, hash) = app::ssr::audit::head(&db).await?;
                    println!("link {seq} {hash}");
                    Ok(())
                }
                AuditCommand::Verify => match app::ssr::audit::verify(&db).await? {
                    app::ssr::audit::Verdict::Sound { links } => {
                        println!(
                            "audit chain sound: {links} links; every completion and certificate matches its event"
                        );
                        Ok(())
                    }
                    app::ssr::audit::Verdict::Broken(b) => anyhow::bail!("audit chain broken at link {}: {b}", b.seq),
                    app::ssr::audit::Verdict::Records(p) => {
                        for line in &p {
                            println!("{line}");
                        }
                        anyhow::bail!("the chain holds, but {} record(s) differ from it", p.len())
                    }
                },
            }
        }
        Command::Check => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let h = app::ssr::backup::health(&db).await?;
            println!("{h}");
            anyhow::ensure!(h.sound(), "the database is not sound");
            Ok(())
        }
        Command::Backup { out } => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            app::ssr::backup::backup(&db, &config.database_url, &out).await?;
            println!("backup written to {}", out.display());
            Ok(())
        }
        Command::Restore { file } => {
            let h = app::ssr::backup::restore(&config.database_url, &file).await?;
            println!("{h}");
            anyhow::ensure!(h.sound(), "restored, but the database is not sound");
            println!("restored from {}", file.display());
            Ok(())
        }
        Command::Evidence(EvidenceCommand::Export { person, out }) => {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let p = app::ssr::db::entities::person::Entity::find()
                .filter(app::ssr::db::entities::person::Column::Code.eq(person.trim().to_uppercase()))
                .one(&db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no official with code {person}"))?;
            let signer = app::ssr::certs::CertSigner::from_private_pem(&config.cert_private_key_pem)?;
            let library = {
                // The library as the nodes serve it: the folder with the editor's publishes.
                let store = std::sync::Arc::new(app::ssr::content::ContentStore::open(&config.content_dir, false));
                store.refresh(&db).await?;
                store.get()
            };
            let library = &library.library;
            let title_of = |c: &str| {
                library
                    .course(c)
                    .map_or_else(|| c.to_string(), |c| c.meta.title.clone())
            };
            let bytes = app::ssr::evidence::build(&db, &signer, p.id, &title_of)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no official with code {person}"))?;
            std::fs::write(&out, bytes)?;
            println!("evidence pack of {} written to {}", p.code, out.display());
            Ok(())
        }
        Command::Reminders(RemindersCommand::Run { dry_run }) => {
            let state = startup::build_state(config, startup::leptos_options(None)).await?;
            let today = app::ssr::clock::today();
            if dry_run {
                let planned = app::ssr::reminders::plan(&state, today).await?;
                for p in &planned {
                    println!(
                        "{}\t{}\t{}\t{}",
                        p.username,
                        p.reminder.kind,
                        p.reminder.title,
                        p.email.as_deref().unwrap_or("(in-app)")
                    );
                }
                println!("{} reminder(s) due (dry run: nothing stored or sent)", planned.len());
                return Ok(());
            }
            let mailer = app::ssr::reminders::mailer(&state);
            let r = app::ssr::reminders::run(&state, mailer.as_deref(), today).await?;
            println!(
                "{} due, {} new, {} e-mailed, {} failed{}",
                r.due,
                r.made,
                r.sent,
                r.failed,
                if mailer.is_none() {
                    " (TAPHUAN_SMTP_URL unset: in-app only)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Command::User(cmd) => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            user(&db, &config, cmd).await
        }
        Command::ActivationCodes { agency, out } => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            activation_codes(&db, &config, &agency, &out).await
        }
        Command::ImportRoster {
            file,
            apply,
            scope,
            complete,
            confirm_leavers,
            effective,
            map,
        } => {
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let mode = if complete {
                app::domain::roster::ImportMode::Complete
            } else {
                app::domain::roster::ImportMode::Update
            };
            let choices = header_choices(&map, &app::domain::roster::roster_labels())?;
            let code = import_roster(
                &db,
                &file,
                ImportOptions {
                    apply,
                    scope: scope.as_deref(),
                    effective,
                    mode,
                    confirm_leavers,
                    choices: &choices,
                },
            )
            .await?;
            if code != 0 {
                anyhow::bail!("the roster was not applied");
            }
            Ok(())
        }
        Command::ImportAgencies { file, apply, map } => {
            let choices = header_choices(&map, &app::domain::roster::agency_labels())?;
            let db = app::ssr::db::connect_migrated(&config.database_url, 2).await?;
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let bytes = app::ssr::roster::spreadsheet::file_text(bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let (errors, summary, columns) = app::ssr::roster::import_agencies(&db, &bytes, apply, &choices).await?;
            print_columns(&file, &columns);
            for e in &errors {
                println!("{}: {e}", file.display());
            }
            if !errors.is_empty() {
                print_map_hint(&columns, &app::domain::roster::agency_labels());
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
            // Held while seeding: a node starting meanwhile does not seed a second province.
            let prepared = app::ssr::db::connect_prepared(&config.database_url, 2).await?;
            let seeded = app::ssr::seed::seed_demo_if_empty(&prepared.db).await;
            prepared.release().await?;
            if seeded? {
                println!("demo province seeded");
            } else {
                println!("the database already has agencies: nothing seeded");
            }
            Ok(())
        }
    }
}

/// `taphuan content export DIR [--course ID]`.
async fn content_export(config: &Config, out: &std::path::Path, only: Option<&str>) -> anyhow::Result<()> {
    let db = app::ssr::db::connect_migrated(&config.database_url, 1).await?;
    let (files, origins) = app::ssr::content::assembled(&db, &config.content_dir).await?;
    let mut courses: std::collections::BTreeMap<&str, Vec<&app::domain::content::SourceFile>> = Default::default();
    for f in &files {
        if let Some(c) = app::domain::content::publish::course_of(&f.path) {
            courses.entry(c).or_default().push(f);
        }
    }
    if let Some(c) = only
        && !courses.contains_key(c)
    {
        anyhow::bail!("no course {c:?} in the library");
    }
    for (course, files) in courses.into_iter().filter(|(c, _)| only.is_none_or(|o| o == *c)) {
        // Paths come from the folder and from checked drafts; still, nothing is written outside
        // DIR whatever the database holds.
        if let Some(f) = files.iter().find(|f| {
            f.path
                .split('/')
                .any(|p| p.is_empty() || p == "." || p == ".." || p.contains('\\'))
        }) {
            anyhow::bail!(
                "refusing to write {:?}: not a plain path inside the course folder",
                f.path
            );
        }
        let root = out.join(course);
        if std::fs::symlink_metadata(&root).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!("{} is a symbolic link: export into a plain folder", root.display());
        }
        let keep: std::collections::BTreeSet<std::path::PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
        if root.is_dir() {
            for old in app::domain::content::fs::read_content_dir(&root)? {
                let p = root.join(&old.path);
                if !keep.contains(&p) {
                    std::fs::remove_file(&p)?;
                }
            }
        }
        for f in &files {
            let p = out.join(&f.path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&p, &f.bytes)?;
        }
        let from = match origins.published.get(course) {
            Some(id) => format!("editor publish #{id}"),
            None => "its folder".into(),
        };
        println!("{course}: {} file(s), from {from}", files.len());
    }
    Ok(())
}

/// `taphuan content reload`: checks the library here, then records a reload request.
async fn content_reload(config: &Config, note: &str) -> anyhow::Result<()> {
    use app::domain::content::{fs::read_content_dir, load_library};
    let dir = &config.content_dir;
    let files = read_content_dir(dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    let (library, diagnostics) = load_library(&files);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        for d in &errors {
            eprintln!("{}/{d}", dir.display());
        }
        anyhow::bail!("{} error(s) in {}: nothing was reloaded", errors.len(), dir.display());
    }
    let db = app::ssr::db::connect_migrated(&config.database_url, 1).await?;
    let n = app::ssr::content::request_reload(&db, note).await?;
    println!(
        "reload #{n} requested: {} course(s); every node reads its library again within {} s",
        library.courses.len(),
        config.content_poll_seconds
    );
    Ok(())
}

/// The public key: `--key`, else the development server's copy in TAPHUAN_DATA_DIR.
fn public_key(key: Option<&std::path::Path>) -> anyhow::Result<String> {
    let path = key.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
        std::path::PathBuf::from(std::env::var("TAPHUAN_DATA_DIR").unwrap_or_else(|_| "data".into()))
            .join("cert-key.pub.pem")
    });
    std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read the public key {}: {e} (use --key PEM)", path.display()))
}

/// `taphuan evidence verify`: no database, no configuration, no network.
fn verify_pack(pack: &std::path::Path, key: Option<&std::path::Path>) -> anyhow::Result<()> {
    let pem = public_key(key)?;
    let bytes = std::fs::read(pack).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", pack.display()))?;
    let v = app::ssr::evidence::verify(&bytes, &pem)
        .map_err(|e| anyhow::anyhow!("{}: NOT VERIFIED — {e}", pack.display()))?;
    let made = chrono::DateTime::from_timestamp(v.manifest.iat, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    println!(
        "verified: evidence pack of {} ({}), made {made}: {} completion(s), {} certificate(s), {} audit link(s){}",
        v.manifest.name,
        v.manifest.sub,
        v.completions,
        v.certificates,
        v.links,
        v.manifest
            .segment_end
            .as_ref()
            .map(|(seq, h)| format!(", segment ending at link {seq} {h}"))
            .unwrap_or_default()
    );
    Ok(())
}

/// `taphuan verify`: needs no database, no configuration and no network.
fn verify(token: &str, key: Option<&std::path::Path>) -> anyhow::Result<()> {
    let pem = public_key(key)?;
    let claims = app::ssr::certs::verify_token(&pem, token).map_err(anyhow::Error::msg)?;
    let today = app::ssr::clock::today();
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
        .map(|t| app::ssr::clock::date_of(t).to_string())
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
            emit(&format!("{}\n", serde_json::to_string_pretty(&pool)?))
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
        ContentCommand::ImportGift {
            file,
            course,
            lesson,
            dir,
        } => {
            use app::domain::import::Destination;
            let dir = dir.clone().unwrap_or_else(|| {
                std::env::var("TAPHUAN_CONTENT_DIR")
                    .unwrap_or_else(|_| "content".into())
                    .into()
            });
            let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let src = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{} is not UTF-8: save it as UTF-8 and import again", file.display()))?;
            let destination = lesson.map_or(Destination::Exam, Destination::Lesson);
            let upload = file.display().to_string();
            match app::ssr::import::import(&dir, &upload, &src, course, destination) {
                Ok(done) => {
                    let mut out = String::new();
                    for q in &done.plan.questions {
                        let text: String = q.text.chars().take(70).collect();
                        out.push_str(&format!(
                            "  + {}: {}\n",
                            q.name.as_deref().unwrap_or_default(),
                            text.replace('\n', " ")
                        ));
                    }
                    out.push_str(&format!(
                        "imported {} question(s) into {}/{} ({} named after the file)\n",
                        done.plan.questions.len(),
                        dir.display(),
                        done.file,
                        done.plan.named
                    ));
                    emit(&out)
                }
                Err(lines) => {
                    for l in &lines {
                        eprintln!("{l}");
                    }
                    anyhow::bail!("nothing imported")
                }
            }
        }
        ContentCommand::Reload { .. } | ContentCommand::Export { .. } => {
            anyhow::bail!("this command needs the database: run it with DATABASE_URL set")
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
            emit(&app::domain::aiken::to_gift(&questions, prefix))
        }
    }
}

/// Writes to stdout. A reader that stops early (`taphuan content answer-key … | head`) is not
/// an error: `print!` would panic on the closed pipe.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// `taphuan user …`.
async fn user(db: &sea_orm::DatabaseConnection, config: &Config, cmd: UserCommand) -> anyhow::Result<()> {
    use app::ssr::accounts::{Purpose, issue_codes};
    use app::ssr::db::entities::{account, agency, person};
    use app::ssr::rights::By;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let find = |name: String| async move {
        let u = Username::parse(&name).map_err(anyhow::Error::msg)?;
        account::Entity::find()
            .filter(account::Column::Username.eq(u.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account {:?}", u.as_str()))
    };
    match cmd {
        UserCommand::List { agency: unit } => {
            let people: std::collections::HashMap<i64, person::Model> = match &unit {
                Some(code) => {
                    let a = agency::Entity::find()
                        .filter(agency::Column::Code.eq(code.as_str()))
                        .one(db)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no agency with code {code:?}"))?;
                    let ids: Vec<i64> = agency::Entity::find()
                        .filter(agency::Column::Path.starts_with(&a.path))
                        .all(db)
                        .await?
                        .into_iter()
                        .map(|a| a.id)
                        .collect();
                    person::Entity::find()
                        .filter(person::Column::AgencyId.is_in(ids))
                        .all(db)
                        .await?
                }
                None => person::Entity::find().all(db).await?,
            }
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
            let mut rights: std::collections::HashMap<String, Vec<String>> = Default::default();
            for g in app::ssr::rights::list(db, By::Cli, None).await? {
                if g.withdrawn.is_none() {
                    rights.entry(g.username.clone()).or_default().push(right_words(&g));
                }
            }
            for a in account::Entity::find()
                .order_by_asc(account::Column::Username)
                .all(db)
                .await?
            {
                let who = a.person_id.and_then(|p| people.get(&p));
                if unit.is_some() && who.is_none() {
                    continue;
                }
                let held = rights.get(&a.username).map(|r| r.join(", "));
                println!(
                    "{}\t{}\t{}\t{}",
                    a.username,
                    held.as_deref().unwrap_or("learner"),
                    who.map_or("-", |p| p.full_name.as_str()),
                    account_state(&a)
                );
            }
            Ok(())
        }
        UserCommand::Show { username } => {
            let a = find(username).await?;
            let who = match a.person_id {
                Some(p) => person::Entity::find_by_id(p).one(db).await?,
                None => None,
            };
            println!("sign-in name: {}", a.username);
            if let Some(p) = who {
                println!("official: {} ({})", p.full_name, p.code);
            }
            println!("rights: learner (every account)");
            for g in app::ssr::rights::list(db, By::Cli, Some(a.id)).await? {
                let by = |who: &Option<String>| who.clone().unwrap_or_else(|| "the command line".into());
                print!(
                    "  {}: granted {} by {} ({})",
                    right_words(&g),
                    app::i18n::fmt_date(g.granted_on),
                    by(&g.granted_by),
                    g.reason
                );
                match &g.withdrawn {
                    Some((who, on, why)) => {
                        println!("; withdrawn {} by {} ({why})", app::i18n::fmt_date(*on), by(who))
                    }
                    None => println!(),
                }
            }
            println!("state: {}", account_state(&a));
            println!("created: {}", a.created_at.format("%d/%m/%Y"));
            use app::ssr::db::entities::sign_in_event;
            let events = sign_in_event::Entity::find()
                .filter(sign_in_event::Column::AccountId.eq(a.id))
                .order_by_desc(sign_in_event::Column::Id)
                .all(db)
                .await?;
            for e in events.iter().take(10) {
                println!(
                    "{}  {}  {}",
                    e.at.format("%d/%m/%Y %H:%M"),
                    match e.outcome.as_str() {
                        "ok" => "signed in",
                        "code" => "password set with a code",
                        "locked" => "locked out (back-off)",
                        o => o,
                    },
                    e.address.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        UserCommand::ResetCode { username } => {
            let a = find(username).await?;
            let issued = issue_codes(db, config, &[a.id], Purpose::Reset, None).await?;
            let (_, code, until) = issued.into_iter().next().expect("one code");
            println!(
                "{}: mã đặt lại {code}, dùng một lần tại /activate, hết hạn {} (mọi phiên đăng nhập cũ đã kết thúc)",
                a.username,
                app::i18n::fmt_date(app::ssr::clock::date_of(until))
            );
            Ok(())
        }
        UserCommand::Disable { username, reason } => {
            let a = find(username).await?;
            if reason.trim().is_empty() {
                anyhow::bail!("--reason is required: why is the account disabled?");
            }
            account::Entity::update_many()
                .col_expr(account::Column::Disabled, Expr::value(true))
                .col_expr(
                    account::Column::DisabledReason,
                    Expr::value(reason.trim().chars().take(32).collect::<String>()),
                )
                .col_expr(
                    account::Column::TokenVersion,
                    Expr::col(account::Column::TokenVersion).add(1),
                )
                .filter(account::Column::Id.eq(a.id))
                .exec(db)
                .await?;
            println!("{}: disabled; every session ended", a.username);
            Ok(())
        }
        UserCommand::Grant(RightArgs {
            username,
            role,
            agency,
            course,
            reason,
        }) => {
            let a = find(username).await?;
            let (role, agency_id) = role_and_agency(db, &role, agency.as_deref()).await?;
            let library = {
                // The library as the nodes serve it: the folder with the editor's publishes.
                let store = std::sync::Arc::new(app::ssr::content::ContentStore::open(&config.content_dir, false));
                store.refresh(db).await?;
                store.get()
            };
            let known = |c: &str| library.library.courses.iter().any(|x| x.id.as_str() == c);
            let g = app::ssr::rights::NewGrant {
                account_id: a.id,
                role,
                agency_id,
                course_id: course,
                reason,
            };
            app::ssr::rights::grant(db, By::Cli, g, known)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", a.username))?;
            println!("{}: {role} granted", a.username);
            Ok(())
        }
        UserCommand::Revoke(RightArgs {
            username,
            role,
            agency,
            course,
            reason,
        }) => {
            let a = find(username).await?;
            let (role, agency_id) = role_and_agency(db, &role, agency.as_deref()).await?;
            let found = app::ssr::rights::find_active(db, a.id, role, agency_id, course.as_deref()).await?;
            let g = match found.as_slice() {
                [g] => g,
                [] => anyhow::bail!(
                    "{} holds no such right: `taphuan user show {}` lists theirs",
                    a.username,
                    a.username
                ),
                _ => anyhow::bail!(
                    "{} holds several {role} rights: name the one with --agency CODE or --course ID",
                    a.username
                ),
            };
            app::ssr::rights::withdraw(db, By::Cli, g.id, &reason)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", a.username))?;
            println!("{}: {role} withdrawn", a.username);
            Ok(())
        }
        UserCommand::Enable { username } => {
            let a = find(username).await?;
            account::Entity::update_many()
                .col_expr(account::Column::Disabled, Expr::value(false))
                .col_expr(account::Column::DisabledReason, Expr::value(Option::<String>::None))
                .filter(account::Column::Id.eq(a.id))
                .exec(db)
                .await?;
            println!("{}: enabled", a.username);
            Ok(())
        }
    }
}

/// A right in words: `manager of Chi cục QLTT`, `trainer of a-khung-phap-ly`, `admin`.
fn right_words(g: &app::domain::identity::GrantView) -> String {
    match (&g.agency, &g.course) {
        (Some(a), _) => format!("{} of {a}", g.role),
        (None, Some(c)) => format!("{} of {c}", g.role),
        (None, None) if g.role == Role::Trainer => "trainer of every course".into(),
        (None, None) => g.role.to_string(),
    }
}

/// A role typed on the command line and the agency `--agency CODE` names.
async fn role_and_agency(
    db: &sea_orm::DatabaseConnection,
    role: &str,
    agency: Option<&str>,
) -> anyhow::Result<(Role, Option<i64>)> {
    use app::ssr::db::entities::agency;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let role =
        Role::parse(role).ok_or_else(|| anyhow::anyhow!("unknown role {role:?}: use trainer, manager or admin"))?;
    let agency_id = match agency {
        Some(code) => Some(
            agency::Entity::find()
                .filter(agency::Column::Code.eq(code.trim()))
                .one(db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no agency with code {code:?}"))?
                .id,
        ),
        None => None,
    };
    Ok((role, agency_id))
}

/// An account's state in words.
fn account_state(a: &app::ssr::db::entities::account::Model) -> String {
    if a.disabled {
        format!("disabled ({})", a.disabled_reason.as_deref().unwrap_or("admin"))
    } else if a.password_hash.is_empty() {
        "waiting for activation".into()
    } else {
        "active".into()
    }
}

/// `taphuan activation-codes --agency CODE --out FILE`.
async fn activation_codes(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    code: &str,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    use app::ssr::accounts::{Purpose, issue_codes, not_yet_activated, slips::Sheet};
    use app::ssr::db::entities::agency;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let unit = agency::Entity::find()
        .filter(agency::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no agency with code {code:?}"))?;
    let slips = not_yet_activated(db, &unit.path).await?;
    let ids: Vec<i64> = slips.iter().map(|s| s.account_id).collect();
    let issued = issue_codes(db, config, &ids, Purpose::Activate, None).await?;
    let n = issued.len();
    let sheet = Sheet {
        unit: unit.name.clone(),
        base: config
            .public_url
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:3000".into()),
        rows: slips
            .into_iter()
            .zip(issued)
            .map(|(s, (_, c, until))| (s, c, until))
            .collect(),
        reset: false,
        // The command line acts for an administrator.
        withheld: 0,
    };
    let bytes = if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("html")) {
        sheet.html().into_bytes()
    } else {
        sheet.xlsx()?
    };
    std::fs::write(out, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    println!("{n} mã kích hoạt cho {} → {}", unit.name, out.display());
    Ok(())
}

/// `--map 'HEADER=column'` flags as header choices; an unknown column is an error that lists
/// the columns.
fn header_choices(map: &[String], labels: &[&str]) -> anyhow::Result<app::domain::roster::HeaderChoices> {
    use app::domain::roster::{IGNORE, fold, header_key};
    let mut out = app::domain::roster::HeaderChoices::new();
    for m in map {
        let Some((h, c)) = m.rsplit_once('=') else {
            anyhow::bail!("--map {m:?}: write --map 'HEADER=column', e.g. --map 'Thẩm quyền=nhiệm vụ thực thi'");
        };
        let c = c.trim();
        let label = if c == IGNORE || c.is_empty() {
            IGNORE.to_string()
        } else {
            labels
                .iter()
                .find(|l| fold(l) == fold(c))
                .map(|l| l.to_string())
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--map {m:?}: no column {c:?}; the columns are: {}, or - to skip",
                        labels.join(", ")
                    )
                })?
        };
        out.insert(header_key(h), label);
    }
    Ok(out)
}

/// How every header that is not a known name was read, one line each.
pub fn column_lines(file: &std::path::Path, columns: &[app::domain::roster::HeaderMatch]) -> Vec<String> {
    use app::domain::roster::HowMatched;
    columns
        .iter()
        .filter_map(|c| {
            let how = match c.how {
                HowMatched::Inferred => "đoán theo tên cột (inferred)",
                HowMatched::Chosen if c.label.is_none() => "bỏ qua theo --map (skipped)",
                HowMatched::Chosen => "theo --map",
                _ => return None,
            };
            Some(format!(
                "{}: cột {} \"{}\" → {} — {how}",
                file.display(),
                c.column,
                c.header,
                c.label.as_deref().unwrap_or("-")
            ))
        })
        .collect()
}

fn print_columns(file: &std::path::Path, columns: &[app::domain::roster::HeaderMatch]) {
    for l in column_lines(file, columns) {
        println!("{l}");
    }
}

/// After errors: how to name the column of an unknown or ambiguous header.
fn print_map_hint(columns: &[app::domain::roster::HeaderMatch], labels: &[&str]) {
    use app::domain::roster::HowMatched;
    for c in columns.iter().filter(|c| c.how == HowMatched::Unknown) {
        let choices = if c.candidates.is_empty() {
            labels.join(", ")
        } else {
            c.candidates.join(", ")
        };
        println!(
            "  cột \"{}\": chọn một trong {choices}, hoặc - để bỏ qua — thêm --map '{}=<cột>'",
            c.header, c.header
        );
    }
}

/// What `taphuan import-roster` was asked to do.
pub struct ImportOptions<'a> {
    pub apply: bool,
    pub scope: Option<&'a str>,
    pub effective: Option<chrono::NaiveDate>,
    pub mode: app::domain::roster::ImportMode,
    pub confirm_leavers: Option<usize>,
    pub choices: &'a app::domain::roster::HeaderChoices,
}

/// `taphuan import-roster`: prints the plan (or the errors) and applies it when asked. Returns
/// 1 when the file has errors.
pub async fn import_roster(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    opts: ImportOptions<'_>,
) -> anyhow::Result<i32> {
    let ImportOptions {
        apply,
        scope,
        effective,
        mode,
        confirm_leavers,
        choices,
    } = opts;
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
    let plan = app::ssr::roster::plan(db, &bytes, scope.as_ref(), today, mode, choices).await?;
    print_columns(file, &plan.columns);
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
        print_map_hint(&plan.columns, &app::domain::roster::roster_labels());
        print!("{}", plan.summary());
        if plan.applicable() {
            println!("(xem trước — thêm --apply để áp dụng)");
        }
        return Ok(if plan.errors.is_empty() { 0 } else { 1 });
    }
    let (applied, plan) = app::ssr::roster::apply(db, &bytes, scope.as_ref(), today, mode, choices, None).await?;
    for e in &plan.errors {
        println!("{}: {e}", file.display());
    }
    print_map_hint(&plan.columns, &app::domain::roster::roster_labels());
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

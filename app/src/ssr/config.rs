//! One typed configuration, read from the environment once at start-up. Every key is documented
//! in `.env.example`. Development gets safe defaults (a SQLite file under `data/`, a signing
//! secret generated once and kept under `data/`); production refuses to start without a real one.

use std::path::{Path, PathBuf};

/// Where the server runs: development is forgiving, production is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// The whole configuration of a Taphuan node.
#[derive(Clone)]
pub struct Config {
    pub env: Environment,
    /// `sqlite://…` (default, embedded) or `postgres://…`.
    pub database_url: String,
    /// Maximum pooled database connections.
    pub db_max_connections: u32,
    /// Writable folder for the SQLite file and the development secret.
    pub data_dir: PathBuf,
    /// The course library (Markdown + GIFT).
    pub content_dir: PathBuf,
    /// HMAC key for session tokens (HS256). At least 32 bytes.
    pub jwt_secret: Vec<u8>,
    /// How long a session lasts.
    pub session_hours: i64,
    /// How long an activation or reset code works (`TAPHUAN_CODE_DAYS`, default 30).
    pub code_days: i64,
    /// The SMTP relay reminders are e-mailed through (`TAPHUAN_SMTP_URL`, `smtp://host:port`);
    /// none = reminders are shown in the app only.
    pub smtp_url: Option<String>,
    /// The sender of reminder e-mails (`TAPHUAN_MAIL_FROM`).
    pub mail_from: String,
    /// Minutes between runs of the reminder job (`TAPHUAN_REMINDER_MINUTES`, default 60; 0 = off).
    pub reminder_minutes: u64,
    /// Seconds between looks for a content reload request (`TAPHUAN_CONTENT_POLL_SECONDS`,
    /// default 10; 0 = off): `taphuan content reload` reaches every node within this.
    pub content_poll_seconds: u64,
    /// Mark the session cookie `Secure` (needs HTTPS).
    pub cookie_secure: bool,
    /// Seed the demo province when the database is empty.
    pub seed_demo: bool,
    /// Show the "demo data" banner.
    pub demo_banner: bool,
    /// Ed25519 private key (PKCS#8 PEM) that signs certificates.
    pub cert_private_key_pem: String,
    /// The address people reach the site at, for the verify link in a certificate's QR code
    /// (`https://taphuan.example`); `None` = taken from the request's Host header.
    pub public_url: Option<String>,
    /// The zone every date a person sees or a record carries is computed in (`ssr::clock`).
    pub time_zone: chrono::FixedOffset,
    /// Read the client's address from `X-Forwarded-For`'s last hop (behind a reverse proxy)
    /// instead of the TCP peer, for sign-in throttling and rate limits.
    pub trust_forwarded_for: bool,
    /// TEST/DEV ONLY: replaces every exam's cooldown after a failed attempt (0 = none), so a
    /// browser test can fail and retry at once. Never set it in production.
    pub exam_cooldown_override_minutes: Option<u32>,
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("TAPHUAN_JWT_SECRET must be set (at least 32 bytes) when TAPHUAN_ENV=production")]
    MissingSecret,
    #[error("TAPHUAN_JWT_SECRET is too short: use at least 32 bytes (e.g. `openssl rand -hex 32`)")]
    ShortSecret,
    #[error(
        "TAPHUAN_PUBLIC_URL must be set when TAPHUAN_ENV=production (e.g. https://taphuan.gialai.gov.vn): certificate verify links must not follow a request's Host header"
    )]
    MissingPublicUrl,
    #[error("{key} has an invalid value {value:?}: {hint}")]
    Invalid {
        key: &'static str,
        value: String,
        hint: &'static str,
    },
    #[error(
        "TAPHUAN_CERT_PRIVATE_KEY_PEM or TAPHUAN_CERT_PRIVATE_KEY_FILE must be set when TAPHUAN_ENV=production (an Ed25519 key: `openssl genpkey -algorithm ed25519`)"
    )]
    MissingCertKey,
    #[error("cannot read the certificate key {path}: {source}")]
    CertKeyFile { path: String, source: std::io::Error },
    #[error("cannot use the data folder {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("env", &self.env)
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("content_dir", &self.content_dir)
            .field("jwt_secret", &"***")
            .finish_non_exhaustive()
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = match get("TAPHUAN_ENV").as_deref().map(str::trim) {
            None | Some("") | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    key: "TAPHUAN_ENV",
                    value: other.into(),
                    hint: "use `development` or `production`",
                });
            }
        };
        let data_dir = PathBuf::from(get("TAPHUAN_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("taphuan.db").display()));
        let db_max_connections = parse_num(&get, "TAPHUAN_DB_MAX_CONNECTIONS", 8)?;
        let session_hours = parse_num(&get, "TAPHUAN_SESSION_HOURS", 12)?;
        let code_days = parse_num(&get, "TAPHUAN_CODE_DAYS", 30)?;
        let smtp_url = get("TAPHUAN_SMTP_URL").filter(|s| !s.trim().is_empty());
        let mail_from = get("TAPHUAN_MAIL_FROM")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "Taphuan <taphuan@localhost>".into());
        let reminder_minutes = parse_num(&get, "TAPHUAN_REMINDER_MINUTES", 60)?;
        let content_poll_seconds = parse_num(&get, "TAPHUAN_CONTENT_POLL_SECONDS", 10)?;
        let content_dir = PathBuf::from(get("TAPHUAN_CONTENT_DIR").unwrap_or_else(|| "content".into()));
        let bool_of = |k: &'static str, default: bool| -> Result<bool, ConfigError> {
            match get(k).as_deref().map(str::trim) {
                None | Some("") => Ok(default),
                Some("1" | "true" | "yes") => Ok(true),
                Some("0" | "false" | "no") => Ok(false),
                Some(v) => Err(ConfigError::Invalid {
                    key: k,
                    value: v.into(),
                    hint: "use true or false",
                }),
            }
        };
        let production = env == Environment::Production;
        let jwt_secret = match get("TAPHUAN_JWT_SECRET").filter(|s| !s.is_empty()) {
            Some(s) if s.len() < 32 => return Err(ConfigError::ShortSecret),
            Some(s) => s.into_bytes(),
            None if production => return Err(ConfigError::MissingSecret),
            None => dev_secret(&data_dir)?,
        };
        let cert_private_key_pem = match (
            get("TAPHUAN_CERT_PRIVATE_KEY_PEM").filter(|s| !s.trim().is_empty()),
            get("TAPHUAN_CERT_PRIVATE_KEY_FILE").filter(|s| !s.trim().is_empty()),
        ) {
            (Some(pem), _) => pem.replace("\\n", "\n"),
            (None, Some(file)) => std::fs::read_to_string(&file).map_err(|source| ConfigError::CertKeyFile {
                path: file.clone(),
                source,
            })?,
            (None, None) if production => return Err(ConfigError::MissingCertKey),
            (None, None) => dev_cert_key(&data_dir)?,
        };
        let exam_cooldown_override_minutes = match get("TAPHUAN_EXAM_COOLDOWN_OVERRIDE_MINUTES") {
            Some(v) if !v.trim().is_empty() => Some(parse_num(&get, "TAPHUAN_EXAM_COOLDOWN_OVERRIDE_MINUTES", 0u32)?),
            _ => None,
        };
        if production && exam_cooldown_override_minutes.is_some() {
            tracing::warn!(
                "TAPHUAN_EXAM_COOLDOWN_OVERRIDE_MINUTES is set in production: exam cooldowns are overridden"
            );
        }
        let public_url = get("TAPHUAN_PUBLIC_URL")
            .map(|s| s.trim().trim_end_matches('/').to_string())
            .filter(|s| !s.is_empty());
        match &public_url {
            Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
                return Err(ConfigError::Invalid {
                    key: "TAPHUAN_PUBLIC_URL",
                    value: u.clone(),
                    hint: "write the full address, e.g. https://taphuan.gialai.gov.vn",
                });
            }
            None if production => return Err(ConfigError::MissingPublicUrl),
            _ => {}
        }
        let zone_name = get("TAPHUAN_TIME_ZONE").unwrap_or_default();
        let time_zone = super::clock::parse_zone(&zone_name).ok_or_else(|| ConfigError::Invalid {
            key: "TAPHUAN_TIME_ZONE",
            value: zone_name.clone(),
            hint: "use Asia/Ho_Chi_Minh (the default), UTC, or an offset such as +07:00",
        })?;
        Ok(Config {
            cert_private_key_pem,
            public_url,
            time_zone,
            trust_forwarded_for: bool_of("TAPHUAN_TRUST_FORWARDED_FOR", false)?,
            exam_cooldown_override_minutes,
            env,
            database_url,
            db_max_connections,
            data_dir,
            content_dir,
            jwt_secret,
            session_hours,
            code_days,
            smtp_url,
            mail_from,
            reminder_minutes,
            content_poll_seconds,
            cookie_secure: bool_of("TAPHUAN_COOKIE_SECURE", production)?,
            seed_demo: bool_of("TAPHUAN_SEED_DEMO", !production)?,
            demo_banner: bool_of("TAPHUAN_DEMO_BANNER", !production)?,
        })
    }

    /// A configuration for tests: the given database, a fixed secret, nothing on disk.
    pub fn for_tests(database_url: &str) -> Config {
        Config {
            env: Environment::Development,
            database_url: database_url.to_string(),
            db_max_connections: 4,
            data_dir: std::env::temp_dir(),
            content_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../content")),
            jwt_secret: b"test-secret-test-secret-test-secret!".to_vec(),
            session_hours: 12,
            code_days: 30,
            smtp_url: None,
            mail_from: "Taphuan <taphuan@localhost>".into(),
            reminder_minutes: 0,
            content_poll_seconds: 0,
            cookie_secure: false,
            seed_demo: false,
            demo_banner: true,
            cert_private_key_pem: super::certs::generate_private_pem(),
            public_url: None,
            time_zone: super::clock::parse_zone("").expect("the default zone"),
            trust_forwarded_for: false,
            exam_cooldown_override_minutes: None,
        }
    }

    /// The key that draws the opaque choice ids of a lesson's knowledge check (see
    /// `domain::grading::public_view`): from the signing secret and the question's content hash,
    /// so it is the same when the page is drawn and when the check is answered, on every node.
    pub fn check_key(&self, question_hash: &str) -> u64 {
        let d = self.keyed_digest("taphuan-check-ids", question_hash.as_bytes());
        u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
    }

    /// SHA-256 of a purpose tag, the signing secret and `data`: the one keyed hash for values
    /// derived from the secret (knowledge-check ids, one-time codes), each under its own tag.
    pub fn keyed_digest(&self, tag: &str, data: &[u8]) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(tag.as_bytes());
        h.update(b"\0");
        h.update(&self.jwt_secret);
        h.update(data);
        let mut out = [0u8; 32];
        out.copy_from_slice(&h.finalize());
        out
    }
}

/// Makes an existing secret file readable by its owner only (files written by older versions).
fn restrict(path: &Path) {
    #[cfg(unix)]
    if let Err(e) = std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)) {
        tracing::warn!(error = %e, path = %path.display(), "cannot make a secret file private");
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Writes a secret file readable by its owner only (0600 on Unix): the development signing
/// secret and certificate key must not be world-readable.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        // An older file keeps its mode on open: set it again.
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        f.write_all(contents.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, contents)
    }
}

fn parse_num<N: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    key: &'static str,
    default: N,
) -> Result<N, ConfigError> {
    match get(key) {
        None => Ok(default),
        Some(v) if v.trim().is_empty() => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
            key,
            value: v,
            hint: "use a whole number",
        }),
    }
}

/// In development the signing secret is generated once and kept in `data/dev-secret`, so
/// sessions survive restarts without anyone configuring anything.
fn dev_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let io = |source| ConfigError::DataDir {
        path: data_dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let path = data_dir.join("dev-secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= 32
    {
        restrict(&path);
        return Ok(existing.trim().as_bytes().to_vec());
    }
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret).map_err(io)?;
    Ok(secret.into_bytes())
}

/// In development the certificate signing key is generated once into `data/cert-key.pem` (and
/// its public half into `data/cert-key.pub.pem`, for `taphuan verify`).
fn dev_cert_key(data_dir: &Path) -> Result<String, ConfigError> {
    let io = |source| ConfigError::DataDir {
        path: data_dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let path = data_dir.join("cert-key.pem");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.contains("PRIVATE KEY")
    {
        restrict(&path);
        return Ok(existing);
    }
    let pem = super::certs::generate_private_pem();
    write_private(&path, &pem).map_err(io)?;
    if let Ok(public) = super::certs::public_pem_from_private(&pem) {
        std::fs::write(data_dir.join("cert-key.pub.pem"), public).map_err(io)?;
    }
    Ok(pem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn production_refuses_to_start_without_a_real_secret() {
        assert!(matches!(
            cfg(&[("TAPHUAN_ENV", "production")]),
            Err(ConfigError::MissingSecret)
        ));
        assert!(matches!(
            cfg(&[("TAPHUAN_ENV", "production"), ("TAPHUAN_JWT_SECRET", "short")]),
            Err(ConfigError::ShortSecret)
        ));
        let key = crate::ssr::certs::generate_private_pem();
        assert!(matches!(
            cfg(&[("TAPHUAN_ENV", "production"), ("TAPHUAN_JWT_SECRET", &"x".repeat(40))]),
            Err(ConfigError::MissingCertKey)
        ));
        // Verify links must not follow a request's Host header in production.
        assert!(matches!(
            cfg(&[
                ("TAPHUAN_ENV", "production"),
                ("TAPHUAN_JWT_SECRET", &"x".repeat(40)),
                ("TAPHUAN_CERT_PRIVATE_KEY_PEM", &key),
            ]),
            Err(ConfigError::MissingPublicUrl)
        ));
        let ok = cfg(&[
            ("TAPHUAN_ENV", "production"),
            ("TAPHUAN_JWT_SECRET", &"x".repeat(40)),
            ("TAPHUAN_CERT_PRIVATE_KEY_PEM", &key),
            ("TAPHUAN_PUBLIC_URL", "https://taphuan.example/"),
        ])
        .unwrap();
        assert!(ok.cookie_secure && !ok.seed_demo);
        assert_eq!(ok.public_url.as_deref(), Some("https://taphuan.example"));
    }

    #[test]
    fn development_generates_a_secret_once_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("taphuan-cfg-{}", std::process::id()));
        let d = dir.display().to_string();
        let a = cfg(&[("TAPHUAN_DATA_DIR", &d)]).unwrap();
        let b = cfg(&[("TAPHUAN_DATA_DIR", &d)]).unwrap();
        assert_eq!(a.jwt_secret, b.jwt_secret);
        assert!(a.jwt_secret.len() >= 32);
        #[cfg(unix)]
        for f in ["dev-secret", "cert-key.pem"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{f} must be readable by its owner only");
        }
        assert!(a.database_url.starts_with("sqlite://"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_bad_value_names_the_key() {
        let e = cfg(&[
            ("TAPHUAN_SESSION_HOURS", "twelve"),
            ("TAPHUAN_JWT_SECRET", &"x".repeat(40)),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("TAPHUAN_SESSION_HOURS"));
        let e = cfg(&[
            ("TAPHUAN_TIME_ZONE", "Mars/Olympus"),
            ("TAPHUAN_JWT_SECRET", &"x".repeat(40)),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("TAPHUAN_TIME_ZONE"));
        assert_eq!(redact_url("postgres://u:p@h/db"), "postgres://***@h/db");
    }
}

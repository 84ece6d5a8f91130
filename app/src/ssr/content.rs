//! The loaded course library on the server. Content is compiled (parsed, checked, rendered,
//! hashed) once when it is loaded, never per page view. In development a page view first asks
//! whether any file under `content/` changed (one `stat` per file) and reloads if so, so an
//! edited lesson shows on refresh; in production it is loaded once at start.
//!
//! Every version that is loaded is recorded in `content_versions`, so a completion that stores a
//! course hash can later say exactly what the official passed.

use crate::domain::content::{Diagnostic, Library, fs::read_content_dir, load_library};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// One compiled snapshot of the library.
pub struct Loaded {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    fingerprint: Fingerprint,
}

impl Loaded {
    /// Number of errors (warnings excluded).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The library as the server serves it.
pub struct ContentStore {
    dir: PathBuf,
    watch: bool,
    current: RwLock<Arc<Loaded>>,
}

impl ContentStore {
    /// Loads `dir` now. `watch` = reload when files change (development).
    pub fn open(dir: &Path, watch: bool) -> ContentStore {
        let loaded = load_dir(dir);
        log_diagnostics(dir, &loaded);
        ContentStore {
            dir: dir.to_path_buf(),
            watch,
            current: RwLock::new(Arc::new(loaded)),
        }
    }

    /// The current snapshot (reloaded first if watching and a file changed).
    pub fn get(&self) -> Arc<Loaded> {
        if self.watch {
            let fp = fingerprint(&self.dir);
            let stale = self.current.read().map(|c| c.fingerprint != fp).unwrap_or(true);
            if stale {
                let loaded = load_dir(&self.dir);
                log_diagnostics(&self.dir, &loaded);
                if let Ok(mut w) = self.current.write() {
                    *w = Arc::new(loaded);
                }
            }
        }
        self.current
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// The folder the library is read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn load_dir(dir: &Path) -> Loaded {
    let fingerprint = fingerprint(dir);
    match read_content_dir(dir) {
        Ok(files) => {
            let (library, diagnostics) = load_library(&files);
            Loaded {
                library,
                diagnostics,
                fingerprint,
            }
        }
        Err(e) => {
            tracing::error!(dir = %dir.display(), error = %e, "cannot read the content folder");
            Loaded {
                library: Library::default(),
                diagnostics: vec![],
                fingerprint,
            }
        }
    }
}

fn log_diagnostics(dir: &Path, loaded: &Loaded) {
    for d in &loaded.diagnostics {
        if d.is_error() {
            tracing::error!("{}/{d}", dir.display());
        } else {
            tracing::warn!("{}/{d}", dir.display());
        }
    }
    tracing::info!(
        courses = loaded.library.courses.len(),
        errors = loaded.error_count(),
        "course library loaded from {}",
        dir.display()
    );
}

fn fingerprint(dir: &Path) -> Fingerprint {
    fn walk(dir: &Path, out: &mut Fingerprint) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => walk(&p, out),
                Ok(m) => out.push((p, m.len(), m.modified().ok())),
                Err(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Records every course, lesson, exam and question version of `library` that the database has
/// not seen yet (idempotent: the unique index makes re-recording a no-op).
pub async fn record_versions(db: &impl ConnectionTrait, library: &Library) -> Result<usize, DbErr> {
    use super::db::entities::content_version as cv;
    use sea_orm::ActiveValue::Set;
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    let mut push = |kind: &str, course: &str, key: String, hash: &str, title: &str| {
        rows.push(cv::ActiveModel {
            kind: Set(kind.into()),
            course_id: Set(course.into()),
            item_key: Set(key),
            hash: Set(hash.into()),
            title: Set(title.into()),
            first_seen_at: Set(now),
            ..Default::default()
        });
    };
    for c in &library.courses {
        let id = c.id.as_str();
        push("course", id, String::new(), &c.hash, &c.meta.title);
        for l in &c.lessons {
            push("lesson", id, l.number.to_string(), &l.hash, &l.title);
            for q in &l.checks {
                push("question", id, q.name().to_string(), &q.hash, "");
            }
        }
        if let Some(e) = &c.exam {
            push("exam", id, String::new(), &e.hash, &e.settings.title);
            for q in &e.pool {
                push("question", id, q.name().to_string(), &q.hash, "");
            }
        }
    }
    let n = rows.len();
    for chunk in rows.chunks(100) {
        cv::Entity::insert_many(chunk.to_vec())
            .on_conflict_do_nothing_on([
                cv::Column::Kind,
                cv::Column::CourseId,
                cv::Column::ItemKey,
                cv::Column::Hash,
            ])
            .exec(db)
            .await?;
    }
    Ok(n)
}

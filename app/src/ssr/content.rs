//! The loaded course library on the server. Content is compiled (parsed, checked, rendered,
//! hashed) once when it is loaded, never per page view. In development a page view first asks
//! whether any file under `content/` changed (one `stat` per file) and reloads if so, so an
//! edited lesson shows on refresh; in production it is loaded once at start.
//!
//! The library is the content folder with the browser editor's publishes laid over it
//! (`domain::content::publish::assemble`: a publish stands until its course's folder changes).
//! The publishes live in the database, so every node serves the same courses.
//!
//! Every version that is loaded is recorded in `content_versions`, so a completion that stores a
//! course hash can later say exactly what the official passed.

use crate::domain::content::publish::{Origins, Overlay, assemble};
use crate::domain::content::{Diagnostic, Library, SourceFile, fs::read_content_dir, load_library};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// One compiled snapshot of the library.
pub struct Loaded {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    /// The files it was compiled from (the folder with the editor's publishes laid over it).
    pub files: Vec<SourceFile>,
    /// Which courses come from an editor publish, and each folder's hash.
    pub origins: Origins,
    fingerprint: Fingerprint,
}

impl Loaded {
    /// Number of errors (warnings excluded).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The files of one course folder (paths from the content root).
    pub fn course_files(&self, course: &str) -> Vec<SourceFile> {
        let prefix = format!("{course}/");
        self.files
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .cloned()
            .collect()
    }
}

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The library as the server serves it.
pub struct ContentStore {
    dir: PathBuf,
    watch: bool,
    current: RwLock<Arc<Loaded>>,
    /// The editor's newest publish of each course, as last read from the database.
    overlays: RwLock<Arc<Vec<Overlay>>>,
    /// The newest reload request (`content_reloads.id`) this copy has answered.
    generation: AtomicI64,
}

impl ContentStore {
    /// Loads `dir` now (no publishes yet: [`ContentStore::refresh`] reads them). `watch` = reload
    /// when files change (development).
    pub fn open(dir: &Path, watch: bool) -> ContentStore {
        let loaded = load_dir(dir, &[]);
        log_diagnostics(dir, &loaded);
        ContentStore {
            dir: dir.to_path_buf(),
            watch,
            current: RwLock::new(Arc::new(loaded)),
            overlays: RwLock::new(Arc::new(Vec::new())),
            generation: AtomicI64::new(0),
        }
    }

    /// Reads the editor's publishes from the database and then the folder again (see
    /// [`ContentStore::reload`]). Returns the number of errors found.
    pub async fn refresh(self: &Arc<Self>, db: &impl ConnectionTrait) -> Result<usize, DbErr> {
        let overlays = read_overlays(db).await?;
        if let Ok(mut w) = self.overlays.write() {
            *w = Arc::new(overlays);
        }
        let store = self.clone();
        Ok(tokio::task::spawn_blocking(move || store.reload()).await.unwrap_or(1))
    }

    /// Reads the folder again and serves it, unless it has errors: then the errors are logged
    /// and the library served so far stays (a half-copied release must not empty the courses).
    /// Returns the number of errors found.
    pub fn reload(&self) -> usize {
        let loaded = load_dir(&self.dir, &self.overlays());
        log_diagnostics(&self.dir, &loaded);
        let errors = loaded.error_count();
        if errors == 0
            && let Ok(mut w) = self.current.write()
        {
            *w = Arc::new(loaded);
        }
        errors
    }

    fn overlays(&self) -> Arc<Vec<Overlay>> {
        self.overlays
            .read()
            .map(|o| o.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// The newest reload request this copy has answered.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Notes that this copy is as new as reload request `g`.
    pub fn set_generation(&self, g: i64) {
        self.generation.store(g, Ordering::SeqCst);
    }

    /// The current snapshot (reloaded first if watching and a file changed).
    pub fn get(&self) -> Arc<Loaded> {
        if self.watch {
            let fp = fingerprint(&self.dir);
            let stale = self.current.read().map(|c| c.fingerprint != fp).unwrap_or(true);
            if stale {
                let loaded = load_dir(&self.dir, &self.overlays());
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

/// The files of the library as a node serves it: the folder with the editor's publishes laid
/// over it (for `taphuan content export`).
pub async fn assembled(db: &impl ConnectionTrait, dir: &Path) -> anyhow::Result<(Vec<SourceFile>, Origins)> {
    let overlays = read_overlays(db).await?;
    let disk = read_content_dir(dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    Ok(assemble(disk, &overlays))
}

/// The editor's newest publish of each course, with its folder.
async fn read_overlays(db: &impl ConnectionTrait) -> Result<Vec<Overlay>, DbErr> {
    use super::db::entities::{content_publish as cp, content_publish_file as cpf};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::BTreeMap;
    let rows: Vec<(i64, String, String)> = cp::Entity::find()
        .select_only()
        .columns([cp::Column::Id, cp::Column::CourseId, cp::Column::BasedOn])
        .order_by_asc(cp::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let newest: BTreeMap<String, (i64, String)> = rows.into_iter().map(|(id, c, b)| (c, (id, b))).collect();
    let mut out = Vec::new();
    for (course_id, (publish_id, based_on)) in newest {
        let files = cpf::Entity::find()
            .filter(cpf::Column::PublishId.eq(publish_id))
            .order_by_asc(cpf::Column::Path)
            .all(db)
            .await?
            .into_iter()
            .map(|f| SourceFile::new(f.path, f.bytes))
            .collect();
        out.push(Overlay {
            course_id,
            publish_id,
            based_on,
            files,
        });
    }
    Ok(out)
}

fn load_dir(dir: &Path, overlays: &[Overlay]) -> Loaded {
    let fingerprint = fingerprint(dir);
    let disk = match read_content_dir(dir) {
        Ok(files) => files,
        Err(e) => {
            tracing::error!(dir = %dir.display(), error = %e, "cannot read the content folder");
            return Loaded {
                library: Library::default(),
                diagnostics: vec![],
                files: vec![],
                origins: Origins::default(),
                fingerprint,
            };
        }
    };
    let (mut files, mut origins) = assemble(disk.clone(), overlays);
    let (mut library, mut diagnostics) = load_library(&files);
    // A publish that does not load (a later checker refuses what an earlier one let through)
    // gives way to its course's folder, so one course cannot stop the library from loading.
    let broken: Vec<String> = origins
        .published
        .keys()
        .filter(|c| {
            diagnostics
                .iter()
                .any(|d| d.is_error() && d.file.starts_with(&format!("{c}/")))
        })
        .cloned()
        .collect();
    if !broken.is_empty() {
        let kept: Vec<Overlay> = overlays
            .iter()
            .filter(|o| !broken.contains(&o.course_id))
            .cloned()
            .collect();
        let refused: Vec<(String, i64)> = broken
            .iter()
            .filter_map(|c| origins.published.get(c).map(|id| (c.clone(), *id)))
            .collect();
        (files, origins) = assemble(disk, &kept);
        for (course, publish) in refused {
            tracing::error!(
                course,
                publish,
                "a publish from the editor has errors: serving the course's folder"
            );
            origins.refused.insert(course, publish);
        }
        (library, diagnostics) = load_library(&files);
    }
    for (course, publish) in &origins.superseded {
        tracing::warn!(
            course,
            publish,
            "the course's folder changed after its last publish from the editor: serving the folder"
        );
    }
    Loaded {
        library,
        diagnostics,
        files,
        origins,
        fingerprint,
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
    let now = crate::ssr::clock::now();
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

/// The newest reload request in the database (0 if none).
pub async fn latest_reload(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    use super::db::entities::content_reload as cr;
    use sea_orm::{QueryOrder, QuerySelect};
    let newest: Option<i64> = cr::Entity::find()
        .select_only()
        .column(cr::Column::Id)
        .order_by_desc(cr::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.unwrap_or(0))
}

/// Asks every node on this database to read its course library again; returns the request's
/// number.
pub async fn request_reload(db: &impl ConnectionTrait, note: &str) -> Result<i64, DbErr> {
    use super::db::entities::content_reload as cr;
    use sea_orm::ActiveValue::Set;
    let row = cr::ActiveModel {
        requested_at: Set(crate::ssr::clock::now()),
        note: Set(note.chars().take(500).collect()),
        ..Default::default()
    };
    Ok(cr::Entity::insert(row).exec(db).await?.last_insert_id)
}

/// Looks for a new reload request every `every` and answers it: reads the files again (off the
/// async threads), records the versions it now serves, and notes the request as answered. This
/// is how several nodes on one database change library together.
pub fn follow_reloads(state: super::state::AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let latest = match latest_reload(&state.db).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read content reload requests");
                    continue;
                }
            };
            if latest <= state.content.generation() {
                continue;
            }
            let errors = match state.content.refresh(&state.db).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the editor's publishes");
                    continue;
                }
            };
            if errors > 0 {
                tracing::error!(
                    request = latest,
                    errors,
                    "content reload refused: the library has errors; still serving the previous one"
                );
            } else if let Err(e) = record_versions(&state.db, &state.content.get().library).await {
                tracing::error!(error = %e, "cannot record the reloaded content versions");
                continue;
            } else {
                tracing::info!(request = latest, "course library reloaded on request");
            }
            state.content.set_generation(latest);
        }
    });
}

/// `GET /content/{course}/{*path}`: an asset of a course (an image in a lesson, a PDF), as the
/// authoring contract promises. Only a path the loader listed as the course's asset is served,
/// so `..`, absolute paths and `.md` sources cannot be reached; the ETag is the file's content
/// hash, so a browser revalidates cheaply and a changed file is never served stale. A served
/// file runs nothing: `headers::security_headers` gives it a sandboxing policy (an SVG opened
/// directly cannot run script).
#[tracing::instrument(name = "form", skip_all, fields(handler = "asset"))]
pub async fn asset(
    axum::extract::State(state): axum::extract::State<super::state::AppState>,
    axum::extract::Path((course, path)): axum::extract::Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let loaded = state.content.get();
    let Some(hash) = loaded
        .library
        .course(&course)
        .and_then(|c| c.assets.get(&path))
        .cloned()
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", &hash[..32.min(hash.len())]);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    // The bytes the loader read (from the folder, or from an editor publish).
    let full = format!("{course}/{path}");
    let Some(bytes) = loaded.files.iter().find(|f| f.path == full).map(|f| f.bytes.clone()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let mime = match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // A day, then revalidated by ETag (the URL has no hash in it; the content may change).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    res
}

/// Course titles by id, from the current library.
pub fn titles(state: &super::state::AppState) -> std::collections::HashMap<String, String> {
    state
        .content
        .get()
        .library
        .courses
        .iter()
        .map(|c| (c.id.to_string(), c.meta.title.clone()))
        .collect()
}

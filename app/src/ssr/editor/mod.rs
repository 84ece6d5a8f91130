//! The browser editor's storage: drafts saved as a trainer types, and publishing a course — the
//! same checker as the files, a new version in the database that every node serves, what
//! changed, and who was certified on an earlier version.

pub mod web;

use std::collections::BTreeMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::OnConflict,
};

use super::db::entities::{content_draft as cd, content_publish as cp, content_publish_file as cpf};
use super::state::AppState;
use crate::domain::content::publish::{Changes, changes, with_drafts};
use crate::domain::content::{Diagnostic, load_library};

/// The largest file the editor saves (a lesson is 5–30 KB).
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

/// Whether `path` may be a draft of `course`: a Markdown file directly in the course's folder,
/// with a plain name (letters, digits, `-`, `.`), not hidden.
pub fn valid_draft_path(course: &str, path: &str) -> bool {
    let Some(name) = path.strip_prefix(course).and_then(|p| p.strip_prefix('/')) else {
        return false;
    };
    !course.is_empty()
        && course
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.len() <= 120
        && name.ends_with(".md")
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

/// A draft as saved: the path of `name` in `course` and its text with LF line ends (a browser
/// posts a textarea with CRLF), or why it cannot be one.
pub fn checked_draft(course: &str, name: &str, text: &str) -> Result<(String, String), &'static str> {
    let path = format!("{course}/{name}");
    if !valid_draft_path(course, &path) {
        return Err("Tên tệp không hợp lệ: chỉ chữ, số, dấu - và phần mở rộng .md.");
    }
    if text.len() > MAX_DRAFT_BYTES {
        return Err("Tệp quá lớn: tối đa 256 KB.");
    }
    Ok((path, text.replace("\r\n", "\n")))
}

/// The text drafts of a course: path → text.
pub async fn drafts_of(db: &impl ConnectionTrait, course: &str) -> Result<BTreeMap<String, String>, DbErr> {
    Ok(cd::Entity::find()
        .filter(cd::Column::CourseId.eq(course))
        .filter(cd::Column::Bytes.is_null())
        .order_by_asc(cd::Column::Path)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.path, d.text))
        .collect())
}

/// Every draft of a course, text and images: path → bytes (what `with_drafts` lays over it).
pub async fn draft_files(db: &impl ConnectionTrait, course: &str) -> Result<BTreeMap<String, Vec<u8>>, DbErr> {
    Ok(cd::Entity::find()
        .filter(cd::Column::CourseId.eq(course))
        .order_by_asc(cd::Column::Path)
        .all(db)
        .await?
        .into_iter()
        .map(draft_bytes)
        .collect())
}

fn draft_bytes(d: cd::Model) -> (String, Vec<u8>) {
    match d.bytes {
        Some(b) => (d.path, b),
        None => (d.path, d.text.into_bytes()),
    }
}

/// The largest image the editor takes.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// An uploaded image as saved: its path in the course's `images/` folder (a plain name from the
/// uploaded one, the extension from the bytes themselves), or why it is refused. PNG, JPEG, GIF
/// and WebP only: an SVG can carry script.
pub fn checked_image(course: &str, file_name: &str, bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err("Ảnh quá lớn: tối đa 2 MB.");
    }
    let ext = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "jpg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "gif"
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "webp"
    } else {
        return Err("Chỉ nhận ảnh PNG, JPEG, GIF hoặc WebP (không nhận SVG).");
    };
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    // Vietnamese-aware (`Sơ đồ.png` → `so-do.png`), then plain ASCII.
    let name: String = crate::domain::content::render::slugify(stem)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    let name = match name.trim_matches('-') {
        "" | "muc" => "hinh".to_string(),
        n => n.to_string(),
    };
    Ok(format!("{course}/images/{name}.{ext}"))
}

/// The most images a course may hold as drafts (each at most [`MAX_IMAGE_BYTES`]): every editor
/// page reads the course's drafts.
pub const MAX_IMAGE_DRAFTS: u64 = 20;

/// Saves (replaces) an image draft. False, and nothing saved: the course has [`MAX_DRAFTS`], or
/// [`MAX_IMAGE_DRAFTS`] images, already.
pub async fn save_image(
    db: &impl ConnectionTrait,
    course: &str,
    path: &str,
    bytes: &[u8],
    by: i64,
) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    let mine = cd::Entity::find().filter(cd::Column::CourseId.eq(course));
    let new = mine.clone().filter(cd::Column::Path.eq(path)).count(db).await? == 0;
    if new
        && (mine.clone().count(db).await? >= MAX_DRAFTS
            || mine.filter(cd::Column::Bytes.is_not_null()).count(db).await? >= MAX_IMAGE_DRAFTS)
    {
        return Ok(false);
    }
    let row = cd::ActiveModel {
        course_id: Set(course.into()),
        path: Set(path.into()),
        text: Set(String::new()),
        bytes: Set(Some(bytes.to_vec())),
        updated_by: Set(by),
        updated_at: Set(super::clock::now()),
        ..Default::default()
    };
    cd::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([cd::Column::CourseId, cd::Column::Path])
                .update_columns([
                    cd::Column::Text,
                    cd::Column::Bytes,
                    cd::Column::UpdatedBy,
                    cd::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(true)
}

/// The most files with drafts in one course (a course has a dozen files).
pub const MAX_DRAFTS: u64 = 100;

/// Saves (replaces) the draft of one file. False, and nothing saved: a new draft in a course
/// that has [`MAX_DRAFTS`] already.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    course: &str,
    path: &str,
    text: &str,
    by: i64,
) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    let mine = cd::Entity::find().filter(cd::Column::CourseId.eq(course));
    if mine.clone().filter(cd::Column::Path.eq(path)).count(db).await? == 0 && mine.count(db).await? >= MAX_DRAFTS {
        return Ok(false);
    }
    let row = cd::ActiveModel {
        course_id: Set(course.into()),
        path: Set(path.into()),
        text: Set(text.into()),
        bytes: Set(None),
        updated_by: Set(by),
        updated_at: Set(super::clock::now()),
        ..Default::default()
    };
    cd::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([cd::Column::CourseId, cd::Column::Path])
                .update_columns([
                    cd::Column::Text,
                    cd::Column::Bytes,
                    cd::Column::UpdatedBy,
                    cd::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(true)
}

/// Throws away the draft of one file.
pub async fn discard_draft(db: &impl ConnectionTrait, course: &str, path: &str) -> Result<(), DbErr> {
    cd::Entity::delete_many()
        .filter(cd::Column::CourseId.eq(course))
        .filter(cd::Column::Path.eq(path))
        .exec(db)
        .await?;
    Ok(())
}

/// What the checker says about a course with its drafts laid over it (only this course's
/// messages).
pub async fn check_with_drafts(state: &AppState, course: &str) -> Result<Vec<Diagnostic>, DbErr> {
    let loaded = state.content.get();
    let drafts = draft_files(&state.db, course).await?;
    let files = with_drafts(&loaded.course_files(course), &drafts);
    let (_, diags) = load_library(&files);
    Ok(diags)
}

/// Minor (wording) or substantive (what an official must know changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Minor,
    Substantive,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "minor" => Some(Kind::Minor),
            "substantive" => Some(Kind::Substantive),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Minor => "minor",
            Kind::Substantive => "substantive",
        }
    }
}

/// Why a publish was refused.
#[derive(Debug)]
pub enum Refused {
    /// The course with its drafts has errors (every message, warnings included).
    Errors(Vec<Diagnostic>),
    /// No such course.
    NoCourse,
    /// Another publish of the course landed meanwhile: look again, then publish.
    Stale,
    Db(DbErr),
}

impl From<DbErr> for Refused {
    fn from(e: DbErr) -> Self {
        Refused::Db(e)
    }
}

/// A publish that was made.
#[derive(Debug, Clone)]
pub struct Published {
    pub id: i64,
    pub course_hash: String,
    pub changes: Changes,
}

/// Publishes `course` with its drafts: checks it as `taphuan content check` would, refuses it
/// with any error, otherwise stores the whole folder as a new version, clears the drafts, asks
/// every node to reload, and serves it here at once.
pub async fn publish(
    state: &AppState,
    course: &str,
    kind: Kind,
    reason: &str,
    by: (i64, &str),
) -> Result<Published, Refused> {
    // Built on the newest publish: a node that has not yet seen another node's publish of this
    // course reads the publishes first (else this publish would silently undo that one).
    let newest = newest_publish(&state.db, course).await?;
    let served = |l: &super::content::Loaded| {
        l.origins
            .published
            .get(course)
            .or_else(|| l.origins.superseded.get(course))
            .or_else(|| l.origins.refused.get(course))
            .copied()
    };
    if served(&state.content.get()) != newest {
        state.content.refresh(&state.db).await?;
    }
    let loaded = state.content.get();
    if served(&loaded) != newest {
        return Err(Refused::Stale);
    }
    let old = loaded.library.course(course);
    let current = loaded.course_files(course);
    if old.is_none() && current.is_empty() {
        return Err(Refused::NoCourse);
    }
    let rows = cd::Entity::find()
        .filter(cd::Column::CourseId.eq(course))
        .all(&state.db)
        .await?;
    let drafts: BTreeMap<String, Vec<u8>> = rows.iter().cloned().map(draft_bytes).collect();
    let files = with_drafts(&current, &drafts);
    let (library, diags) = load_library(&files);
    if diags.iter().any(|d| d.is_error()) {
        return Err(Refused::Errors(diags));
    }
    let Some(new) = library.course(course) else {
        return Err(Refused::NoCourse);
    };
    let what = changes(old, Some(new));
    let based_on = loaded.origins.disk_hashes.get(course).cloned().unwrap_or_default();
    let reason: String = reason.trim().chars().take(500).collect();
    let tx = state.db.begin().await?;
    if newest_publish(&tx, course).await? != newest {
        return Err(Refused::Stale);
    }
    let id = cp::Entity::insert(cp::ActiveModel {
        course_id: Set(course.into()),
        kind: Set(kind.as_str().into()),
        reason: Set(reason.clone()),
        published_by: Set(Some(by.0)),
        published_at: Set(super::clock::now()),
        course_hash: Set(new.hash.clone()),
        based_on: Set(based_on),
        changes: Set(serde_json::to_string(&what).unwrap_or_default()),
        ..Default::default()
    })
    .exec(&tx)
    .await?
    .last_insert_id;
    for f in &files {
        cpf::Entity::insert(cpf::ActiveModel {
            publish_id: Set(id),
            path: Set(f.path.clone()),
            bytes: Set(f.bytes.clone()),
            ..Default::default()
        })
        .exec(&tx)
        .await?;
    }
    // Only the drafts this publish read: one saved meanwhile stays a draft.
    for d in &rows {
        cd::Entity::delete_many()
            .filter(cd::Column::Id.eq(d.id))
            .filter(cd::Column::UpdatedAt.eq(d.updated_at))
            .exec(&tx)
            .await?;
    }
    let mut event = super::audit::Event::new(
        super::audit::kind::PUBLISHED,
        serde_json::json!({
            "course": course, "publish": id, "kind": kind.as_str(), "hash": new.hash, "changes": what,
        }),
    )
    .because(&reason);
    event = event.by(by.0, by.1);
    super::audit::append(&tx, event).await?;
    tx.commit().await?;
    // Every node reads the publishes again; this one at once.
    let request = super::content::request_reload(&state.db, &format!("published {course} #{id}")).await?;
    let errors = state.content.refresh(&state.db).await?;
    if errors > 0 {
        tracing::error!(course, errors, "a published course does not load beside the library");
    } else if state.content.generation() < request {
        state.content.set_generation(request);
    }
    super::content::record_versions(&state.db, &state.content.get().library).await?;
    Ok(Published {
        id,
        course_hash: new.hash.clone(),
        changes: what,
    })
}

/// The newest publish of `course` (None: never published from the editor).
pub async fn newest_publish(db: &impl ConnectionTrait, course: &str) -> Result<Option<i64>, DbErr> {
    use sea_orm::QuerySelect;
    cp::Entity::find()
        .select_only()
        .column(cp::Column::Id)
        .filter(cp::Column::CourseId.eq(course))
        .order_by_desc(cp::Column::Id)
        .into_tuple()
        .one(db)
        .await
}

/// One publish as listed.
pub type PublishRow = cp::Model;

/// A course's publishes, newest first.
pub async fn history(db: &impl ConnectionTrait, course: &str) -> Result<Vec<PublishRow>, DbErr> {
    cp::Entity::find()
        .filter(cp::Column::CourseId.eq(course))
        .order_by_desc(cp::Column::Id)
        .all(db)
        .await
}

/// The authoring guide (`README.md` at the top of the content folder) as sanitised HTML; its
/// GIFT and Markdown examples stay code blocks.
pub fn authoring_guide(dir: &std::path::Path) -> Option<String> {
    use pulldown_cmark::{Options, Parser, html};
    let text = std::fs::read_to_string(dir.join("README.md")).ok()?;
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(&text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH),
    );
    Some(ammonia::clean(&out))
}

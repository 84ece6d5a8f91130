//! The trainer's editor: a course's files, drafts and publishes (the admin, and trainers of the
//! course). The sources of a course hold its answer keys, so only its editors receive them.

use super::error::ApiError;
use crate::domain::content::publish::Changes;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One checker message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagLine {
    /// Path from the content root.
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub error: bool,
    /// `file:line:col: what — instead`, as `taphuan content check` prints it.
    pub text: String,
}

impl DiagLine {
    pub fn of(d: &crate::domain::content::Diagnostic) -> DiagLine {
        DiagLine {
            file: d.file.clone(),
            line: d.line,
            col: d.col,
            error: d.is_error(),
            text: d.to_string(),
        }
    }
}

/// A Markdown file of a course as the editor lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The name in the course folder (`01-x.md`).
    pub name: String,
    /// The lesson's title, or what the file is.
    pub title: String,
    pub has_draft: bool,
}

/// An image of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageEntry {
    /// Relative to the course folder, as a lesson links it (`images/so-do.png`).
    pub path: String,
    pub has_draft: bool,
}

/// One publish from the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishLine {
    pub id: i64,
    /// `minor` or `substantive`.
    pub kind: String,
    pub reason: String,
    /// Local date and time.
    pub at: String,
    pub short_hash: String,
    pub changes: Changes,
}

/// A course in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub course_id: String,
    pub title: String,
    pub version: String,
    pub short_hash: String,
    /// The publish the course is served from (None: its folder).
    pub served_from: Option<i64>,
    /// A publish the folder has since replaced.
    pub superseded: Option<i64>,
    /// A publish that does not load (its folder is served).
    pub refused: Option<i64>,
    pub files: Vec<FileEntry>,
    /// The course's images (`images/…`), uploaded ones not yet published marked.
    pub images: Vec<ImageEntry>,
    pub drafts: usize,
    /// The checker on the course with its drafts.
    pub diagnostics: Vec<DiagLine>,
    pub errors: usize,
    /// What publishing the drafts would change.
    pub pending: Changes,
    pub history: Vec<PublishLine>,
    /// After a substantive publish (`published` given): the officials certified on an earlier
    /// version, by name.
    pub affected: Vec<String>,
}

/// One line of a draft's difference from the published text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    /// ' ' same, '-' only in the published text, '+' only in the draft, '…' lines left out.
    pub tag: char,
    pub text: String,
}

/// A file open in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenFile {
    pub course_id: String,
    pub name: String,
    /// The draft if there is one, else the published text.
    pub text: String,
    pub has_draft: bool,
    /// Every file of the course (path from the content root, text; other files with no text):
    /// what the browser's checker reads beside the file being typed.
    pub course_files: Vec<(String, String)>,
    /// The checker on the course with its drafts, this file's messages.
    pub diagnostics: Vec<DiagLine>,
    /// The draft against the published text (empty: no draft, or the same).
    pub diff: Vec<DiffLine>,
    /// The file's questions (as drafted) as a learner will see them: (name, question).
    pub questions: Vec<(String, crate::domain::grading::PublicQuestion)>,
}

/// The checker on the course with `text` as the file at `path`: this file's messages, and its
/// rendered HTML (sanitised by the same code as the server's).
pub fn live_check(files: &[(String, String)], course: &str, path: &str, text: &str) -> (Vec<DiagLine>, Option<String>) {
    use crate::domain::content::{SourceFile, load_library};
    let mut src: Vec<SourceFile> = files
        .iter()
        .filter(|(p, _)| p != path)
        .map(|(p, t)| SourceFile::new(p.clone(), t.as_bytes().to_vec()))
        .collect();
    src.push(SourceFile::new(path, text.as_bytes().to_vec()));
    let (lib, diags) = load_library(&src);
    let mine = diags.iter().filter(|d| d.file == path).map(DiagLine::of).collect();
    let name = path.rsplit('/').next().unwrap_or_default();
    let html = lib.course(course).and_then(|c| {
        if name == "course.md" {
            Some(c.intro_html.clone())
        } else if name == "exam.md" {
            c.exam.as_ref().map(|e| {
                let mut h = e.intro_html.clone();
                h.push_str("<ol>");
                for q in &e.pool {
                    h.push_str("<li>");
                    h.push_str(&crate::domain::html::escape(&q.question.text));
                    h.push_str("</li>");
                }
                h.push_str("</ol>");
                h
            })
        } else {
            c.lessons.iter().find(|l| l.file == path).map(|l| l.html.clone())
        }
    });
    (mine, html)
}

/// A course's workspace. `published`: the publish just made, to list whom it affects.
#[server(endpoint = "editor_course")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "editor_course"))
)]
pub async fn editor_course(course: String, published: Option<i64>) -> Result<Workspace, ApiError> {
    use crate::domain::content::publish::{changes, with_drafts};
    use crate::ssr::editor;
    let (state, _) = editable(&course).await?;
    let loaded = state.content.get();
    let Some(c) = loaded.library.course(&course) else {
        return Err(super::guard::refuse(ApiError::NotFound));
    };
    let drafts = editor::draft_files(&state.db, &course)
        .await
        .map_err(super::guard::internal)?;
    let current = loaded.course_files(&course);
    let (drafted, diags) = crate::domain::content::load_library(&with_drafts(&current, &drafts));
    let images_dir = format!("{course}/images/");
    let mut images: Vec<String> = current
        .iter()
        .map(|f| f.path.clone())
        .chain(drafts.keys().cloned())
        .filter_map(|p| p.strip_prefix(&images_dir).map(|n| format!("images/{n}")))
        .filter(|n| !n.ends_with(".md"))
        .collect();
    images.sort();
    images.dedup();
    let images = images
        .into_iter()
        .map(|path| ImageEntry {
            has_draft: drafts.contains_key(&format!("{course}/{path}")),
            path,
        })
        .collect();
    let mut names: Vec<String> = current
        .iter()
        .map(|f| f.path.clone())
        .chain(drafts.keys().cloned())
        .filter(|p| p.ends_with(".md"))
        .filter_map(|p| p.strip_prefix(&format!("{course}/")).map(String::from))
        .filter(|n| !n.contains('/'))
        .collect();
    names.sort();
    names.dedup();
    let files = names
        .into_iter()
        .map(|name| FileEntry {
            title: c
                .lessons
                .iter()
                .find(|l| l.file == format!("{course}/{name}"))
                .map(|l| l.title.clone())
                .unwrap_or_default(),
            has_draft: drafts.contains_key(&format!("{course}/{name}")),
            name,
        })
        .collect();
    let history = editor::history(&state.db, &course)
        .await
        .map_err(super::guard::internal)?;
    let mut affected = Vec::new();
    if let Some(p) = published.and_then(|id| history.iter().find(|h| h.id == id))
        && p.kind == "substantive"
    {
        affected = crate::ssr::recert::certified_before(&state.db, &course, p.published_at, None)
            .await
            .map_err(super::guard::internal)?
            .into_iter()
            .map(|a| a.name)
            .collect();
    }
    Ok(Workspace {
        course_id: course.clone(),
        title: c.meta.title.clone(),
        version: c.meta.version.clone(),
        short_hash: c.hash.chars().take(12).collect(),
        served_from: loaded.origins.published.get(&course).copied(),
        superseded: loaded.origins.superseded.get(&course).copied(),
        refused: loaded.origins.refused.get(&course).copied(),
        files,
        images,
        drafts: drafts.len(),
        errors: diags.iter().filter(|d| d.is_error()).count(),
        diagnostics: diags.iter().map(DiagLine::of).collect(),
        pending: changes(Some(c), drafted.course(&course)),
        history: history
            .into_iter()
            .map(|h| PublishLine {
                id: h.id,
                kind: h.kind,
                reason: h.reason,
                at: crate::ssr::clock::format_local(h.published_at),
                short_hash: h.course_hash.chars().take(12).collect(),
                changes: serde_json::from_str(&h.changes).unwrap_or_default(),
            })
            .collect(),
        affected,
    })
}

/// A file of a course, opened for editing: its draft or published text, the course's other
/// files for the browser's checker, the checker's messages and the draft's difference.
#[server(endpoint = "editor_file")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "editor_file"))
)]
pub async fn editor_file(course: String, name: String) -> Result<OpenFile, ApiError> {
    use crate::domain::content::publish::with_drafts;
    use crate::ssr::editor;
    let (state, _) = editable(&course).await?;
    let path = format!("{course}/{name}");
    if !editor::valid_draft_path(&course, &path) {
        return Err(super::guard::refuse(ApiError::NotFound));
    }
    let loaded = state.content.get();
    let drafts = editor::draft_files(&state.db, &course)
        .await
        .map_err(super::guard::internal)?;
    let current = loaded.course_files(&course);
    let published = current
        .iter()
        .find(|f| f.path == path)
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
    let draft = drafts.get(&path).map(|b| String::from_utf8_lossy(b).into_owned());
    let Some(text) = draft.clone().or_else(|| published.clone()) else {
        return Err(super::guard::refuse(ApiError::NotFound));
    };
    let files = with_drafts(&current, &drafts);
    let (drafted, diags) = crate::domain::content::load_library(&files);
    let questions = drafted
        .course(&course)
        .map(|c| {
            let items: Vec<&crate::domain::content::Item> = if name == "exam.md" {
                c.exam.iter().flat_map(|e| &e.pool).collect()
            } else {
                c.lessons
                    .iter()
                    .filter(|l| l.file == path)
                    .flat_map(|l| &l.checks)
                    .collect()
            };
            items
                .into_iter()
                .enumerate()
                .map(|(i, it)| {
                    (
                        it.name().to_string(),
                        crate::domain::grading::public_view(&it.question, i as u64),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    // The changed lines with two lines of context around each change; groups apart are
    // separated by a '…' line.
    let diff = match &draft {
        Some(d) => {
            let old = published.unwrap_or_default();
            let diff = similar::TextDiff::from_lines(old.as_str(), d.as_str());
            let mut out = Vec::new();
            for (i, group) in diff.grouped_ops(2).iter().enumerate() {
                if i > 0 {
                    out.push(DiffLine {
                        tag: '…',
                        text: String::new(),
                    });
                }
                for op in group {
                    for c in diff.iter_changes(op) {
                        out.push(DiffLine {
                            tag: match c.tag() {
                                similar::ChangeTag::Equal => ' ',
                                similar::ChangeTag::Delete => '-',
                                similar::ChangeTag::Insert => '+',
                            },
                            text: c.value().trim_end_matches('\n').to_string(),
                        });
                    }
                }
            }
            out
        }
        None => vec![],
    };
    let diff = if diff.iter().all(|d| d.tag == ' ') {
        vec![]
    } else {
        diff
    };
    Ok(OpenFile {
        course_id: course.clone(),
        name,
        text,
        has_draft: draft.is_some(),
        course_files: files
            .into_iter()
            .map(|f| {
                let text = if f.path.ends_with(".md") {
                    String::from_utf8_lossy(&f.bytes).into_owned()
                } else {
                    String::new()
                };
                (f.path, text)
            })
            .collect(),
        diagnostics: diags.iter().filter(|d| d.file == path).map(DiagLine::of).collect(),
        diff,
        questions,
    })
}

/// Saves a file's draft as it is typed (the editor's autosave). Returns when it was saved.
#[server(endpoint = "editor_save")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "editor_save"))
)]
pub async fn editor_save(course: String, name: String, text: String) -> Result<String, ApiError> {
    use crate::ssr::editor;
    let (state, user) = editable(&course).await?;
    let (path, text) = editor::checked_draft(&course, &name, &text)
        .map_err(|why| super::guard::refuse(ApiError::Invalid(why.into())))?;
    if !editor::save_draft(&state.db, &course, &path, &text, user.account_id)
        .await
        .map_err(super::guard::internal)?
    {
        return Err(super::guard::refuse(ApiError::Invalid(
            "Khóa học đã có quá nhiều bản nháp: xuất bản hoặc bỏ bớt trước.".into(),
        )));
    }
    Ok(crate::ssr::clock::format_local(crate::ssr::clock::now()))
}

/// The caller, if they may edit `course`: the admin, or a trainer of it.
#[cfg(feature = "ssr")]
async fn editable(course: &str) -> Result<(crate::ssr::state::AppState, crate::ssr::auth::AuthUser), ApiError> {
    use crate::domain::identity::Role;
    let (state, user) = super::guard::require(&[Role::Trainer, Role::Admin]).await?;
    if !crate::ssr::itemstats::may_see(&user, course) {
        return Err(super::guard::refuse(ApiError::Forbidden));
    }
    if state.content.get().library.course(course).is_none() {
        return Err(super::guard::refuse(ApiError::NotFound));
    }
    Ok((state, user))
}

/// The authoring guide, rendered (trainers and the admin).
#[server(endpoint = "authoring_guide")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "authoring_guide"))
)]
pub async fn authoring_guide() -> Result<String, ApiError> {
    use crate::domain::identity::Role;
    let (state, _) = super::guard::require(&[Role::Trainer, Role::Admin]).await?;
    crate::ssr::editor::authoring_guide(state.content.dir()).ok_or_else(|| super::guard::refuse(ApiError::NotFound))
}

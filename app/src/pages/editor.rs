//! `/content/:course`: a course in the trainer's editor — its files with their drafts, the
//! checker's messages for the course as drafted, what publishing would change, the publish form
//! and the history. `/content/:course?file=NAME` opens one file: a plain form that saves a draft
//! (JavaScript off), and with JavaScript on the same checker as `taphuan content check`, compiled
//! into the page, runs on every pause in typing with no request to the server, beside a preview,
//! a toolbar of Markdown and GIFT templates, and an autosave.

use crate::api::editor::{DiagLine, DiffLine, OpenFile, Workspace, editor_course, editor_file};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::question::QuestionFields;
use crate::components::session::RequireRole;
use crate::domain::content::publish::Changes;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CourseEditorPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    view! {
        <Title text=T::Editor.get(lang)/>
        <RequireRole roles=&[Role::Trainer, Role::Admin]>
            {move || match query.read().get("file") {
                Some(_) => view! { <FileEditor/> }.into_any(),
                None => view! { <CourseWorkspace/> }.into_any(),
            }}
        </RequireRole>
    }
}

fn diag_list(diags: Vec<DiagLine>, lang: Lang) -> impl IntoView {
    if diags.is_empty() {
        view! { <p class="alert ok checker-ok">{T::NoProblems.get(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="diags">
                {diags.into_iter().map(|d| view! {
                    <li class=if d.error { "diag error" } else { "diag warning" } data-line=d.line>
                        <span class="tag">{if d.error { T::DiagError.get(lang) } else { T::DiagWarning.get(lang) }}</span>
                        " "<code>{d.text}</code>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

fn changes_list(c: &Changes, lang: Lang) -> impl IntoView + use<> {
    let line = |label: T, items: &Vec<String>| {
        (!items.is_empty()).then(|| {
            view! { <li><strong>{label.get(lang)}": "</strong>{items.join(", ")}</li> }
        })
    };
    if c.is_empty() {
        return view! { <p class="meta">{T::NothingChanged.get(lang)}</p> }.into_any();
    }
    view! {
        <ul class="changes">
            {line(T::LessonsAdded, &c.lessons_added)}
            {line(T::LessonsChanged, &c.lessons_changed)}
            {line(T::LessonsRemoved, &c.lessons_removed)}
            {line(T::QuestionsAdded, &c.questions_added)}
            {line(T::QuestionsChanged, &c.questions_changed)}
            {line(T::QuestionsRemoved, &c.questions_removed)}
            {c.settings_changed.then(|| view! { <li>{T::SettingsChanged.get(lang)}</li> })}
        </ul>
    }
    .into_any()
}

#[component]
fn CourseWorkspace() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (
            params.read().get("course").unwrap_or_default(),
            q.get("published").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let ws = page_resource(key, |(c, p)| editor_course(c, p));
    view! {
        <Loaded resource=ws view=move |w: Workspace| {
            let refused = query.read_untracked().get("refused");
            let published = query.read_untracked().get("published").and_then(|p| p.parse::<i64>().ok());
            let course = w.course_id.clone();
            let just = published.and_then(|id| w.history.iter().find(|h| h.id == id).cloned());
            view! {
                <p class="crumbs"><a href="/content">{T::NavContent.get(lang)}</a></p>
                <h1>{w.title.clone()}</h1>
                <p class="meta">
                    {T::Version.get(lang)}" "{w.version.clone()}" · "<code>{w.short_hash.clone()}</code>" · "
                    {match w.served_from {
                        Some(id) => T::ServedFromPublish.get(lang).replace("{n}", &id.to_string()),
                        None => T::ServedFromFolder.get(lang).to_string(),
                    }}
                    " · "<a href=format!("/courses/{course}/questions")>{T::QuestionStats.get(lang)}</a>
                    " · "<a href="/authoring-guide">{T::AuthoringGuide.get(lang)}</a>
                </p>
                {w.refused.map(|id| view! {
                    <p class="alert error">{T::PublishRefusedLoad.get(lang).replace("{n}", &id.to_string())}</p>
                })}
                {w.superseded.map(|id| view! {
                    <p class="alert warn">{T::PublishSuperseded.get(lang).replace("{n}", &id.to_string())}</p>
                })}
                {just.map(|p| {
                    let affected = w.affected.clone();
                    view! {
                        <div class="alert ok published" role="status">
                            <p><strong>{T::PublishedVersion.get(lang).replace("{n}", &p.id.to_string())}</strong>
                                " ("{if p.kind == "substantive" { T::KindSubstantive.get(lang) } else { T::KindMinor.get(lang) }}")"</p>
                            {changes_list(&p.changes, lang)}
                            {(p.kind == "substantive").then(|| view! {
                                <h3>{T::AffectedOfficials.get(lang).replace("{n}", &affected.len().to_string())}</h3>
                                <ul class="affected">{affected.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                                <p><a class="button" href="/retraining">{T::OpenRetrainingLink.get(lang)}</a></p>
                            })}
                        </div>
                    }
                })}
                {query.read_untracked().get("import_errors").map(|e| view! {
                    <div class="alert error import-errors" role="alert">
                        <p><strong>{T::ImportRefused.get(lang)}</strong></p>
                        <ul class="diags">{e.lines().map(|l| view! { <li class="diag error"><code>{l.to_string()}</code></li> }).collect_view()}</ul>
                    </div>
                })}
                {match refused.as_deref() {
                    Some("errors") => Some(view! { <p class="alert error" role="alert">{T::PublishRefusedErrors.get(lang)}</p> }),
                    Some("reason") => Some(view! { <p class="alert error" role="alert">{T::PublishNeedsReason.get(lang)}</p> }),
                    Some("stale") => Some(view! { <p class="alert error" role="alert">{T::PublishRefusedStale.get(lang)}</p> }),
                    _ => None,
                }}
                <div class="editor-columns">
                    <section class="card">
                        <h2>{T::Files.get(lang)}</h2>
                        <ul class="file-list">
                            {w.files.iter().map(|f| {
                                let href = format!("/content/{course}?file={}", f.name);
                                view! {
                                    <li>
                                        <a href=href><code>{f.name.clone()}</code></a>
                                        {(!f.title.is_empty()).then(|| view! { " — "{f.title.clone()} })}
                                        {f.has_draft.then(|| view! { " "<span class="tag warn">{T::Draft.get(lang)}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card">
                        <h2>{T::CheckerWithDrafts.get(lang)}</h2>
                        {diag_list(w.diagnostics.clone(), lang)}
                        <h2>{T::PendingChanges.get(lang).replace("{n}", &w.drafts.to_string())}</h2>
                        <div class="pending">{changes_list(&w.pending, lang)}</div>
                    </section>
                </div>
                <section class="card images">
                    <h2>{T::Images.get(lang)}</h2>
                    {query.read_untracked().get("image").map(|p| view! {
                        <p class="alert ok uploaded" role="status">{T::ImageUploaded.get(lang)}" "
                            <code>{format!("![{}]({p})", T::ImageAlt.get(lang))}</code></p>
                    })}
                    {query.read_untracked().get("image_error").map(|e| view! {
                        <p class="alert error" role="alert">{e}</p>
                    })}
                    <ul class="file-list">
                        {w.images.iter().map(|i| view! {
                            <li>
                                <code>{i.path.clone()}</code>
                                {i.has_draft.then(|| view! { " "<span class="tag warn">{T::Draft.get(lang)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    <form method="post" action=format!("/editor/{course}/image") enctype="multipart/form-data" class="publish-form">
                        <label>{T::ImageFile.get(lang)}
                            <input type="file" name="file" accept="image/png,image/jpeg,image/gif,image/webp" required=true/>
                        </label>
                        <button type="submit" class="button">{T::ImageUpload.get(lang)}</button>
                    </form>
                </section>
                <form method="post" action=format!("/editor/{course}/import") enctype="multipart/form-data" class="card publish-form import-form">
                    <h2>{T::ImportBank.get(lang)}</h2>
                    <p class="meta">{T::ImportBankLead.get(lang)}</p>
                    <label>{T::ImportFile.get(lang)}
                        <input type="file" name="file" accept=".txt,.gift,.aiken" required=true/>
                    </label>
                    <label>{T::ImportInto.get(lang)}
                        <select name="into">
                            <option value="exam">{T::ImportIntoExam.get(lang)}</option>
                            {w.files.iter().filter(|f| !f.title.is_empty()).map(|f| {
                                let n = f.name.split('-').next().unwrap_or_default().trim_start_matches('0').to_string();
                                view! { <option value=n.clone()>{T::ImportIntoLesson.get(lang).replace("{n}", &n)}" — "{f.title.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="button">{T::ImportButton.get(lang)}</button>
                </form>
                <form method="post" action=format!("/editor/{course}/publish") class="card publish-form">
                    <h2>{T::Publish.get(lang)}</h2>
                    <fieldset>
                        <legend>{T::PublishKind.get(lang)}</legend>
                        <label><input type="radio" name="kind" value="minor" checked=true/>" "{T::KindMinor.get(lang)}</label>
                        <label><input type="radio" name="kind" value="substantive"/>" "{T::KindSubstantive.get(lang)}</label>
                    </fieldset>
                    <label>{T::PublishReason.get(lang)}
                        <input type="text" name="reason" required=true maxlength="500" placeholder="Luật 122/2025/QH15 có hiệu lực"/>
                    </label>
                    <button type="submit" class="button primary">{T::Publish.get(lang)}</button>
                </form>
                <section>
                    <h2>{T::PublishHistory.get(lang)}</h2>
                    {if w.history.is_empty() {
                        view! { <p class="meta">{T::NoPublishes.get(lang)}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="history" reversed=true>
                                {w.history.iter().map(|h| view! {
                                    <li>
                                        <strong>"#"{h.id}</strong>" · "{h.at.clone()}" · "
                                        {if h.kind == "substantive" { T::KindSubstantive.get(lang) } else { T::KindMinor.get(lang) }}
                                        " · "{h.reason.clone()}" · "<code>{h.short_hash.clone()}</code>
                                        {changes_list(&h.changes, lang)}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
            }
        }/>
    }
}

/// A template the toolbar inserts at the cursor.
const TEMPLATES: &[(&str, &str)] = &[
    ("H2", "\n## Tiêu đề\n"),
    ("B", "**đậm**"),
    ("•", "\n- mục\n"),
    ("Link", "[chữ](02-bai-khac.md)"),
    ("Ảnh", "![mô tả ảnh](images/ten-anh.svg)"),
    (
        "GIFT: 1 đáp án",
        "\n```gift\n::ten-cau-hoi:: Câu hỏi? {\n=Đáp án đúng\n~Phương án sai\n~Phương án sai\n}\n```\n",
    ),
    (
        "GIFT: nhiều đáp án",
        "\n```gift\n::ten-cau-hoi:: Chọn mọi ý đúng. {\n~%50%Ý đúng\n~%50%Ý đúng\n~%-100%Ý sai\n}\n```\n",
    ),
    ("GIFT: đúng/sai", "\n```gift\n::ten-cau-hoi:: Mệnh đề. {T}\n```\n"),
];

#[component]
fn FileEditor() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.read().get("course").unwrap_or_default(),
            query.read().get("file").unwrap_or_default(),
        )
    };
    let file = page_resource(key, |(c, f)| editor_file(c, f));
    let lang = expect_context::<Lang>();
    let saved = query.read_untracked().get("saved").is_some();
    let imported = query.read_untracked().get("imported");
    view! {
        <Loaded resource=file view=move |f: OpenFile| view! {
            <FileForm lang file=f saved imported=imported.clone()/>
        }/>
    }
}

/// The file's editor (an island: checks and previews in the page as one types, and saves in the
/// background).
#[island]
fn FileForm(lang: Lang, file: OpenFile, saved: bool, imported: Option<String>) -> impl IntoView {
    // For the components inside (the question preview, the diff), which read it from context.
    provide_context(lang);
    let course = file.course_id.clone();
    let name = file.name.clone();
    let diags = RwSignal::new(file.diagnostics.clone());
    let preview = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let text = RwSignal::new(file.text.clone());
    let files_json = StoredValue::new(serde_json::to_string(&file.course_files).unwrap_or_default());
    let path = format!("{course}/{name}");
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let generation = StoredValue::new(0u64);
    let ids = StoredValue::new((course.clone(), name.clone(), path));
    // After a pause in typing: check in the page (no request), then save in the background.
    let changed = move |value: String| {
        text.set(value);
        generation.update_value(|g| *g += 1);
        let g = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                let checked = ids.with_value(|(course, _, path)| {
                    files_json.with_value(|fs| browser_check(fs, course, path, &text.get_untracked()))
                });
                if let Some((d, html)) = checked {
                    diags.set(d);
                    preview.set(html);
                }
            },
            std::time::Duration::from_millis(150),
        );
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                let (course, name, _) = ids.get_value();
                let body = text.get_untracked();
                leptos::task::spawn_local(async move {
                    if let Ok(at) = crate::api::editor::editor_save(course, name, body).await {
                        status.set(Some(at));
                    }
                });
            },
            std::time::Duration::from_millis(2000),
        );
    };
    let on_input = move |ev: leptos::ev::Event| changed(event_target_value(&ev));
    let insert = move |snippet: &'static str| {
        let Some(el) = textarea.get() else { return };
        let value = el.value();
        // Selection offsets count UTF-16 units.
        let utf16: Vec<u16> = value.encode_utf16().collect();
        let len = utf16.len() as u32;
        let start = el.selection_start().ok().flatten().unwrap_or(len).min(len) as usize;
        let end = (el.selection_end().ok().flatten().unwrap_or(len).min(len) as usize).max(start);
        let next = format!(
            "{}{snippet}{}",
            String::from_utf16_lossy(&utf16[..start]),
            String::from_utf16_lossy(&utf16[end..])
        );
        el.set_value(&next);
        let _ = el.focus();
        let caret = (start + snippet.encode_utf16().count()) as u32;
        let _ = el.set_selection_range(caret, caret);
        changed(next);
    };
    let diff = file.diff.clone();
    view! {
        <p class="crumbs"><a href=format!("/content/{course}")>{course.clone()}</a></p>
        <h1><code>{name.clone()}</code></h1>
        {saved.then(|| view! { <p class="alert ok" role="status">{T::EditorDraftSaved.get(lang)}</p> })}
        {imported.map(|n| view! { <p class="alert ok imported" role="status">{T::ImportedIntoDraft.get(lang).replace("{n}", &n)}</p> })}
        <script type="module" src="/pkg/checker/loader.js"></script>
        <div class="editor-columns">
            <form method="post" action=format!("/editor/{course}/save") class="editor-form">
                <input type="hidden" name="file" value=name.clone()/>
                <div class="toolbar" role="toolbar" aria-label=T::Toolbar.get(lang)>
                    {TEMPLATES.iter().map(|(label, snippet)| view! {
                        <button type="button" class="button small" on:click=move |_| insert(snippet)>{*label}</button>
                    }).collect_view()}
                </div>
                <label for="editor-text" class="sr-only">{name.clone()}</label>
                <textarea id="editor-text" name="text" rows="28" spellcheck="false" node_ref=textarea
                    on:input=on_input>{file.text.clone()}</textarea>
                <div class="actions">
                    <button type="submit" class="button primary">{T::SaveEditorDraft.get(lang)}</button>
                    <span class="meta autosave" aria-live="polite">
                        {move || status.get().map(|at| T::AutosavedAt.get(lang).replace("{t}", &at))}
                    </span>
                </div>
            </form>
            <aside class="editor-side">
                <section class="card checker" aria-live="polite">
                    <h2>{T::Checker.get(lang)}</h2>
                    {move || diag_list(diags.get(), lang)}
                </section>
                <section class="card preview">
                    <h2>{T::Preview.get(lang)}</h2>
                    {move || match preview.get() {
                        Some(html) => view! { <div class="lesson-body" inner_html=html></div> }.into_any(),
                        None => view! { <p class="meta">{T::PreviewAsYouType.get(lang)}</p> }.into_any(),
                    }}
                </section>
                <p><a href="/authoring-guide">{T::AuthoringGuide.get(lang)}</a></p>
            </aside>
        </div>
        {(!diff.is_empty()).then(|| view! { <DiffView diff=diff.clone()/> })}
        {(!file.questions.is_empty()).then(|| {
            let qs = file.questions.clone();
            view! {
                <section class="card question-preview">
                    <h2>{T::QuestionsAsLearnerSees.get(lang).replace("{n}", &qs.len().to_string())}</h2>
                    <div inert=true>
                        {qs.into_iter().enumerate().map(|(i, (qname, q))| view! {
                            <div class="previewed" data-q=qname.clone()>
                                <p class="meta"><code>{qname.clone()}</code></p>
                                <QuestionFields prefix=format!("p{i}") question=q label=format!("{}", i + 1)/>
                            </div>
                        }).collect_view()}
                    </div>
                </section>
            }
        })}
        {file.has_draft.then(|| view! {
            <form method="post" action=format!("/editor/{course}/discard") class="inline">
                <input type="hidden" name="file" value=name.clone()/>
                <button type="submit" class="button">{T::DiscardDraft.get(lang)}</button>
            </form>
        })}
    }
}

/// The checker (`api::editor::live_check`) in the page, through the editor's own wasm
/// (`app/checker`, loaded by `/pkg/checker/loader.js`); None until it has loaded.
#[cfg(feature = "hydrate")]
fn browser_check(files_json: &str, course: &str, path: &str, text: &str) -> Option<(Vec<DiagLine>, Option<String>)> {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    let window = leptos::web_sys::window()?;
    let check = leptos::web_sys::js_sys::Reflect::get(&window, &JsValue::from_str("taphuanCheck"))
        .ok()?
        .dyn_into::<leptos::web_sys::js_sys::Function>()
        .ok()?;
    let args = leptos::web_sys::js_sys::Array::of4(
        &JsValue::from_str(files_json),
        &JsValue::from_str(course),
        &JsValue::from_str(path),
        &JsValue::from_str(text),
    );
    let out = check.apply(&JsValue::NULL, &args).ok()?.as_string()?;
    serde_json::from_str(&out).ok()
}

#[cfg(not(feature = "hydrate"))]
fn browser_check(_: &str, _: &str, _: &str, _: &str) -> Option<(Vec<DiagLine>, Option<String>)> {
    None
}

#[component]
fn DiffView(diff: Vec<DiffLine>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <section class="card diff">
            <h2>{T::DraftDiff.get(lang)}</h2>
            <pre>
                {diff.into_iter().map(|d| {
                    let class = match d.tag { '+' => "add", '-' => "del", _ => "same" };
                    view! { <span class=class>{format!("{} {}\n", d.tag, d.text)}</span> }
                }).collect_view()}
            </pre>
        </section>
    }
}

/// `/authoring-guide`: the authoring contract (`content/README.md`), rendered for trainers.
#[component]
pub fn AuthoringGuidePage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let guide = page_resource(|| (), |_| crate::api::editor::authoring_guide());
    view! {
        <Title text=T::AuthoringGuide.get(lang)/>
        <RequireRole roles=&[Role::Trainer, Role::Admin]>
            <p class="crumbs"><a href="/content">{T::NavContent.get(lang)}</a></p>
            <Loaded resource=guide view=move |html: String| view! { <article class="lesson-body guide" inner_html=html></article> }/>
        </RequireRole>
    }
}

//! Front matter: splitting a file into its TOML header and Markdown body, and checking the
//! header against the schema of its kind of file, reporting *every* problem with its line:col.
//!
//! Grammar (the authoring contract, `content/README.md`):
//!
//! ```text
//! file  = "+++" NL toml "+++" NL? body      ; the first line is exactly `+++` (trailing blanks ok)
//! toml  = any TOML document, lines up to the next line that is exactly `+++`
//! body  = Markdown
//! ```
//!
//! The checker walks the spanned TOML tree itself (so one pass reports all unknown keys, missing
//! keys and bad values, each at its own place), then deserialises the typed struct, whose
//! `deny_unknown_fields` is the second line of defence.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::diag::{Diagnostic, LineIndex, closest};

/// A file split at its front matter. Offsets are byte offsets into the normalised file text.
#[derive(Debug, Clone, Copy)]
pub struct Split<'t> {
    /// The TOML between the `+++` lines.
    pub toml: &'t str,
    /// Where `toml` starts in the file.
    pub toml_offset: usize,
    /// The Markdown after the closing `+++`.
    pub body: &'t str,
    /// Where `body` starts in the file.
    pub body_offset: usize,
}

/// Splits `text`, or reports where the front matter is missing or unclosed.
pub fn split<'t>(file: &str, text: &'t str) -> Result<Split<'t>, Diagnostic> {
    let mut lines = line_spans(text);
    let opened = lines.next().is_some_and(|(s, e)| text[s..e].trim_end() == "+++");
    if !opened {
        return Err(Diagnostic::error(
            file,
            (1, 1),
            "missing front matter",
            "start the file with a line `+++`, the TOML keys (e.g. `title = \"…\"`), and a closing line `+++`",
        ));
    }
    let toml_offset = text.find('\n').map_or(text.len(), |i| i + 1);
    for (s, e) in lines {
        if text[s..e].trim_end() == "+++" {
            let body_offset = if e < text.len() { e + 1 } else { e };
            return Ok(Split {
                toml: &text[toml_offset..s],
                toml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(Diagnostic::error(
        file,
        (1, 1),
        "front matter is never closed",
        "add a line `+++` after the last TOML key",
    ))
}

/// (start, end-without-newline) of each line.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let span = (start, end);
        start = end + 1;
        Some(span)
    })
}

/// What a key's value must be.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Any string.
    Str,
    /// A string with something other than blanks in it.
    NonEmptyStr,
    /// An integer in `min..=max`.
    Int(i64, i64),
    /// `true` / `false`.
    Bool,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// An array of strings.
    StrList,
    /// An array of strings, each one of these.
    ListOf(&'static [&'static str]),
    /// A table with these keys (`[audience]`).
    Table(&'static [Field]),
    /// An array of tables with these keys (`[[references]]`), at least one.
    Tables(&'static [Field]),
}

/// One allowed key.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Key name.
    pub name: &'static str,
    /// Value shape.
    pub kind: Kind,
    /// Must be present.
    pub required: bool,
    /// How to write it, for hints (`pass_mark = 80`).
    pub example: &'static str,
}

const fn req(name: &'static str, kind: Kind, example: &'static str) -> Field {
    Field {
        name,
        kind,
        required: true,
        example,
    }
}
const fn opt(name: &'static str, kind: Kind, example: &'static str) -> Field {
    Field {
        name,
        kind,
        required: false,
        example,
    }
}

const U32: i64 = u32::MAX as i64;
/// `language` values.
pub const LANGUAGES: &[&str] = &["vi", "en"];
/// `agency_kinds` values.
pub const AGENCY_KINDS: &[&str] = &["sct", "qltt", "police", "customs", "skhcn", "commune", "other"];
/// `review` values.
pub const REVIEWS: &[&str] = &["after_submit", "after_pass", "never"];

const AUDIENCE: &[Field] = &[
    opt(
        "positions",
        Kind::StrList,
        "positions = [\"Kiểm soát viên thị trường\"]",
    ),
    opt(
        "agency_kinds",
        Kind::ListOf(AGENCY_KINDS),
        "agency_kinds = [\"qltt\", \"sct\"]",
    ),
    opt("enforcement_only", Kind::Bool, "enforcement_only = true"),
];

const REFERENCE: &[Field] = &[
    req("number", Kind::NonEmptyStr, "number = \"52/2013/NĐ-CP\""),
    req(
        "title",
        Kind::NonEmptyStr,
        "title = \"Nghị định 52/2013/NĐ-CP về thương mại điện tử\"",
    ),
    req("source", Kind::NonEmptyStr, "source = \"https://vanban.chinhphu.vn/…\""),
];

/// Keys of `course.md`.
pub const COURSE: &[Field] = &[
    req(
        "title",
        Kind::NonEmptyStr,
        "title = \"Khung pháp lý về thương mại điện tử\"",
    ),
    req("summary", Kind::NonEmptyStr, "summary = \"…\""),
    req("language", Kind::OneOf(LANGUAGES), "language = \"vi\""),
    req("version", Kind::NonEmptyStr, "version = \"2026.1\""),
    req("pass_mark", Kind::Int(1, 100), "pass_mark = 80"),
    req("validity_months", Kind::Int(0, U32), "validity_months = 24"),
    opt("estimated_minutes", Kind::Int(1, U32), "estimated_minutes = 90"),
    req("audience", Kind::Table(AUDIENCE), "[audience] (may be empty)"),
    req(
        "references",
        Kind::Tables(REFERENCE),
        "[[references]] with `number`, `title` and `source`",
    ),
];

/// Keys of a lesson.
pub const LESSON: &[Field] = &[
    req("title", Kind::NonEmptyStr, "title = \"…\""),
    opt("minutes", Kind::Int(1, U32), "minutes = 15"),
];

/// Keys of `exam.md`.
pub const EXAM: &[Field] = &[
    req("title", Kind::NonEmptyStr, "title = \"Bài kiểm tra cuối khóa\""),
    req("draw", Kind::Int(1, U32), "draw = 10"),
    opt("pass_mark", Kind::Int(1, 100), "pass_mark = 80"),
    req("max_attempts", Kind::Int(0, U32), "max_attempts = 3"),
    req("cooldown_minutes", Kind::Int(0, U32), "cooldown_minutes = 60"),
    opt("time_limit_minutes", Kind::Int(1, U32), "time_limit_minutes = 30"),
    req("shuffle_questions", Kind::Bool, "shuffle_questions = true"),
    req("shuffle_answers", Kind::Bool, "shuffle_answers = true"),
    req("review", Kind::OneOf(REVIEWS), "review = \"after_submit\""),
];

/// Keys of `course.en.md`.
pub const COURSE_TRANSLATED: &[Field] = &[
    req("title", Kind::NonEmptyStr, "title = \"…\""),
    req("summary", Kind::NonEmptyStr, "summary = \"…\""),
];
/// Keys of `NN-slug.en.md`.
pub const LESSON_TRANSLATED: &[Field] = LESSON;
/// Keys of `exam.en.md`.
pub const EXAM_TRANSLATED: &[Field] = &[req("title", Kind::NonEmptyStr, "title = \"Final exam\"")];

/// Places in one file, for mapping TOML spans.
pub struct Ctx<'a> {
    /// File path for diagnostics.
    pub file: &'a str,
    /// Line index of the whole file.
    pub index: &'a LineIndex<'a>,
    /// Where the TOML starts in the file.
    pub offset: usize,
}

impl Ctx<'_> {
    fn at(&self, span: std::ops::Range<usize>) -> (usize, usize) {
        self.index.position(self.offset + span.start)
    }
}

/// Checks `split.toml` against `schema` and deserialises it. Every problem found is pushed to
/// `out`; the value is returned only when there were none.
pub fn parse<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    toml_src: &str,
    schema: &[Field],
    out: &mut Vec<Diagnostic>,
) -> Option<T> {
    let before = out.len();
    let (table, errors) = DeTable::parse_recoverable(toml_src);
    for e in &errors {
        let at = e.span().map_or((1, 1), |s| ctx.at(s));
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .trim_end_matches('.');
        out.push(Diagnostic::error(
            ctx.file,
            at,
            format!("invalid TOML: {message}"),
            "write one `key = value` per line; text in double quotes, numbers and true/false without",
        ));
    }
    if !errors.is_empty() {
        return None;
    }
    // A missing top-level key is reported at the opening `+++`, where the header starts.
    check_table(ctx, table.get_ref(), (1, 1), schema, "", out);
    if out.len() > before {
        return None;
    }
    match toml::from_str::<T>(toml_src) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = e.span().map_or((1, 1), |s| ctx.at(s));
            out.push(Diagnostic::error(
                ctx.file,
                at,
                e.message().trim().to_owned(),
                "fix this value as the README describes",
            ));
            None
        }
    }
}

fn check_table(
    ctx: &Ctx<'_>,
    table: &DeTable<'_>,
    missing_at: (usize, usize),
    schema: &[Field],
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        match schema.iter().find(|f| f.name == name) {
            Some(field) => check_value(ctx, field, value.get_ref(), value.span(), prefix, out),
            None => {
                let hint = match closest(name, schema.iter().map(|f| f.name)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "known keys here: {}",
                        schema
                            .iter()
                            .map(|f| format!("`{}`", f.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(Diagnostic::error(
                    ctx.file,
                    ctx.at(key.span()),
                    format!("unknown key `{prefix}{name}`"),
                    hint,
                ));
            }
        }
    }
    for field in schema.iter().filter(|f| f.required) {
        if !table.iter().any(|(k, _)| k.get_ref() == field.name) {
            let (what, hint) = match field.kind {
                Kind::Table(_) | Kind::Tables(_) => ("table", format!("add `{}`", field.example)),
                _ => ("key", format!("add `{}`", field.example)),
            };
            out.push(Diagnostic::error(
                ctx.file,
                missing_at,
                format!("missing required {what} `{prefix}{}`", field.name),
                hint,
            ));
        }
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn check_value(
    ctx: &Ctx<'_>,
    field: &Field,
    value: &DeValue<'_>,
    span: std::ops::Range<usize>,
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    let key = format!("{prefix}{}", field.name);
    let at = ctx.at(span.clone());
    let wrong = |expected: &str, out: &mut Vec<Diagnostic>| {
        out.push(Diagnostic::error(
            ctx.file,
            at,
            format!("`{key}` must be {expected}, not {}", type_name(value)),
            format!("write `{}`", field.example),
        ));
    };
    match field.kind {
        Kind::Str => {
            if value.as_str().is_none() {
                wrong("text in double quotes", out);
            }
        }
        Kind::NonEmptyStr => match value.as_str() {
            None => wrong("text in double quotes", out),
            Some(s) if s.trim().is_empty() => out.push(Diagnostic::error(
                ctx.file,
                at,
                format!("`{key}` is empty"),
                if field.name == "source" {
                    "write where the fact was checked, a URL or a publication: `source = \"https://…\"`".to_owned()
                } else {
                    format!("write `{}`", field.example)
                },
            )),
            Some(_) => {}
        },
        Kind::Int(min, max) => match value.as_integer() {
            None => wrong("a whole number (no quotes)", out),
            Some(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) if (min..=max).contains(&n) => {}
                Ok(n) => {
                    let range = if max == U32 {
                        format!("at least {min}")
                    } else {
                        format!("between {min} and {max}")
                    };
                    out.push(Diagnostic::error(
                        ctx.file,
                        at,
                        format!("`{key}` is {n}, but must be {range}"),
                        format!("write e.g. `{}`", field.example),
                    ));
                }
                Err(_) => wrong("a whole number that fits", out),
            },
        },
        Kind::Bool => {
            if value.as_bool().is_none() {
                wrong("`true` or `false`", out);
            }
        }
        Kind::OneOf(allowed) => match value.as_str() {
            None => wrong(&one_of(allowed), out),
            Some(s) if !allowed.contains(&s) => out.push(bad_choice(ctx.file, at, &key, s, allowed)),
            Some(_) => {}
        },
        Kind::StrList | Kind::ListOf(_) => match value.as_array() {
            None => wrong("a list of texts, `[\"…\", \"…\"]`", out),
            Some(items) => {
                for item in items.iter() {
                    let item_at = ctx.at(item.span());
                    match (item.get_ref().as_str(), field.kind) {
                        (None, _) => out.push(Diagnostic::error(
                            ctx.file,
                            item_at,
                            format!("`{key}` must list texts, not {}", type_name(item.get_ref())),
                            format!("write `{}`", field.example),
                        )),
                        (Some(s), Kind::ListOf(allowed)) if !allowed.contains(&s) => {
                            out.push(bad_choice(ctx.file, item_at, &key, s, allowed));
                        }
                        _ => {}
                    }
                }
            }
        },
        Kind::Table(fields) => match value.as_table() {
            None => wrong("a table", out),
            Some(t) => check_table(ctx, t, at, fields, &format!("{key}."), out),
        },
        Kind::Tables(fields) => match value.as_array() {
            None => wrong("a list of tables (`[[…]]`)", out),
            Some(items) if items.iter().next().is_none() => out.push(Diagnostic::error(
                ctx.file,
                at,
                format!("`{key}` is empty"),
                format!("add at least one `{}`", field.example),
            )),
            Some(items) => {
                for item in items.iter() {
                    match item.get_ref().as_table() {
                        None => out.push(Diagnostic::error(
                            ctx.file,
                            ctx.at(item.span()),
                            format!("`{key}` must hold tables, not {}", type_name(item.get_ref())),
                            format!("write `{}`", field.example),
                        )),
                        Some(t) => check_table(ctx, t, ctx.at(item.span()), fields, &format!("{key}."), out),
                    }
                }
            }
        },
    }
}

fn one_of(allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn bad_choice(file: &str, at: (usize, usize), key: &str, got: &str, allowed: &[&str]) -> Diagnostic {
    let hint = match closest(got, allowed.iter().copied()) {
        Some(near) => format!("did you mean \"{near}\"? (one of {})", one_of(allowed)),
        None => format!("write one of {}", one_of(allowed)),
    };
    Diagnostic::error(file, at, format!("`{key}` cannot be \"{got}\""), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_toml_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let s = split("f.md", text).map_err(|d| d.to_string());
        let s = s.as_ref().map(|s| (s.toml, s.body, s.toml_offset, s.body_offset));
        assert_eq!(s, Ok(("title = \"x\"\n", "body\n", 4, 20)));
    }

    #[test]
    fn split_reports_missing_and_unclosed() {
        assert!(split("f.md", "# Hi\n").is_err());
        assert!(split("f.md", "+++\ntitle = 1\n").is_err());
        assert!(split("f.md", "+++\n+++").is_ok());
    }
}

//! The loaded course library: plain data built once by [`super::load_library`] and then only
//! read. Answer keys stay in here (server side); the API layer turns these into DTOs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::gift::Question;

/// One file handed to the loader. The loader never touches the file system: the caller (the
/// server, a test, the browser editor) passes every file of the content root, images included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the content root, `/`-separated (`a-khung-phap-ly/images/so-do.png`).
    pub path: String,
    /// Raw bytes as stored (text is decoded and normalised by the loader).
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from its path and contents.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Every course in the content root, ordered by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Library {
    /// Courses, sorted by id.
    pub courses: Vec<Course>,
}

impl Library {
    /// The course with this id.
    pub fn course(&self, id: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.id.as_str() == id)
    }
}

/// A course id: the folder name, lower-case ASCII letters, digits and single `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourseId(String);

impl CourseId {
    /// Accepts `a-khung-phap-ly`; rejects upper case, diacritics, `_`, leading/trailing/double `-`.
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_slug(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!("`{s}` is not a course id (lower-case letters, digits and `-`)"))
        }
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CourseId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<CourseId> for String {
    fn from(id: CourseId) -> String {
        id.0
    }
}

impl fmt::Display for CourseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `[a-z0-9]+(-[a-z0-9]+)*`
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// A pass mark in percent, 1..=100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct PassMark(u8);

impl PassMark {
    /// Accepts 1..=100.
    pub fn parse(n: i64) -> Result<Self, String> {
        match u8::try_from(n) {
            Ok(p @ 1..=100) => Ok(Self(p)),
            _ => Err(format!("pass mark {n} is not a percentage 1..=100")),
        }
    }

    /// The percentage.
    pub fn percent(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for PassMark {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
        Self::parse(n)
    }
}

impl From<PassMark> for u8 {
    fn from(p: PassMark) -> u8 {
        p.0
    }
}

/// The language a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Vietnamese, the default and the reference text.
    Vi,
    /// English translation.
    En,
}

/// Kinds of agency a course is aimed at (`[audience] agency_kinds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgencyKind {
    /// Sở Công Thương.
    Sct,
    /// Quản lý thị trường.
    Qltt,
    /// Công an.
    Police,
    /// Hải quan.
    Customs,
    /// Sở Khoa học và Công nghệ.
    Skhcn,
    /// UBND xã/phường.
    Commune,
    /// Anything else.
    Other,
}

/// When a learner sees the correct answers and feedback of an exam attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Right after submitting.
    AfterSubmit,
    /// Only once the learner has passed.
    AfterPass,
    /// Never.
    Never,
}

/// `course.md` front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseMeta {
    /// Course title.
    pub title: String,
    /// One-paragraph summary for the catalog.
    pub summary: String,
    /// Language of `course.md` and the lessons without `.en`.
    pub language: Language,
    /// The trainer's version label.
    pub version: String,
    /// Percent needed to pass the exam (the exam may override).
    pub pass_mark: PassMark,
    /// Certificate validity; 0 = never expires.
    pub validity_months: u32,
    /// Estimated total time.
    #[serde(default)]
    pub estimated_minutes: Option<u32>,
    /// Who must take the course.
    pub audience: Audience,
    /// Every legal instrument the lessons cite.
    pub references: Vec<Reference>,
}

/// `[audience]`: who must take the course. Empty lists mean "everyone".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Position titles; empty = every position.
    #[serde(default)]
    pub positions: Vec<String>,
    /// Agency kinds; empty = every agency.
    #[serde(default)]
    pub agency_kinds: Vec<AgencyKind>,
    /// Only officials with an enforcement duty.
    #[serde(default)]
    pub enforcement_only: bool,
}

/// `[[references]]`: a legal instrument and where the fact was checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The number exactly as cited in the text (`52/2013/NĐ-CP`).
    pub number: String,
    /// Full title.
    pub title: String,
    /// URL or publication where it was checked; never empty.
    pub source: String,
}

/// `NN-slug.md` front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    /// Lesson title.
    pub title: String,
    /// Estimated reading time.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// `exam.md` front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamSettings {
    /// Exam title.
    pub title: String,
    /// Questions drawn per attempt.
    pub draw: u32,
    /// Overrides the course's pass mark.
    #[serde(default)]
    pub pass_mark: Option<PassMark>,
    /// 0 = unlimited.
    pub max_attempts: u32,
    /// Wait after a failed attempt; 0 = none.
    pub cooldown_minutes: u32,
    /// Absent = no limit.
    #[serde(default)]
    pub time_limit_minutes: Option<u32>,
    /// Shuffle the drawn questions.
    pub shuffle_questions: bool,
    /// Shuffle each question's answers.
    pub shuffle_answers: bool,
    /// When answers and feedback are shown.
    pub review: Review,
}

/// Front matter of `course.en.md` / `NN-slug.en.md` / `exam.en.md`: only the words change;
/// settings (pass mark, audience, draw, …) are the Vietnamese file's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslatedMeta {
    /// Translated title.
    pub title: String,
    /// Translated summary (`course.en.md` only).
    #[serde(default)]
    pub summary: Option<String>,
    /// Estimated reading time (lessons only).
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// One course: the folder `content/<id>/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    /// Folder name.
    pub id: CourseId,
    /// `course.md` front matter.
    pub meta: CourseMeta,
    /// `course.md` body, rendered and sanitised.
    pub intro_html: String,
    /// Lessons in number order (numbers are 1, 2, 3… without gaps).
    pub lessons: Vec<Lesson>,
    /// `exam.md`, if the course has one.
    pub exam: Option<Exam>,
    /// The `.en.md` parallel set, if any.
    pub translations: Vec<Translation>,
    /// SHA-256 (hex) over every file of the course, paths included.
    pub hash: String,
    /// The course's assets (images, PDFs): path inside the folder → SHA-256 (hex) of the bytes.
    /// Only these are served under `/content/<id>/`, so no other path can be reached.
    #[serde(default)]
    pub assets: std::collections::BTreeMap<String, String>,
}

/// A page as shown to a reader: the text in their language where the course translates it.
/// `fallback` is true when an English reader is shown the Vietnamese original (no twin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown<T> {
    pub page: T,
    pub fallback: bool,
}

impl Course {
    /// The English set, if the course has one.
    pub fn english(&self) -> Option<&Translation> {
        self.translations.iter().find(|t| t.language == Language::En)
    }

    /// The set a reader of `lang` reads besides the Vietnamese: the English one for English.
    fn twin_set(&self, lang: crate::i18n::Lang) -> Option<&Translation> {
        (lang == crate::i18n::Lang::En).then(|| self.english()).flatten()
    }

    /// Picks the twin for `lang` when there is one, else the Vietnamese with `fallback` set for
    /// an English reader.
    fn shown<'a, T: ?Sized>(&'a self, lang: crate::i18n::Lang, vi: &'a T, twin: Option<&'a T>) -> Shown<&'a T> {
        match twin {
            Some(page) => Shown { page, fallback: false },
            None => Shown {
                page: vi,
                fallback: lang == crate::i18n::Lang::En,
            },
        }
    }

    /// The course title in `lang` (the Vietnamese where untranslated).
    pub fn title_in(&self, lang: crate::i18n::Lang) -> &str {
        self.twin_set(lang)
            .map_or(self.meta.title.as_str(), |t| t.title.as_str())
    }

    /// The catalogue summary in `lang`.
    pub fn summary_in(&self, lang: crate::i18n::Lang) -> &str {
        self.twin_set(lang)
            .map_or(self.meta.summary.as_str(), |t| t.summary.as_str())
    }

    /// The introduction (`course.md` body) in `lang`.
    pub fn intro_in(&self, lang: crate::i18n::Lang) -> Shown<&str> {
        self.shown(
            lang,
            self.intro_html.as_str(),
            self.twin_set(lang).map(|t| t.intro_html.as_str()),
        )
    }

    /// Lesson `number` in `lang`; `None` when the course has no such lesson.
    pub fn lesson_in(&self, number: u32, lang: crate::i18n::Lang) -> Option<Shown<&Lesson>> {
        let vi = self.lessons.iter().find(|l| l.number == number)?;
        let twin = self
            .twin_set(lang)
            .and_then(|t| t.lessons.iter().find(|l| l.number == number));
        Some(self.shown(lang, vi, twin))
    }

    /// The exam's title and instructions in `lang` (settings and pool are the Vietnamese
    /// exam's: see [`Course::exam_twin`] for the questions' words).
    pub fn exam_in(&self, lang: crate::i18n::Lang) -> Option<Shown<&Exam>> {
        let vi = self.exam.as_ref()?;
        Some(self.shown(lang, vi, self.twin_set(lang).and_then(|t| t.exam.as_ref())))
    }

    /// The English twin of exam question `name`, for a reader of `lang` (`None` for Vietnamese).
    pub fn exam_twin(&self, name: &str, lang: crate::i18n::Lang) -> Option<&Item> {
        self.twin_set(lang)?
            .exam
            .as_ref()?
            .pool
            .iter()
            .find(|i| i.name() == name)
    }

    /// The pass mark that applies to the exam.
    pub fn exam_pass_mark(&self) -> PassMark {
        self.exam
            .as_ref()
            .and_then(|e| e.settings.pass_mark)
            .unwrap_or(self.meta.pass_mark)
    }
}

/// The same course in another language. Lessons carry the same numbers and share one completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    /// Language of this set.
    pub language: Language,
    /// Translated course title.
    pub title: String,
    /// Translated summary (falls back to the Vietnamese one).
    pub summary: String,
    /// Translated introduction.
    pub intro_html: String,
    /// Translated lessons, by number (a lesson without a translation is absent).
    pub lessons: Vec<Lesson>,
    /// Translated exam (settings copied from the Vietnamese exam, title translated).
    pub exam: Option<Exam>,
}

/// One lesson page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// 1-based number from the file name.
    pub number: u32,
    /// Slug from the file name (`tong-quan` in `01-tong-quan.md`).
    pub slug: String,
    /// Path relative to the content root.
    pub file: String,
    /// Title from the front matter.
    pub title: String,
    /// Estimated reading time.
    pub minutes: Option<u32>,
    /// Rendered, sanitised HTML; each knowledge check stands as `<div class="kc" data-check="N"></div>`.
    pub html: String,
    /// Headings in order, with their anchor ids.
    pub toc: Vec<Heading>,
    /// Knowledge checks in order; `checks[N]` belongs at placeholder `data-check="N"`.
    pub checks: Vec<Item>,
    /// SHA-256 (hex) of the normalised file.
    pub hash: String,
}

/// A heading of a lesson, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1..=6.
    pub level: u8,
    /// Anchor id (written `{#id}` or generated from the text).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// The final exam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exam {
    /// Front matter.
    pub settings: ExamSettings,
    /// Text of `exam.md` outside the question blocks, rendered (instructions).
    pub intro_html: String,
    /// Every question of the pool, in file order.
    pub pool: Vec<Item>,
    /// SHA-256 (hex) of the normalised file.
    pub hash: String,
}

/// A question with its stable identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The parsed question (answer key included).
    pub question: Question,
    /// SHA-256 (hex) of the question's normalised GIFT source.
    pub hash: String,
    /// The lesson that teaches what the question asks (`// lesson: NN-slug.md#anchor` above an
    /// exam question): a learner who misses it is sent there.
    #[serde(default)]
    pub lesson: Option<LessonPointer>,
}

/// A place in a lesson of the same course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonPointer {
    /// The lesson's number.
    pub number: u32,
    /// A heading id or footnote label in it.
    pub anchor: Option<String>,
}

impl Item {
    /// The `::name::`, the question's id across versions (empty if missing, which is an error).
    pub fn name(&self) -> &str {
        self.question.name.as_deref().unwrap_or_default()
    }
}

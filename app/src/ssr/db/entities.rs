//! sea-orm entities for the tables the app reads and writes. Migrations do not use these (they
//! have their own `Iden`s), so entities can evolve without rewriting history.

/// A stored JSON column that does not parse: a damaged row. It is reported (logged with the
/// request that met it, and a 500 to the caller), never read as an empty default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("damaged row: {table}.{column} of id {id} is not valid JSON ({error})")]
pub struct CorruptRow {
    pub table: &'static str,
    pub id: i64,
    pub column: &'static str,
    pub error: String,
}

impl From<CorruptRow> for sea_orm::DbErr {
    fn from(c: CorruptRow) -> Self {
        sea_orm::DbErr::Custom(c.to_string())
    }
}

/// Reads a JSON column of row `id`.
pub fn json_column<T: serde::de::DeserializeOwned>(
    table: &'static str,
    id: i64,
    column: &'static str,
    text: &str,
) -> Result<T, CorruptRow> {
    serde_json::from_str(text).map_err(|e| CorruptRow {
        table,
        id,
        column,
        error: e.to_string(),
    })
}

pub mod agency {
    use sea_orm::entity::prelude::*;

    /// An agency in the tree (Sở, Chi cục, Đội, xã/phường…). `path` lists ancestor ids.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agencies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub code: String,
        pub name: String,
        pub kind: String,
        pub parent_id: Option<i64>,
        pub path: String,
        pub valid_from: Option<Date>,
        pub valid_to: Option<Date>,
        pub merged_into_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod person {
    use sea_orm::entity::prelude::*;

    /// An official on the roster.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub code: String,
        pub full_name: String,
        pub agency_id: i64,
        pub position: String,
        pub enforcement: bool,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub start_date: Option<Date>,
        pub end_date: Option<Date>,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod account {
    use sea_orm::entity::prelude::*;

    /// A sign-in account. The password hash never leaves the server: no DTO carries it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accounts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub username: String,
        pub password_hash: String,
        /// Superseded by [`super::role_grant`] (migration 11): always `learner`, never read.
        pub role: String,
        pub person_id: Option<i64>,
        /// Superseded by [`super::role_grant`] (migration 11): always NULL, never read.
        pub scope_agency_id: Option<i64>,
        /// Bumped on sign-out: every token issued before carries an older version and is refused.
        pub token_version: i64,
        pub disabled: bool,
        /// Why it is disabled: `left` when the roster says the official left (undone when they
        /// come back); otherwise an administrator's decision.
        pub disabled_reason: Option<String>,
        pub created_at: DateTimeUtc,
        /// The person asked for no reminder e-mails (they still see them in the app).
        pub email_opt_out: bool,
        /// The name shown for an account that is not an official (an official's account shows
        /// the roster's name): see [`crate::ssr::auth::shown_name`].
        pub display_name: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role_grant {
    use sea_orm::entity::prelude::*;

    /// One right held by an account: `trainer` (of every course, or of `course_id`), `manager`
    /// (of the subtree under `agency_id`) or `admin`; learning needs no grant. A withdrawn grant
    /// keeps its row, with who withdrew it, when and why.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "role_grants")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub role: String,
        pub agency_id: Option<i64>,
        pub course_id: Option<String>,
        pub reason: String,
        /// None: granted from the command line (or by the migration).
        pub granted_by: Option<i64>,
        pub granted_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoked_by: Option<i64>,
        pub revoke_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod account_code {
    use sea_orm::entity::prelude::*;

    /// A one-time code (activation or password reset), kept only as a keyed hash.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_codes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        /// `activate` or `reset`.
        pub purpose: String,
        #[sea_orm(unique)]
        pub code_hash: String,
        pub issued_by: Option<i64>,
        pub issued_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
        pub voided_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice {
    use sea_orm::entity::prelude::*;

    /// A reminder or digest for one account: shown in the app; e-mailed when SMTP is configured
    /// (`email_state`: `none`, `pending`, `sending`, `sent` or `failed`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub kind: String,
        #[sea_orm(unique)]
        pub dedupe_key: String,
        pub title: String,
        pub body: String,
        pub link: String,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
        pub email_state: String,
        pub email_to: Option<String>,
        pub email_attempts: i32,
        pub email_next_at: Option<DateTimeUtc>,
        pub email_sent_at: Option<DateTimeUtc>,
        pub email_error: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sign_in_event {
    use sea_orm::entity::prelude::*;

    /// A successful sign-in (`ok`), an account activated or a password set with a code
    /// (`code`), or a lock-out (`locked`: a failed sign-in that starts or lengthens a back-off).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sign_in_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// None when the typed name is no account.
        pub account_id: Option<i64>,
        /// The name as typed (at most 64 characters).
        pub username: String,
        pub outcome: String,
        pub address: Option<String>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod header_choice {
    use sea_orm::entity::prelude::*;

    /// A column chosen for a header of a unit's files (`scope_key`: the manager's agency id,
    /// `*` for an administrator), remembered for the next upload.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "header_choices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub scope_key: String,
        /// `roster` or `agencies`.
        pub kind: String,
        pub header_key: String,
        pub label: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_version {
    use sea_orm::entity::prelude::*;

    /// One version of a course, lesson, exam or question, recorded when first loaded.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub course_id: String,
        pub item_key: String,
        pub hash: String,
        pub title: String,
        pub first_seen_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_reload {
    use sea_orm::entity::prelude::*;

    /// A request that every node read the course library again (`taphuan content reload`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_reloads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub requested_at: DateTimeUtc,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_publish {
    use sea_orm::entity::prelude::*;

    /// A course published from the browser editor: minor (wording) or substantive, with a reason.
    /// `changes` is the JSON of `domain::content::publish::Changes`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_publishes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub course_id: String,
        pub kind: String,
        pub reason: String,
        pub published_by: Option<i64>,
        pub published_at: DateTimeUtc,
        pub course_hash: String,
        pub based_on: String,
        #[sea_orm(column_type = "Text")]
        pub changes: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_publish_file {
    use sea_orm::entity::prelude::*;

    /// One file of a published course folder.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_publish_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub publish_id: i64,
        pub path: String,
        #[sea_orm(column_type = "Blob")]
        pub bytes: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod recertification {
    use sea_orm::entity::prelude::*;

    /// A delta recertification opened after a substantive publish: reread these lessons, pass a
    /// short exam drawn from these questions, by the deadline.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recertifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub course_id: String,
        pub publish_id: i64,
        pub reason: String,
        /// JSON array of lesson file names to reread (`02-x.md`).
        #[sea_orm(column_type = "Text")]
        pub lessons: String,
        /// JSON array of exam question names to draw from.
        #[sea_orm(column_type = "Text")]
        pub questions: String,
        pub draw: i32,
        pub deadline: Date,
        /// The manager's subtree it was opened for (None: everyone affected).
        pub scope_agency_id: Option<i64>,
        pub opened_by: Option<i64>,
        pub opened_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Model {
        /// The lesson files to reread; a damaged column is an error.
        pub fn lesson_files(&self) -> Result<Vec<String>, super::CorruptRow> {
            super::json_column("recertifications", self.id, "lessons", &self.lessons)
        }

        /// The question names to draw from; a damaged column is an error.
        pub fn question_names(&self) -> Result<Vec<String>, super::CorruptRow> {
            super::json_column("recertifications", self.id, "questions", &self.questions)
        }
    }
}

pub mod recertification_person {
    use sea_orm::entity::prelude::*;

    /// An official a recertification reaches; `completion_id` once they passed it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recertification_people")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub recertification_id: i64,
        pub person_id: i64,
        pub completion_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod content_draft {
    use sea_orm::entity::prelude::*;

    /// A file of a course being edited in the browser, saved as the trainer types.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "content_drafts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub course_id: String,
        pub path: String,
        /// A text file's draft (empty for an image).
        #[sea_orm(column_type = "Text")]
        pub text: String,
        /// An image's bytes (None: a text file).
        pub bytes: Option<Vec<u8>>,
        pub updated_by: i64,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod program {
    use sea_orm::entity::prelude::*;

    /// A training target: a population (agency subtree × positions × enforcement duty), the
    /// courses it must complete, a threshold and a deadline. List columns hold JSON arrays.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "programs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub code: String,
        pub name: String,
        pub description: String,
        pub root_agency_id: i64,
        pub positions: String,
        pub enforcement_only: bool,
        pub course_ids: String,
        pub course_rule: String,
        pub threshold_percent: i32,
        pub deadline: Date,
        pub metric: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Model {
        /// The positions of the population (empty = every position). A damaged column is an
        /// error: read as empty it would silently widen the population to every position.
        pub fn position_list(&self) -> Result<Vec<String>, super::CorruptRow> {
            super::json_column("programs", self.id, "positions", &self.positions)
        }
        /// The required course ids.
        pub fn course_list(&self) -> Result<Vec<String>, super::CorruptRow> {
            super::json_column("programs", self.id, "course_ids", &self.course_ids)
        }
    }
}

pub mod exemption {
    use sea_orm::entity::prelude::*;

    /// An official exempted from a program, with the reason and who approved it. Counted and
    /// shown separately, never silently dropped from the denominator.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "exemptions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub program_id: i64,
        pub person_id: i64,
        pub reason: String,
        pub approved_by: String,
        /// In force from this day (the day it was recorded: never backdated, so past "as of"
        /// numbers stay as they were).
        pub created_at: DateTimeUtc,
        /// The account that recorded it (NULL for the seed and imports).
        pub recorded_by: Option<i64>,
        /// Withdrawn from this day on; the row stays as history.
        pub withdrawn_at: Option<DateTimeUtc>,
        pub withdrawn_by: Option<i64>,
        pub withdrawal_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod program_revision {
    use sea_orm::entity::prelude::*;

    /// One creation or edit of a program: who, when, why, and the whole rule afterwards (JSON
    /// of `domain::program::ProgramSpec`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "program_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub program_id: i64,
        pub revision: i32,
        pub changed_at: DateTimeUtc,
        pub changed_by: Option<i64>,
        pub changed_by_name: String,
        pub reason: String,
        pub snapshot: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod completion {
    use sea_orm::entity::prelude::*;

    /// An append-only completion event: who completed which course version, how, when, with
    /// what score. Never updated or deleted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "completions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub course_id: String,
        pub course_hash: String,
        pub score_percent: Option<i32>,
        pub completed_at: DateTimeUtc,
        /// `exam`, `class` or `import`.
        pub source: String,
        pub attempt_id: Option<i64>,
        pub created_at: DateTimeUtc,
        /// The in-person class it was earned in (`source` = `class`).
        pub class_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod certificate {
    use sea_orm::entity::prelude::*;

    /// A certificate issued for a completion; valid until `valid_until` (None = no expiry)
    /// unless revoked.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "certificates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub number: String,
        pub person_id: i64,
        pub course_id: String,
        pub completion_id: i64,
        pub issued_at: DateTimeUtc,
        pub valid_until: Option<Date>,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoked_reason: Option<String>,
        /// The account that revoked it.
        pub revoked_by: Option<i64>,
        /// The instant of the course version it was earned on (the exam attempt's start); empty
        /// = when it was issued. See [`Model::earned_on_version_at`].
        pub version_at: Option<DateTimeUtc>,
    }

    impl Model {
        /// When the version it was earned on was served: a substantive publish after this
        /// replaced it, even one made while the exam was being taken.
        pub fn earned_on_version_at(&self) -> DateTimeUtc {
            earned_on(self.issued_at, self.version_at)
        }
    }

    /// [`Model::earned_on_version_at`] from the two columns, for queries that read only those.
    pub fn earned_on(issued_at: DateTimeUtc, version_at: Option<DateTimeUtc>) -> DateTimeUtc {
        version_at.unwrap_or(issued_at)
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod membership {
    use sea_orm::entity::prelude::*;

    /// One period of an official in an agency, `[valid_from, valid_to)` (None = open): the
    /// history that lets coverage be reproduced "as of" a past date.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub agency_id: i64,
        pub position: String,
        pub enforcement: bool,
        pub valid_from: Option<Date>,
        pub valid_to: Option<Date>,
        pub created_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod course_credit {
    use sea_orm::entity::prelude::*;

    /// The first completion of a course by an official, kept current with every completion
    /// (`ssr::coverage::on_completion`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course_credits")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub person_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub course_id: String,
        pub first_completed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod roster_upload {
    use sea_orm::entity::prelude::*;

    /// An uploaded roster awaiting confirmation (`pending`), then `applied` or `discarded`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "roster_uploads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub filename: String,
        pub content: String,
        pub status: String,
        pub summary: String,
        pub created_at: DateTimeUtc,
        pub applied_at: Option<DateTimeUtc>,
        /// `roster` (officials) or `agencies` (the agency tree, admins only).
        pub kind: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outreach_event {
    use sea_orm::entity::prelude::*;

    /// A session for sellers on platforms (`sellers`) or a consumer campaign (`consumers`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outreach_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub agency_id: i64,
        pub held_on: Date,
        pub kind: String,
        pub title: String,
        pub reached: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outreach_population {
    use sea_orm::entity::prelude::*;

    /// The known number of businesses (`sellers`) or consumers of an agency's area.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outreach_populations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub agency_id: i64,
        pub kind: String,
        pub population: i64,
        pub source: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson_progress {
    use sea_orm::entity::prelude::*;

    /// A lesson an official has marked read (one row per person, course and lesson).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson_progress")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub course_id: String,
        pub lesson_number: i32,
        pub lesson_hash: String,
        pub read_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt {
    use sea_orm::entity::prelude::*;

    /// One exam attempt: drawn questions (reproducible from `seed`), time window, and after
    /// submission the responses, the graded result and the score. Submitted at most once.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub person_id: i64,
        pub course_id: String,
        pub attempt_no: i32,
        pub course_hash: String,
        pub exam_hash: String,
        pub seed: i64,
        /// JSON array of question names in presentation order.
        pub questions: String,
        pub started_at: DateTimeUtc,
        pub deadline: Option<DateTimeUtc>,
        pub submitted_at: Option<DateTimeUtc>,
        pub submit_seq: Option<i32>,
        pub responses: Option<String>,
        pub result: Option<String>,
        pub score_percent: Option<i32>,
        pub passed: Option<bool>,
        pub late: bool,
        /// JSON: the answers so far (form fields) while the attempt is open.
        pub draft: Option<String>,
        pub draft_saved_at: Option<DateTimeUtc>,
        /// The delta recertification this attempt is the short exam of (None: the course's exam).
        pub recertification_id: Option<i64>,
        /// JSON object: drawn position → seconds from the start to the first save answering it.
        pub answer_times: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Model {
        /// When each drawn position was first answered (seconds from the start); a damaged or
        /// missing column reads as nothing known.
        pub fn answer_stamps(&self) -> std::collections::BTreeMap<usize, i64> {
            self.answer_times
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default()
        }

        /// The drawn question names, in presentation order. A damaged column is an error, never
        /// an empty attempt (which would grade as 0 with no trace).
        pub fn question_names(&self) -> Result<Vec<String>, super::CorruptRow> {
            super::json_column("attempts", self.id, "questions", &self.questions)
        }
        /// The graded questions of a submitted attempt (`None` before submission).
        pub fn graded<T: serde::de::DeserializeOwned>(&self) -> Result<Option<Vec<T>>, super::CorruptRow> {
            self.result
                .as_deref()
                .map(|r| super::json_column("attempts", self.id, "result", r))
                .transpose()
        }
        /// The answers saved so far (form fields) of an open attempt.
        pub fn draft_fields(&self) -> Result<Vec<(String, String)>, super::CorruptRow> {
            match self.draft.as_deref() {
                None => Ok(Vec::new()),
                Some(d) => super::json_column("attempts", self.id, "draft", d),
            }
        }
    }
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    /// One link of the audit chain (see `domain::audit`): `body` is the event as written,
    /// `digest` its SHA-256, `hash` = SHA-256(`prev_hash` ":" `digest`). Never updated or deleted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub seq: i64,
        pub at: DateTimeUtc,
        pub kind: String,
        /// The official the event is about, if any (for their evidence pack).
        pub person_id: Option<i64>,
        pub body: String,
        pub digest: String,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_head {
    use sea_orm::entity::prelude::*;

    /// The chain's last link (one row, id 1): updated first by every append, which serialises
    /// appends.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub seq: i64,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agency_letterhead {
    use sea_orm::entity::prelude::*;

    /// An agency's issuing identity for the documents it prints (`domain::letterhead`): at most
    /// one per agency. `recipients` holds one recipient a line.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agency_letterheads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub agency_id: i64,
        pub parent_body: String,
        pub issuer: String,
        pub symbol: String,
        pub place: String,
        pub signer_authority: String,
        pub signer_title: String,
        pub signer_name: String,
        pub recipients: String,
        pub updated_at: DateTimeUtc,
        /// None: set by the demo seed or the command line.
        pub updated_by: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class {
    use sea_orm::entity::prelude::*;

    /// An in-person class (lớp tập huấn) of one or more courses.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "classes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub title: String,
        /// Who teaches it, as written.
        pub trainers: String,
        /// JSON array of course ids (read with `ssr::classes::courses_of`).
        pub course_ids: String,
        pub agency_id: i64,
        pub capacity: i32,
        /// `attendance`, `attendance_online_exam` or `attendance_class_exam`.
        pub rule: String,
        pub min_attendance_percent: i32,
        pub pass_percent: i32,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub cancelled_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub class_id: i64,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub place: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_enrolment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_enrolments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub class_id: i64,
        pub person_id: i64,
        /// `enrolled`, `waiting`, `walk_in` or `cancelled`.
        pub status: String,
        pub exam_score: Option<i32>,
        pub scored_by: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_attendance {
    use sea_orm::entity::prelude::*;

    /// One official present at one session: how it was recorded (`checklist`, `qr`, `sheet`) and by
    /// which account.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_attendance")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub session_id: i64,
        pub person_id: i64,
        pub method: String,
        pub recorded_by: i64,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

//! sea-orm entities for the tables the app reads and writes. Migrations do not use these (they
//! have their own `Iden`s), so entities can evolve without rewriting history.

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
        pub role: String,
        pub person_id: Option<i64>,
        pub scope_agency_id: Option<i64>,
        /// Bumped on sign-out: every token issued before carries an older version and is refused.
        pub token_version: i64,
        pub disabled: bool,
        pub created_at: DateTimeUtc,
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

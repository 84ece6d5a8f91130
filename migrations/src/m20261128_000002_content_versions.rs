//! Every version of the course library ever loaded: a completion stores the course hash it was
//! earned against, and this table says what that hash contained (course, lessons, questions).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentVersions {
    Table,
    Id,
    /// `course`, `lesson`, `exam` or `question`.
    Kind,
    CourseId,
    /// Lesson number, question name, or empty for the course itself.
    ItemKey,
    Hash,
    Title,
    FirstSeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContentVersions::Table)
                    .col(
                        ColumnDef::new(ContentVersions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ContentVersions::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(ContentVersions::CourseId).string_len(128).not_null())
                    .col(ColumnDef::new(ContentVersions::ItemKey).string_len(256).not_null())
                    .col(ColumnDef::new(ContentVersions::Hash).string_len(64).not_null())
                    .col(ColumnDef::new(ContentVersions::Title).string().not_null())
                    .col(
                        ColumnDef::new(ContentVersions::FirstSeenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_content_versions")
                    .table(ContentVersions::Table)
                    .col(ContentVersions::Kind)
                    .col(ContentVersions::CourseId)
                    .col(ContentVersions::ItemKey)
                    .col(ContentVersions::Hash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContentVersions::Table).to_owned())
            .await?;
        Ok(())
    }
}

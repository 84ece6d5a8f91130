//! Content published from the browser editor, and the drafts behind it.
//!
//! `content_publishes` is one row per publish of a course (minor or substantive, with a reason);
//! `content_publish_files` holds that publish's whole course folder, so every node serves the same
//! text without a shared disk. A publish stands over the course's folder on disk until that folder
//! changes (`based_on` is the folder's hash when the trainer published): whichever was written
//! last is served. `content_drafts` holds a file being edited, one per course and path, saved as
//! the trainer types.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentPublishes {
    Table,
    Id,
    CourseId,
    Kind,
    Reason,
    PublishedBy,
    PublishedAt,
    CourseHash,
    BasedOn,
    Changes,
}

#[derive(DeriveIden)]
enum ContentPublishFiles {
    Table,
    Id,
    PublishId,
    Path,
    Bytes,
}

#[derive(DeriveIden)]
enum ContentDrafts {
    Table,
    Id,
    CourseId,
    Path,
    Text,
    UpdatedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ContentPublishes::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ContentPublishes::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ContentPublishes::CourseId).string_len(100).not_null())
                .col(ColumnDef::new(ContentPublishes::Kind).string_len(20).not_null())
                .col(ColumnDef::new(ContentPublishes::Reason).string_len(500).not_null())
                .col(ColumnDef::new(ContentPublishes::PublishedBy).big_integer().null())
                .col(
                    ColumnDef::new(ContentPublishes::PublishedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ContentPublishes::CourseHash).string_len(64).not_null())
                .col(ColumnDef::new(ContentPublishes::BasedOn).string_len(64).not_null())
                .col(ColumnDef::new(ContentPublishes::Changes).text().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_content_publishes_course")
                .table(ContentPublishes::Table)
                .col(ContentPublishes::CourseId)
                .col(ContentPublishes::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContentPublishFiles::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ContentPublishFiles::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ContentPublishFiles::PublishId).big_integer().not_null())
                .col(ColumnDef::new(ContentPublishFiles::Path).string_len(300).not_null())
                .col(ColumnDef::new(ContentPublishFiles::Bytes).blob().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ContentPublishFiles::Table, ContentPublishFiles::PublishId)
                        .to(ContentPublishes::Table, ContentPublishes::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_content_publish_files_publish")
                .table(ContentPublishFiles::Table)
                .col(ContentPublishFiles::PublishId)
                .col(ContentPublishFiles::Path)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContentDrafts::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ContentDrafts::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ContentDrafts::CourseId).string_len(100).not_null())
                .col(ColumnDef::new(ContentDrafts::Path).string_len(300).not_null())
                .col(ColumnDef::new(ContentDrafts::Text).text().not_null())
                .col(ColumnDef::new(ContentDrafts::UpdatedBy).big_integer().not_null())
                .col(
                    ColumnDef::new(ContentDrafts::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_content_drafts_file")
                .table(ContentDrafts::Table)
                .col(ContentDrafts::CourseId)
                .col(ContentDrafts::Path)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ContentDrafts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ContentPublishFiles::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ContentPublishes::Table).to_owned())
            .await
    }
}

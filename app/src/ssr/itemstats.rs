//! Item statistics of a course's exam from its submitted attempts ([`crate::domain::itemstats`]),
//! for the trainer's page and its CSV/XLSX download.
//!
//! Route (GET, trainers of the course and the admin):
//! `/courses/{course}/questions/export/{items.csv|items.xlsx}`.

use super::coverage::export::{Cell, Table, attachment};
use super::db::entities::attempt;
use crate::domain::content::Exam;
use crate::domain::exam::GradedItem;
use crate::domain::gift::QuestionKind;
use crate::domain::grading::Response;
use crate::domain::identity::{Courses, Role};
use crate::domain::itemstats::{Answered, ItemStat, PoolItem, item_stats};
use crate::i18n::Lang;
use crate::ssr::auth::AuthUser;
use crate::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as HttpResponse};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Whether `user` may see the questions (and so the key) of `course_id`: the admin, or a trainer
/// of every course or of this one.
pub fn may_see(user: &AuthUser, course_id: &str) -> bool {
    user.holds(Role::Admin)
        || (user.holds(Role::Trainer) && user.courses.as_ref().is_none_or(|c: &Courses| c.allows(course_id)))
}

/// The pool as the statistics count it: each question's name and its number of choices (a
/// true/false question has two: true, false).
pub fn pool(exam: &Exam) -> Vec<PoolItem> {
    exam.pool
        .iter()
        .map(|i| PoolItem {
            name: i.name().to_string(),
            choices: match &i.question.kind {
                QuestionKind::MultipleChoice { choices, .. } => choices.len(),
                QuestionKind::TrueFalse { .. } => 2,
                _ => 0,
            },
        })
        .collect()
}

/// Every submitted attempt of `course_id`, oldest first, as the statistics read it. A result
/// that cannot be read is logged and left out (`damaged` counts them): one damaged row must not
/// hide the statistics of the others.
pub async fn answered(db: &DatabaseConnection, course_id: &str) -> Result<(Vec<Vec<Answered>>, usize), DbErr> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .column(attempt::Column::Result)
        .column(attempt::Column::AnswerTimes)
        .filter(attempt::Column::CourseId.eq(course_id))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        // A recertification's short exam asks a few chosen questions: its scores would skew the
        // upper and lower groups the exam's statistics compare.
        .filter(attempt::Column::RecertificationId.is_null())
        .order_by_asc(attempt::Column::SubmittedAt)
        .order_by_asc(attempt::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut damaged = 0;
    let mut out = Vec::with_capacity(rows.len());
    for (id, result, times) in rows {
        // Seconds per drawn position; an attempt from before times were kept has none.
        let seconds = crate::domain::itemstats::time_per_question(
            &times
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default(),
        );
        match result.as_deref().map(serde_json::from_str::<Vec<GradedItem>>) {
            Some(Ok(items)) => out.push(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(pos, g)| Answered {
                        // Only a question answered in the submission has a time.
                        seconds: seconds.get(&pos).copied().filter(|_| g.response.is_some()),
                        answered: g.response.is_some(),
                        chosen: match g.response {
                            Some(Response::Choice(v)) => Some(v),
                            Some(Response::TrueFalse(b)) => Some(vec![if b { 0 } else { 1 }]),
                            _ => None,
                        },
                        name: g.name,
                        fraction: g.fraction,
                    })
                    .collect(),
            ),
            _ => {
                damaged += 1;
                tracing::warn!(
                    attempt = id,
                    "item statistics: an attempt's result cannot be read; left out"
                );
            }
        }
    }
    Ok((out, damaged))
}

/// The statistics of the exam of `course_id` and the number of attempts they count.
pub async fn course_stats(
    db: &DatabaseConnection,
    exam: &Exam,
    course_id: &str,
) -> Result<(Vec<ItemStat>, usize), DbErr> {
    let (attempts, _) = answered(db, course_id).await?;
    Ok((item_stats(&pool(exam), &attempts), attempts.len()))
}

/// One line per question: name, text, file line, exposure, facility, both discriminations,
/// unanswered, each choice's count, flags.
pub fn table(exam: &Exam, stats: &[ItemStat]) -> Table {
    let headers = [
        "Mã câu hỏi",
        "Nội dung",
        "Dòng trong exam.md",
        "Số lượt rút",
        "Độ dễ (%)",
        "Độ phân biệt (27 %)",
        "Hệ số tương quan điểm-nhị phân",
        "Bỏ trống",
        "Thời gian trung bình (giây)",
        "Số lượt chọn từng phương án",
        "Cảnh báo",
    ]
    .map(String::from)
    .to_vec();
    let rows = exam
        .pool
        .iter()
        .zip(stats)
        .map(|(item, s)| {
            let opt = |x: Option<f64>| x.map_or(Cell::Text(String::new()), Cell::Num);
            let fixed = |x: Option<f64>| x.map_or(Cell::Text(String::new()), |x| Cell::Fixed(x, 2));
            vec![
                Cell::Text(s.name.clone()),
                Cell::Text(item.question.text.clone()),
                Cell::Num(item.question.line as f64),
                Cell::Num(s.exposure as f64),
                opt(s.facility),
                fixed(s.discrimination),
                fixed(s.point_biserial),
                Cell::Num(s.unanswered as f64),
                opt(s.mean_seconds.map(f64::round)),
                Cell::Text(
                    s.chosen
                        .iter()
                        .enumerate()
                        .map(|(i, n)| format!("{}: {n}", (b'A' + i as u8) as char))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Cell::Text(
                    s.flags
                        .iter()
                        .map(|f| f.label().get(Lang::Vi))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]
        })
        .collect();
    Table {
        sheet: "Thống kê câu hỏi".into(),
        headers,
        rows,
    }
}

/// `GET /courses/{course}/questions/export/{file}`: `items.csv` or `items.xlsx`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "item_stats_download"))]
pub async fn download(
    State(state): State<AppState>,
    Path((course_id, file)): Path<(String, String)>,
    crate::ssr::web::SignedIn(user): crate::ssr::web::SignedIn,
) -> HttpResponse {
    if !may_see(&user, &course_id) {
        return (StatusCode::FORBIDDEN, "Bạn không có quyền tải tệp này.").into_response();
    }
    let ext = match file.as_str() {
        "items.csv" => "csv",
        "items.xlsx" => "xlsx",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let loaded = state.content.get();
    let Some((course, exam)) = loaded
        .library
        .course(&course_id)
        .and_then(|c| c.exam.as_ref().map(|e| (c, e)))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (stats, attempts) = match course_stats(&state.db, exam, &course_id).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "item statistics failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi, vui lòng thử lại.").into_response();
        }
    };
    let table = table(exam, &stats);
    let today = crate::ssr::clock::today();
    let title = format!(
        "{} — thống kê câu hỏi — {attempts} lượt làm bài — đến ngày {}",
        course.meta.title,
        today.format("%d/%m/%Y")
    );
    let stem = format!("thong-ke-cau-hoi-{course_id}-{}", today.format("%Y%m%d"));
    attachment(&table, &title, &stem, ext).unwrap_or_else(|e| {
        tracing::error!(error = %e, "item statistics workbook failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi, vui lòng thử lại.").into_response()
    })
}

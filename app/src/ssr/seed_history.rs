//! The demo's history, so the dashboard has something true to show: membership periods for
//! every official, a district office abolished on 1/7/2025 and merged into a commune (its staff
//! moved with it), a few transfers between QLTT teams ten weeks ago, completions and
//! certificates spread over the past twenty weeks, two exemptions with reason and approver, and
//! outreach events. Deterministic (its own seeded RNG; dates relative to today) and batched.

use super::db::entities::{
    agency, certificate, completion, exemption, membership, outreach_event, outreach_population, person, program,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait};
use std::collections::HashMap;

type Ids = HashMap<&'static str, (i64, String)>;
type Seeded = [(i64, i64, &'static str, bool, Option<NaiveDate>)];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

async fn insert_memberships(tx: &DatabaseTransaction, rows: Vec<membership::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(200) {
        membership::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

fn period(
    pid: i64,
    agency_id: i64,
    position: &str,
    enforcement: bool,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> membership::ActiveModel {
    membership::ActiveModel {
        person_id: Set(pid),
        agency_id: Set(agency_id),
        position: Set(position.to_string()),
        enforcement: Set(enforcement),
        valid_from: Set(from),
        valid_to: Set(to),
        created_at: Set(None),
        ..Default::default()
    }
}

/// Membership periods, the abolished district office and the team transfers.
pub async fn seed(
    tx: &DatabaseTransaction,
    ids: &Ids,
    serial: &mut u32,
    seeded: &Seeded,
    learner: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let today = now.date_naive();
    let moved_on = today - Duration::weeks(10);
    let (d05, _) = ids["GL-QLTT-D05"].clone();
    let (d06, _) = ids["GL-QLTT-D06"].clone();
    let mut periods = vec![];
    let mut moved = 0;
    for &(pid, agency_id, position, enforcement, start) in seeded {
        // Three ordinary officers of team 5 moved to team 6 ten weeks ago.
        if agency_id == d05 && moved < 3 && position.starts_with("Kiểm soát viên") && Some(pid) != learner {
            moved += 1;
            periods.push(period(pid, d05, position, enforcement, start, Some(moved_on)));
            periods.push(period(pid, d06, position, enforcement, Some(moved_on), None));
            let p = person::Entity::find_by_id(pid)
                .one(tx)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound("person".into()))?;
            let mut am: person::ActiveModel = p.into();
            am.agency_id = Set(d06);
            am.update(tx).await?;
            continue;
        }
        periods.push(period(pid, agency_id, position, enforcement, start, None));
    }

    // Districts were abolished on 1/7/2025: the economic office of Chư Sê district merged into
    // the new Chư Sê commune, and its staff moved with it.
    let (ubnd, ubnd_path) = ids["GL-UBND"].clone();
    let (chuse, _) = ids["GL-X-CHUSE"].clone();
    let merged_on = date(2025, 7, 1);
    let old = agency::ActiveModel {
        code: Set("GL-H-CHUSE-KT".into()),
        name: Set("Phòng Kinh tế huyện Chư Sê (đến 30/6/2025)".into()),
        kind: Set("district".into()),
        parent_id: Set(Some(ubnd)),
        path: Set(String::new()),
        valid_from: Set(Some(date(2010, 1, 1))),
        valid_to: Set(Some(merged_on)),
        merged_into_id: Set(Some(chuse)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let mut am: agency::ActiveModel = old.clone().into();
    am.path = Set(format!("{ubnd_path}{}/", old.id));
    am.update(tx).await?;
    let staff = [
        ("Rơ Mah Hlen", "Trưởng phòng Kinh tế", true),
        ("Nguyễn Thị Hòa", "Chuyên viên quản lý thương mại", true),
        ("Lê Văn Tâm", "Chuyên viên", false),
        ("Siu H'Bla", "Chuyên viên quản lý thương mại", true),
    ];
    for (name, position, enforcement) in staff {
        *serial += 1;
        let p = person::ActiveModel {
            code: Set(format!("GL{:05}", *serial)),
            full_name: Set(name.into()),
            agency_id: Set(chuse),
            position: Set(position.into()),
            enforcement: Set(enforcement),
            email: Set(None),
            phone: Set(None),
            start_date: Set(Some(date(2018, 3, 1))),
            end_date: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        periods.push(period(
            p.id,
            old.id,
            position,
            enforcement,
            Some(date(2018, 3, 1)),
            Some(merged_on),
        ));
        periods.push(period(p.id, chuse, position, enforcement, Some(merged_on), None));
    }
    insert_memberships(tx, periods).await
}

/// Completions and certificates over the past twenty weeks, exemptions and outreach.
pub async fn seed_training(
    tx: &DatabaseTransaction,
    ids: &Ids,
    seeded: &Seeded,
    learner: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut rng = StdRng::seed_from_u64(319);
    let programs = program::Entity::find().all(tx).await?;
    let core = programs
        .iter()
        .find(|p| p.code == "DA319-THUCTHI-2026")
        .map(|p| p.course_list().map(|c| (p.id, c)))
        .transpose()?
        .unwrap_or_default();
    let overview = programs
        .iter()
        .find(|p| p.code == "DA319-TONGQUAN-2026")
        .map(|p| p.course_list())
        .transpose()?
        .unwrap_or_default();
    let start = now - Duration::weeks(20);
    let when = |rng: &mut StdRng| -> DateTime<Utc> { start + Duration::minutes(rng.gen_range(0..20 * 7 * 24 * 60)) };
    let mut rows = vec![];
    let mut not_covered = vec![];
    for &(pid, agency_id, _, enforcement, _) in seeded {
        if Some(pid) == learner {
            continue;
        }
        if enforcement {
            let r: f64 = rng.r#gen();
            let n = if r < 0.48 {
                core.1.len()
            } else if r < 0.75 {
                rng.gen_range(1..core.1.len().max(2))
            } else {
                0
            };
            if n < core.1.len() {
                not_covered.push((pid, agency_id));
            }
            // The last course is finished on a day spread over the twenty weeks (a little busier
            // lately), the earlier ones some days before it.
            let span = 20.0 * 7.0 * 24.0 * 60.0;
            let finish: f64 = rng.gen_range(0.02_f64..1.0).powf(0.8) * span;
            for (i, c) in core.1.iter().take(n).enumerate() {
                let back = ((n - 1 - i) as f64) * rng.gen_range(2.0..9.0) * 24.0 * 60.0;
                let at = start + Duration::minutes((finish - back).max(0.0) as i64);
                rows.push((pid, c.clone(), at));
            }
        }
        if rng.gen_bool(0.3) {
            for c in &overview {
                rows.push((pid, c.clone(), when(&mut rng)));
            }
        }
    }
    let models: Vec<completion::ActiveModel> = rows
        .iter()
        .map(|(pid, course, at)| completion::ActiveModel {
            person_id: Set(*pid),
            course_id: Set(course.clone()),
            course_hash: Set("seed".into()),
            score_percent: Set(Some(80 + (at.timestamp() % 20) as i32)),
            completed_at: Set(*at),
            source: Set("import".into()),
            attempt_id: Set(None),
            created_at: Set(*at),
            ..Default::default()
        })
        .collect();
    for chunk in models.chunks(300) {
        completion::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx)
            .await?;
    }
    let done = completion::Entity::find().all(tx).await?;
    let certs: Vec<certificate::ActiveModel> = done
        .iter()
        .map(|c| certificate::ActiveModel {
            number: Set(crate::domain::progress::certificate_number(
                c.completed_at.date_naive(),
                rand::random(),
            )),
            person_id: Set(c.person_id),
            course_id: Set(c.course_id.clone()),
            completion_id: Set(c.id),
            issued_at: Set(c.completed_at),
            valid_until: Set(Some(c.completed_at.date_naive() + Duration::days(3 * 365))),
            revoked_at: Set(None),
            revoked_reason: Set(None),
            revoked_by: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in certs.chunks(300) {
        certificate::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx)
            .await?;
    }
    super::coverage::rebuild_credits(tx).await?;

    // Two exemptions, with the reason and who approved them.
    let (d03, _) = ids["GL-QLTT-D03"].clone();
    let (pc03, _) = ids["GL-CA-PC03"].clone();
    for (agency_id, reason, approver) in [
        (
            d03,
            "Nghỉ thai sản từ 01/2026 đến 07/2026",
            "Chi cục trưởng Chi cục QLTT tỉnh Gia Lai",
        ),
        (
            pc03,
            "Biệt phái sang Bộ Công an, không tham gia thực thi tại tỉnh",
            "Trưởng phòng PC03",
        ),
    ] {
        if let Some((pid, _)) = not_covered.iter().find(|(_, a)| *a == agency_id) {
            exemption::ActiveModel {
                program_id: Set(core.0),
                person_id: Set(*pid),
                reason: Set(reason.into()),
                approved_by: Set(approver.into()),
                created_at: Set(now - Duration::weeks(6)),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }

    // Outreach: sessions for online sellers and consumer campaigns, against known populations.
    let pops = [
        (
            "GL-SCT",
            "sellers",
            1850,
            "Danh sách cơ sở kinh doanh trực tuyến đã đăng ký, Sở Công Thương",
        ),
        (
            "GL-QLTT",
            "sellers",
            1850,
            "Cơ sở dữ liệu tổ chức, cá nhân kinh doanh TMĐT của Chi cục",
        ),
        ("GL-P-QUYNHON", "consumers", 52000, "Số hộ gia đình, Phường Quy Nhơn"),
        ("GL-P-PLEIKU", "consumers", 47000, "Số hộ gia đình, Phường Pleiku"),
    ];
    for (code, kind, population, source) in pops {
        outreach_population::ActiveModel {
            agency_id: Set(ids[code].0),
            kind: Set(kind.into()),
            population: Set(population),
            source: Set(source.into()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let events = [
        (
            "GL-QLTT",
            "sellers",
            18,
            "Tập huấn cho người bán trên sàn TMĐT: nghĩa vụ công khai thông tin",
            140,
        ),
        (
            "GL-QLTT-D01",
            "sellers",
            12,
            "Đối thoại với cơ sở livestream bán hàng tại Quy Nhơn",
            65,
        ),
        (
            "GL-QLTT-D02",
            "sellers",
            7,
            "Hướng dẫn ghi nhãn hàng hóa bán trực tuyến",
            48,
        ),
        (
            "GL-SCT",
            "sellers",
            4,
            "Hội nghị phổ biến Nghị định về TMĐT cho doanh nghiệp",
            210,
        ),
        (
            "GL-P-QUYNHON",
            "consumers",
            15,
            "Ngày hội người tiêu dùng thông thái",
            3200,
        ),
        (
            "GL-P-PLEIKU",
            "consumers",
            9,
            "Truyền thông nhận diện hàng giả trên mạng",
            2800,
        ),
        (
            "GL-P-PLEIKU",
            "consumers",
            2,
            "Tuyên truyền trên loa phát thanh tổ dân phố",
            5400,
        ),
    ];
    for (code, kind, weeks_ago, title, reached) in events {
        outreach_event::ActiveModel {
            agency_id: Set(ids[code].0),
            held_on: Set(now.date_naive() - Duration::weeks(weeks_ago)),
            kind: Set(kind.into()),
            title: Set(title.into()),
            reached: Set(reached),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

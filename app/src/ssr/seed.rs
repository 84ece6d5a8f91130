//! The demo province: the new Gia Lai (Gia Lai + Bình Định, two-tier government from 1/7/2025)
//! with its Sở Công Thương, the Chi cục QLTT (under the Sở since 3/2025) and its numbered teams,
//! the police economic unit, customs, Sở KH&CN and a few communes and wards, a few hundred
//! officials with Vietnamese names, and one account per role. Agency names follow the 2025
//! structure; people and numbers are fictitious and the UI says so. Deterministic: the same
//! seed gives the same province, so screenshots and tests are stable.

use super::auth::hash_password;
use super::db::entities::{account, agency, person, program};
use crate::domain::identity::Role;
use crate::domain::letterhead::Letterhead;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    TransactionTrait,
};

/// The password of every demo account (printed in the README).
pub const DEMO_PASSWORD: &str = "taphuan-demo";

/// Why the demo accounts hold their rights.
const DEMO_GRANT: &str = "Tài khoản mẫu của bản demo";

/// The demo accounts: (username, role, agency code of their person or scope).
pub const DEMO_ACCOUNTS: &[(&str, Role, &str)] = &[
    ("hocvien", Role::Learner, "GL-QLTT-D01"),
    ("giangvien", Role::Trainer, "GL-QLTT"),
    ("quanly", Role::Manager, "GL-QLTT"),
    ("quanly.doi1", Role::Manager, "GL-QLTT-D01"),
    ("quantri", Role::Admin, "GL-UBND"),
];

/// The names of the demo accounts that are not officials on the roster (people are shown by
/// name, never by username).
const DEMO_STAFF_NAMES: &[(&str, &str)] = &[
    ("giangvien", "Trần Văn Bình"),
    ("quanly", "Lê Thị Hoa"),
    ("quanly.doi1", "Phạm Văn Đức"),
    ("quantri", "Võ Thị Mai"),
];

struct AgencySeed {
    code: &'static str,
    name: String,
    kind: &'static str,
    parent: Option<&'static str>,
    /// How many officials to generate, and with which positions.
    staff: Staff,
}

#[derive(Clone, Copy)]
enum Staff {
    None,
    ChiCuc,
    Team(usize),
    Sct(usize),
    Police(usize),
    Customs(usize),
    Skhcn(usize),
    Commune(usize),
}

fn agencies() -> Vec<AgencySeed> {
    let mut v = vec![
        AgencySeed {
            code: "GL-UBND",
            name: "UBND tỉnh Gia Lai".into(),
            kind: "other",
            parent: None,
            staff: Staff::None,
        },
        AgencySeed {
            code: "GL-SCT",
            name: "Sở Công Thương tỉnh Gia Lai".into(),
            kind: "sct",
            parent: Some("GL-UBND"),
            staff: Staff::Sct(14),
        },
        AgencySeed {
            code: "GL-QLTT",
            name: "Chi cục Quản lý thị trường tỉnh Gia Lai".into(),
            kind: "qltt",
            parent: Some("GL-SCT"),
            staff: Staff::ChiCuc,
        },
    ];
    const TEAM_CODES: [&str; 11] = [
        "GL-QLTT-D01",
        "GL-QLTT-D02",
        "GL-QLTT-D03",
        "GL-QLTT-D04",
        "GL-QLTT-D05",
        "GL-QLTT-D06",
        "GL-QLTT-D07",
        "GL-QLTT-D08",
        "GL-QLTT-D09",
        "GL-QLTT-D10",
        "GL-QLTT-D11",
    ];
    for (i, code) in TEAM_CODES.iter().enumerate() {
        v.push(AgencySeed {
            code,
            name: format!("Đội Quản lý thị trường số {}", i + 1),
            kind: "qltt",
            parent: Some("GL-QLTT"),
            staff: Staff::Team(9 + (i * 5) % 8),
        });
    }
    v.extend([
        AgencySeed {
            code: "GL-CA",
            name: "Công an tỉnh Gia Lai".into(),
            kind: "police",
            parent: Some("GL-UBND"),
            staff: Staff::None,
        },
        AgencySeed {
            code: "GL-CA-PC03",
            name: "Phòng Cảnh sát kinh tế (PC03)".into(),
            kind: "police",
            parent: Some("GL-CA"),
            staff: Staff::Police(24),
        },
        AgencySeed {
            code: "GL-HQ",
            name: "Đơn vị Hải quan trên địa bàn tỉnh Gia Lai".into(),
            kind: "customs",
            parent: Some("GL-UBND"),
            staff: Staff::Customs(16),
        },
        AgencySeed {
            code: "GL-SKHCN",
            name: "Sở Khoa học và Công nghệ tỉnh Gia Lai".into(),
            kind: "skhcn",
            parent: Some("GL-UBND"),
            staff: Staff::Skhcn(10),
        },
    ]);
    for (code, name) in [
        ("GL-P-QUYNHON", "Phường Quy Nhơn"),
        ("GL-P-PLEIKU", "Phường Pleiku"),
        ("GL-P-ANKHE", "Phường An Khê"),
        ("GL-X-CHUSE", "Xã Chư Sê"),
        ("GL-X-DUCCO", "Xã Đức Cơ"),
        ("GL-X-PHUTHIEN", "Xã Phú Thiện"),
    ] {
        v.push(AgencySeed {
            code,
            name: format!("UBND {name}"),
            kind: "commune",
            parent: Some("GL-UBND"),
            staff: Staff::Commune(6),
        });
    }
    v
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Trương", "Mai", "Lâm",
];
const MIDDLE_M: &[&str] = &[
    "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Xuân", "Trọng", "Anh",
];
const MIDDLE_F: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Bích", "Phương", "Diệu",
];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Phúc", "Quang", "Quân", "Sơn",
    "Thắng", "Trung", "Tuấn", "Việt", "Hiếu", "Đạt", "Toàn", "Lộc",
];
const GIVEN_F: &[&str] = &[
    "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo", "Trang", "Vân", "Yến", "Huyền", "Nhung", "Oanh", "Tâm",
    "Giang", "Ly",
];
/// Names of the Central Highlands' Jrai and Bahnar communities, common among Gia Lai officials.
const HIGHLAND: &[&str] = &[
    "Ksor H'Hiên",
    "Rơ Châm Tuấn",
    "Siu Thu",
    "Rah Lan Hoa",
    "Đinh Văn Hlơn",
    "Kpă Hơ Ni",
    "Rơ Mah Blích",
    "Nay Y Phin",
    "Puih Hlim",
    "Ksor Nhí",
];

fn name(rng: &mut StdRng) -> String {
    if rng.gen_ratio(1, 12) {
        return HIGHLAND[rng.gen_range(0..HIGHLAND.len())].to_string();
    }
    let s = SURNAMES[rng.gen_range(0..SURNAMES.len())];
    if rng.gen_bool(0.55) {
        format!(
            "{s} {} {}",
            MIDDLE_M[rng.gen_range(0..MIDDLE_M.len())],
            GIVEN_M[rng.gen_range(0..GIVEN_M.len())]
        )
    } else {
        format!(
            "{s} {} {}",
            MIDDLE_F[rng.gen_range(0..MIDDLE_F.len())],
            GIVEN_F[rng.gen_range(0..GIVEN_F.len())]
        )
    }
}

/// (position, has an enforcement duty) for each official of a unit.
fn positions(staff: Staff, rng: &mut StdRng) -> Vec<(&'static str, bool)> {
    let pick = |rng: &mut StdRng, opts: &[(&'static str, bool)]| opts[rng.gen_range(0..opts.len())];
    match staff {
        Staff::None => vec![],
        Staff::ChiCuc => vec![
            ("Chi cục trưởng", true),
            ("Phó Chi cục trưởng", true),
            ("Phó Chi cục trưởng", true),
            ("Kiểm soát viên chính thị trường", true),
            ("Kiểm soát viên chính thị trường", true),
            ("Kiểm soát viên thị trường", true),
            ("Kiểm soát viên thị trường", true),
            ("Chuyên viên tổng hợp", false),
            ("Kế toán", false),
        ],
        Staff::Team(n) => {
            let mut v = vec![("Đội trưởng", true), ("Phó Đội trưởng", true)];
            for _ in 2..n {
                v.push(pick(
                    rng,
                    &[
                        ("Kiểm soát viên thị trường", true),
                        ("Kiểm soát viên thị trường", true),
                        ("Kiểm soát viên chính thị trường", true),
                        ("Kiểm soát viên trung cấp thị trường", true),
                    ],
                ));
            }
            v
        }
        Staff::Sct(n) => (0..n)
            .map(|i| {
                if i < 4 {
                    ("Chuyên viên quản lý thương mại điện tử", true)
                } else {
                    ("Chuyên viên", false)
                }
            })
            .collect(),
        Staff::Police(n) => (0..n)
            .map(|_| {
                pick(
                    rng,
                    &[
                        ("Cán bộ điều tra", true),
                        ("Trinh sát viên", true),
                        ("Cán bộ nghiệp vụ", true),
                    ],
                )
            })
            .collect(),
        Staff::Customs(n) => (0..n)
            .map(|_| pick(rng, &[("Công chức hải quan", true), ("Kiểm tra viên hải quan", true)]))
            .collect(),
        Staff::Skhcn(n) => (0..n)
            .map(|i| {
                if i < 3 {
                    ("Chuyên viên an toàn thông tin", true)
                } else {
                    ("Chuyên viên", false)
                }
            })
            .collect(),
        Staff::Commune(n) => (0..n)
            .map(|i| match i {
                0 => ("Phó Chủ tịch UBND", true),
                1 => ("Công chức Văn phòng - Thống kê", false),
                _ => ("Công chức Kinh tế", i % 2 == 0),
            })
            .collect(),
    }
}

/// Seeds the demo if the database has no agencies yet. Returns whether it seeded.
pub async fn seed_demo_if_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if agency::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    seed_demo(db).await?;
    Ok(true)
}

/// Seeds the demo province in one transaction (all or nothing).
pub async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let password_hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let now = chrono::Utc::now();
    let mut rng = StdRng::seed_from_u64(1122);
    let mut ids: std::collections::HashMap<&'static str, (i64, String)> = Default::default();
    let mut person_of_agency: std::collections::HashMap<&'static str, i64> = Default::default();
    let mut serial = 0u32;
    let mut seeded: Vec<(i64, i64, &'static str, bool, Option<chrono::NaiveDate>)> = vec![];
    for a in agencies() {
        let (parent_id, parent_path) = match a.parent {
            Some(p) => {
                let (id, path) = ids.get(p).cloned().expect("parents are listed before children");
                (Some(id), path)
            }
            None => (None, "/".to_string()),
        };
        let row = agency::ActiveModel {
            code: Set(a.code.to_string()),
            name: Set(a.name.clone()),
            kind: Set(a.kind.to_string()),
            parent_id: Set(parent_id),
            path: Set(String::new()),
            valid_from: Set(chrono::NaiveDate::from_ymd_opt(2025, 7, 1)),
            valid_to: Set(None),
            merged_into_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let path = format!("{parent_path}{}/", row.id);
        let mut am: agency::ActiveModel = row.clone().into();
        am.path = Set(path.clone());
        am.update(&tx).await?;
        ids.insert(a.code, (row.id, path));

        for (position, enforcement) in positions(a.staff, &mut rng) {
            serial += 1;
            let full_name = name(&mut rng);
            let p = person::ActiveModel {
                code: Set(format!("GL{serial:05}")),
                full_name: Set(full_name),
                agency_id: Set(row.id),
                position: Set(position.to_string()),
                enforcement: Set(enforcement),
                email: Set(None),
                phone: Set(None),
                start_date: Set(chrono::NaiveDate::from_ymd_opt(
                    2015 + rng.gen_range(0..10),
                    rng.gen_range(1..13),
                    1,
                )),
                end_date: Set(None),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            seeded.push((p.id, row.id, position, enforcement, p.start_date));
            // The learner demo account belongs to an ordinary team member, not the team leader.
            if position.starts_with("Kiểm soát viên") {
                person_of_agency.entry(a.code).or_insert(p.id);
            }
        }
    }
    for (code, letterhead) in demo_letterheads() {
        super::letterhead::save(&tx, ids[code].0, &letterhead, None).await?;
    }
    let learner = person_of_agency.get("GL-QLTT-D01").copied();
    super::seed_history::seed(&tx, &ids, &mut serial, &seeded, learner, now).await?;
    for (username, role, code) in DEMO_ACCOUNTS {
        let (agency_id, _) = ids[code].clone();
        let acc = account::ActiveModel {
            username: Set(username.to_string()),
            password_hash: Set(password_hash.clone()),
            role: Set(Role::Learner.as_str().to_string()),
            person_id: Set(if *role == Role::Learner {
                person_of_agency.get(code).copied()
            } else {
                None
            }),
            scope_agency_id: Set(None),
            token_version: Set(0),
            disabled: Set(false),
            created_at: Set(now),
            display_name: Set(DEMO_STAFF_NAMES
                .iter()
                .find(|(u, _)| u == username)
                .map(|(_, n)| n.to_string())),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        if *role != Role::Learner {
            let agency = (*role == Role::Manager).then_some(agency_id);
            super::rights::ensure(&tx, acc.id, *role, agency, None, DEMO_GRANT, None).await?;
        }
    }
    // Every other official of the demo roster has an account as an import gives it: sign-in
    // name = the official's code, no password until they use an activation code.
    let officials: Vec<(i64, String)> = sea_orm::QueryFilter::filter(
        person::Entity::find(),
        sea_orm::ColumnTrait::eq(&person::Column::Active, true),
    )
    .all(&tx)
    .await?
    .into_iter()
    .map(|p| (p.id, p.code))
    .collect();
    crate::ssr::accounts::sync_roster_accounts(&tx, &officials, &[]).await?;
    let (root_id, _) = ids["GL-UBND"].clone();
    for p in DEMO_PROGRAMS {
        let row = program::ActiveModel {
            code: Set(p.code.into()),
            name: Set(p.name.into()),
            description: Set(p.description.into()),
            root_agency_id: Set(root_id),
            positions: Set("[]".into()),
            enforcement_only: Set(p.enforcement_only),
            course_ids: Set(serde_json::to_string(p.courses)?),
            course_rule: Set("all".into()),
            threshold_percent: Set(100),
            deadline: Set(
                chrono::NaiveDate::from_ymd_opt(p.deadline.0, p.deadline.1, p.deadline.2).expect("valid date"),
            ),
            metric: Set("valid_at_deadline".into()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let spec = super::programs::spec_of(&row)?;
        super::programs::record_revision(&tx, row.id, &spec, None, "Khởi tạo từ dữ liệu minh họa").await?;
    }
    super::seed_history::seed_training(&tx, &ids, &seeded, learner, now).await?;
    // The history above is bulk-inserted: the audit log adopts it, one event per completion.
    super::audit::adopt_unrecorded(&tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The demo's letterheads (the signers are fictitious): the provincial root's documents are
/// issued by the Sở Công Thương, the province's lead on e-commerce; the Chi cục QLTT and its
/// teams issue their own. Every other agency uses the root's until an administrator sets one.
fn demo_letterheads() -> [(&'static str, Letterhead); 2] {
    let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    [
        (
            "GL-UBND",
            Letterhead {
                parent_body: "UBND tỉnh Gia Lai".into(),
                issuer: "Sở Công Thương".into(),
                symbol: "SCT".into(),
                place: "Gia Lai".into(),
                signer_authority: "KT. Giám đốc".into(),
                signer_title: "Phó Giám đốc".into(),
                signer_name: "Trần Thị B".into(),
                recipients: lines(&[
                    "UBND tỉnh (để báo cáo);",
                    "Ban Chỉ đạo tỉnh (để báo cáo);",
                    "Các sở, ngành, UBND xã, phường;",
                    "Lưu: VT, QLTM.",
                ]),
            },
        ),
        (
            "GL-QLTT",
            Letterhead {
                parent_body: "Sở Công Thương tỉnh Gia Lai".into(),
                issuer: "Chi cục Quản lý thị trường".into(),
                symbol: "CCQLTT".into(),
                place: "Gia Lai".into(),
                signer_authority: "KT. Chi cục trưởng".into(),
                signer_title: "Phó Chi cục trưởng".into(),
                signer_name: "Nguyễn Văn A".into(),
                recipients: lines(&[
                    "Sở Công Thương (để báo cáo);",
                    "Ban Chỉ đạo tỉnh (để báo cáo);",
                    "Các Đội QLTT;",
                    "Lưu: VT, NV.",
                ]),
            },
        ),
    ]
}

struct ProgramSeed {
    code: &'static str,
    name: &'static str,
    description: &'static str,
    enforcement_only: bool,
    courses: &'static [&'static str],
    deadline: (i32, u32, u32),
}

/// The demo's targets, after Decision 319/QĐ-TTg and Kế hoạch 1122/KH-UBND: every enforcement
/// official trained in the legal core, and every official in the scheme's overview.
const DEMO_PROGRAMS: &[ProgramSeed] = &[
    ProgramSeed {
        code: "DA319-THUCTHI-2026",
        name: "Đề án 319: 100% cán bộ thực thi được tập huấn về TMĐT",
        description: "Mọi cán bộ có nhiệm vụ thực thi trong tỉnh hoàn thành các khóa học nền tảng về pháp luật TMĐT, hàng giả, bảo vệ người tiêu dùng và nghiệp vụ kiểm tra.",
        enforcement_only: true,
        courses: &[
            "a-khung-phap-ly",
            "b-hang-gia-che-tai",
            "c-bao-ve-nguoi-tieu-dung",
            "d-kiem-tra-xu-ly-vi-pham",
        ],
        deadline: (2026, 12, 31),
    },
    ProgramSeed {
        code: "DA319-TONGQUAN-2026",
        name: "Phổ biến Đề án 319 và Kế hoạch 1122 cho toàn bộ cán bộ",
        description: "Mọi cán bộ trong danh sách nắm được Đề án 319 và kế hoạch thực hiện của tỉnh Gia Lai mới.",
        enforcement_only: false,
        courses: &["f-de-an-319-gia-lai"],
        deadline: (2027, 3, 31),
    },
];

/// Creates (or resets the password of) one account and grants it `role` (unless it already
/// holds it): `taphuan create-user`.
pub async fn create_user(
    db: &impl ConnectionTrait,
    username: &crate::domain::identity::Username,
    password: &crate::domain::identity::NewPassword,
    role: Role,
    scope_agency_code: Option<&str>,
) -> anyhow::Result<i64> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let scope = match scope_agency_code {
        Some(code) => Some(
            agency::Entity::find()
                .filter(agency::Column::Code.eq(code))
                .one(db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no agency with code {code:?}"))?
                .id,
        ),
        None if role == Role::Manager => anyhow::bail!("a manager needs --agency CODE: the subtree they may see"),
        None => None,
    };
    let hash = hash_password(password.expose().to_string()).await?;
    let id = upsert_account(db, username, hash).await?;
    if role != Role::Learner {
        super::rights::ensure(db, id, role, scope, None, "Tạo bằng lệnh taphuan create-user", None).await?;
    }
    Ok(id)
}

/// The account named `username` with a new password hash (ending its sessions), created if new.
async fn upsert_account(
    db: &impl ConnectionTrait,
    username: &crate::domain::identity::Username,
    hash: String,
) -> anyhow::Result<i64> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let existing = account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(db)
        .await?;
    let model = match existing {
        Some(acc) => {
            let version = acc.token_version + 1;
            let mut am: account::ActiveModel = acc.into();
            am.password_hash = Set(hash);
            am.token_version = Set(version);
            am.update(db).await?
        }
        None => {
            account::ActiveModel {
                username: Set(username.as_str().into()),
                password_hash: Set(hash),
                role: Set(Role::Learner.as_str().into()),
                person_id: Set(None),
                scope_agency_id: Set(None),
                token_version: Set(0),
                disabled: Set(false),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    Ok(model.id)
}

//! Records that hold up as evidence, through the real router and the real command line: every
//! record-making change appends a hash-chained audit link; `taphuan audit verify` names the
//! first broken link after each kind of tampering; an evidence pack verifies offline and fails
//! when one byte changes; a backup taken under load restores and verifies.
//! Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

mod common;

use app::ssr::audit::Verdict;
use app::ssr::db::entities::{audit_event, certificate, person};
use common::{TestApp, certify};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::process::{Command, Output};

fn taphuan(db: &str, data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("TAPHUAN_DATA_DIR", data)
        .env(
            "TAPHUAN_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../content"),
        )
        .env_remove("TAPHUAN_ENV")
        .env_remove("TAPHUAN_JWT_SECRET")
        .output()
        .expect("run taphuan")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn data_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taphuan-audit-{tag}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The app's database URL (the CLI opens the same database).
fn url(app: &TestApp) -> String {
    app.state.config.database_url.clone()
}

async fn exec(app: &TestApp, sql: &str) {
    app.state
        .db
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn kinds(app: &TestApp) -> Vec<String> {
    audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn someone_of(app: &TestApp, team: &str) -> person::Model {
    let team = app.agency_id(team).await;
    person::Entity::find()
        .filter(person::Column::AgencyId.eq(team))
        .filter(person::Column::Active.eq(true))
        .order_by_asc(person::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn every_record_making_change_appends_a_link_and_the_chain_verifies() {
    let app = TestApp::spawn().await;
    // The demo's bulk history is adopted into the chain when seeded.
    let adopted = kinds(&app).await;
    assert!(adopted.iter().any(|k| k == "completion.recorded"), "{adopted:?}");
    assert!(adopted.iter().any(|k| k == "target.revised"));
    assert_eq!(
        app::ssr::audit::verify(&app.state.db).await.unwrap(),
        Verdict::Sound {
            links: adopted.len() as i64
        }
    );

    let manager = app.sign_in_demo("quanly.doi1").await;
    let who = someone_of(&app, "GL-QLTT-D01").await;
    let number = certify(&app.state.db, who.id, "e-to-chuc-luc-luong-qltt").await;
    let r = app
        .post_form(
            &format!("/certificates/{number}/revoke"),
            "reason=C%E1%BA%A5p+nh%E1%BA%A7m+ng%C6%B0%E1%BB%9Di",
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Five wrong passwords for one name start the back-off: a lock-out event.
    for _ in 0..6 {
        app.sign_in("hocvien", "sai-mat-khau").await;
    }
    let now = kinds(&app).await;
    let added: Vec<&str> = now[adopted.len()..].iter().map(String::as_str).collect();
    assert!(added.contains(&"completion.recorded"), "{added:?}");
    assert!(added.contains(&"certificate.revoked"), "{added:?}");
    assert!(added.contains(&"sign_in.locked"), "{added:?}");
    let revoked = audit_event::Entity::find()
        .filter(audit_event::Column::Kind.eq("certificate.revoked"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revoked.person_id, Some(who.id));
    assert!(revoked.body.contains("Cấp nhầm người"), "{}", revoked.body);
    assert!(revoked.body.contains("quanly.doi1"), "who did it: {}", revoked.body);
    assert!(matches!(
        app::ssr::audit::verify(&app.state.db).await.unwrap(),
        Verdict::Sound { .. }
    ));

    let data = data_dir("ok");
    let o = taphuan(&url(&app), &data, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("audit chain sound"), "{}", text(&o));
    let o = taphuan(&url(&app), &data, &["check"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("course credits: equal to a recompute"),
        "{}",
        text(&o)
    );
}

/// Each kind of tampering, on its own fresh chain, as `taphuan audit verify` reports it.
#[tokio::test]
async fn audit_verify_names_the_first_broken_link_after_each_kind_of_tampering() {
    use app::domain::audit::{digest, link_hash};
    let cases: &[(&str, &str)] = &[
        ("edit", "link 5 was altered"),
        ("delete", "link 7 is missing"),
        ("insert", "link 8 was moved: its text says it is link 7"),
        ("reorder", "link 4 was moved: its text says it is link 5"),
        ("truncate", "but its head is link"),
        ("record", "differs from its audit event"),
    ];
    let data = data_dir("tamper");
    for (case, expected) in cases {
        let app = TestApp::spawn().await;
        let links = audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Seq)
            .all(&app.state.db)
            .await
            .unwrap();
        assert!(links.len() > 10, "the demo chain is long enough to tamper with");
        match *case {
            "edit" => {
                exec(
                    &app,
                    "UPDATE audit_events SET body = REPLACE(body, '\"seq\":5,', '\"seq\":5, ') WHERE seq = 5",
                )
                .await
            }
            "delete" => exec(&app, "DELETE FROM audit_events WHERE seq = 7").await,
            "insert" => {
                // A well-forged link 7 (right digest, right hash after link 6); the links from 7
                // on are moved one place up to make room.
                exec(&app, "UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= 7").await;
                exec(&app, "UPDATE audit_events SET seq = seq - 999999 WHERE seq > 1000000").await;
                let body = links[6].body.replacen("\"at\":\"", "\"at\":\"forged ", 1);
                let d = digest(&body);
                let h = link_hash(&links[5].hash, &d);
                let at = chrono::Utc::now();
                audit_event::Entity::insert(audit_event::ActiveModel {
                    seq: sea_orm::Set(7),
                    at: sea_orm::Set(at),
                    kind: sea_orm::Set(links[6].kind.clone()),
                    person_id: sea_orm::Set(links[6].person_id),
                    body: sea_orm::Set(body),
                    digest: sea_orm::Set(d),
                    prev_hash: sea_orm::Set(links[5].hash.clone()),
                    hash: sea_orm::Set(h),
                    ..Default::default()
                })
                .exec(&app.state.db)
                .await
                .unwrap();
            }
            "reorder" => {
                exec(&app, "UPDATE audit_events SET seq = -1 WHERE seq = 4").await;
                exec(&app, "UPDATE audit_events SET seq = 4 WHERE seq = 5").await;
                exec(&app, "UPDATE audit_events SET seq = 5 WHERE seq = -1").await;
            }
            "truncate" => {
                let last = links.last().unwrap().seq;
                exec(&app, &format!("DELETE FROM audit_events WHERE seq = {last}")).await
            }
            "record" => {
                exec(
                    &app,
                    "UPDATE completions SET score_percent = 100 WHERE id = (SELECT MIN(id) FROM completions)",
                )
                .await
            }
            _ => unreachable!(),
        }
        let o = taphuan(&url(&app), &data, &["audit", "verify"]);
        assert!(!o.status.success(), "{case}: tampering went unnoticed: {}", text(&o));
        assert!(
            text(&o).contains(expected),
            "{case}: expected {expected:?} in: {}",
            text(&o)
        );
        if *case != "record" {
            assert!(text(&o).contains("audit chain broken at link"), "{case}: {}", text(&o));
        }
    }
    std::fs::remove_dir_all(data).ok();
}

#[tokio::test]
async fn an_evidence_pack_verifies_offline_and_one_changed_byte_fails_it() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let who = someone_of(&app, "GL-QLTT-D01").await;
    let number = certify(&app.state.db, who.id, "e-to-chuc-luc-luong-qltt").await;
    let r = app
        .post_form(
            &format!("/certificates/{number}/revoke"),
            "reason=Sai+h%E1%BB%93+s%C6%A1",
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    certify(&app.state.db, who.id, "e-to-chuc-luc-luong-qltt").await;

    // Through the page's link, as the manager downloads it.
    let r = app
        .get(&format!("/people/{}/evidence.zip", who.id), Some(&manager))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pack = r.bytes;
    assert_eq!(&pack[..2], b"PK", "a ZIP");
    let public = app.state.certs.public_pem().to_string();
    let v = app::ssr::evidence::verify(&pack, &public).expect("the pack verifies");
    assert_eq!(v.manifest.sub, who.code);
    assert!(v.completions >= 2, "both completions: {v:?}");
    assert!(v.certificates >= 2);
    let summary = read_zip(&pack, "summary.html");
    assert!(
        summary.contains(&who.full_name) && summary.contains(&number),
        "{summary}"
    );
    assert!(summary.contains("Đã thu hồi"), "the revocation shows in the summary");

    // Offline, with the command line and only the public key.
    let dir = data_dir("pack");
    let key = dir.join("key.pem");
    std::fs::write(&key, &public).unwrap();
    let file = dir.join("pack.zip");
    std::fs::write(&file, &pack).unwrap();
    let offline = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_taphuan"))
            .args(["evidence", "verify"])
            .arg(file)
            .arg("--key")
            .arg(&key)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let o = offline(&file);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("verified: evidence pack of {}", who.full_name)),
        "{}",
        text(&o)
    );

    // One byte changed anywhere in the file fails it: at a few places spread over the pack.
    for at in [10, pack.len() / 3, pack.len() / 2, pack.len() - 30] {
        let mut bad = pack.clone();
        bad[at] ^= 0x01;
        let file = dir.join(format!("bad-{at}.zip"));
        std::fs::write(&file, &bad).unwrap();
        let o = offline(&file);
        assert!(!o.status.success(), "byte {at} changed and still verified");
        assert!(text(&o).contains("NOT VERIFIED"), "{}", text(&o));
    }
    // A file rewritten and the pack rebuilt as a well-formed pack fails on the signed hash.
    let rezipped = rezip(&pack, "completions.json", |s| {
        s.replacen("\"score\": 90", "\"score\": 99", 1)
    });
    let e = app::ssr::evidence::verify(&rezipped, &public).unwrap_err();
    assert!(e.contains("completions.json was changed after signing"), "{e}");
    // Someone else's key does not verify it.
    let other = app::ssr::certs::public_pem_from_private(&app::ssr::certs::generate_private_pem()).unwrap();
    assert!(app::ssr::evidence::verify(&pack, &other).is_err());

    // A learner may not have anyone's pack; a manager of another team gets nothing either.
    let learner = app.sign_in_demo("hocvien").await;
    let r = app
        .get(&format!("/people/{}/evidence.zip", who.id), Some(&learner))
        .await;
    assert_eq!(r.status, 403);
    let other_team = someone_of(&app, "GL-QLTT-D02").await;
    let r = app
        .get(&format!("/people/{}/evidence.zip", other_team.id), Some(&manager))
        .await;
    assert_eq!(r.status, 404);
    std::fs::remove_dir_all(dir).ok();
}

fn read_zip(pack: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(pack)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn rezip(pack: &[u8], name: &str, change: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(pack)).unwrap();
    let mut files = vec![];
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let n = f.name().to_string();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        let s = if n == name { change(&s) } else { s };
        files.push((n, s));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, s)| (n.as_str(), s.as_bytes())).collect();
    app::ssr::evidence::canonical_zip(&files).unwrap()
}

/// A backup taken while exams are being passed restores into a database whose chain, records
/// and credits all verify, with every completion committed before the backup.
#[tokio::test]
async fn a_backup_taken_under_load_restores_and_verifies() {
    let app = TestApp::spawn().await;
    let people: Vec<i64> = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .order_by_asc(person::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .take(60)
        .collect();
    let writer = {
        let db = app.state.db.clone();
        let people = people.clone();
        tokio::spawn(async move {
            for pid in people {
                certify(&db, pid, "e-to-chuc-luc-luong-qltt").await;
            }
        })
    };
    // Let some of the load land, then back up in the middle of it.
    while certificate::Entity::find()
        .filter(certificate::Column::CourseId.eq("e-to-chuc-luc-luong-qltt"))
        .all(&app.state.db)
        .await
        .unwrap()
        .len()
        < 10
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = data_dir("backup");
    let file = dir.join(if app.backend == "sqlite" {
        "backup.db"
    } else {
        "backup.dump"
    });
    app::ssr::backup::backup(&app.state.db, &url(&app), &file)
        .await
        .expect("backup under load");
    writer.await.unwrap();
    let live = app::ssr::backup::health(&app.state.db).await.unwrap();
    assert!(live.sound(), "{live}");

    // Restore into a new, empty database through the command line.
    let (target, _) = common::fresh_database_url().await;
    let o = taphuan(&target, &dir, &["restore", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("audit chain: sound"), "{}", text(&o));
    assert!(
        text(&o).contains("course credits: equal to a recompute"),
        "{}",
        text(&o)
    );
    let restored = sea_orm::Database::connect(&target).await.unwrap();
    let h = app::ssr::backup::health(&restored).await.unwrap();
    assert!(h.sound(), "{h}");
    assert!(
        h.completions > 10 && h.completions <= live.completions,
        "the backup holds what was committed before it: {} of {}",
        h.completions,
        live.completions
    );
    if app.backend == "postgres" {
        // Nodes still running on the restored database must compute their coverage views
        // afresh: the restore marks everyone changed after every change the backup holds.
        use sea_orm::ConnectionTrait;
        let row = restored
            .query_one_raw(sea_orm::Statement::from_string(
                restored.get_database_backend(),
                "SELECT (SELECT stamp FROM coverage_touched WHERE person_id = 0) AS everyone, \
                 (SELECT MAX(stamp) FROM coverage_touched WHERE person_id <> 0) AS officials",
            ))
            .await
            .unwrap()
            .unwrap();
        let everyone: i64 = row.try_get("", "everyone").unwrap();
        let officials: i64 = row.try_get("", "officials").unwrap();
        assert!(everyone > officials, "{everyone} after {officials}");
    }
    restored.close().await.ok();
    // A damaged backup is refused before anything is replaced.
    if app.backend == "sqlite" {
        let bad = dir.join("bad.db");
        let mut bytes = std::fs::read(&file).unwrap();
        let n = bytes.len();
        for b in &mut bytes[n / 2..n / 2 + 4096] {
            *b = 0xff;
        }
        std::fs::write(&bad, bytes).unwrap();
        let (target2, _) = common::fresh_database_url().await;
        let o = taphuan(&target2, &dir, &["restore", bad.to_str().unwrap()]);
        assert!(!o.status.success(), "a damaged backup restored: {}", text(&o));
    }
    std::fs::remove_dir_all(dir).ok();
}

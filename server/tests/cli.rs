//! The `taphuan` command line against a real database: migrate, seed the demo once, create a
//! user who can then sign in, and refuse bad input or an unsafe production start with a clear
//! message.

mod common;
use common::{TestApp, fresh_database_url};
use std::process::{Command, Output};

fn taphuan(db: &str, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let data = std::env::temp_dir().join(format!("taphuan-cli-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taphuan"));
    cmd.args(args)
        .env("DATABASE_URL", db)
        .env("TAPHUAN_DATA_DIR", &data)
        .env_remove("TAPHUAN_ENV")
        .env_remove("TAPHUAN_JWT_SECRET");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().expect("run taphuan")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn migrate_seed_and_create_user_then_sign_in() {
    let (db, backend) = fresh_database_url().await;
    let o = taphuan(&db, &["migrate"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = taphuan(&db, &["seed-demo"], &[]);
    assert!(text(&o).contains("demo province seeded"), "{}", text(&o));
    let o = taphuan(&db, &["seed-demo"], &[]);
    assert!(
        text(&o).contains("nothing seeded"),
        "seeding twice does nothing: {}",
        text(&o)
    );

    let o = taphuan(
        &db,
        &[
            "create-user",
            "--username",
            "Truong.Doi2",
            "--role",
            "manager",
            "--agency",
            "GL-QLTT-D02",
        ],
        &[("TAPHUAN_NEW_PASSWORD", "mật-khẩu-đủ-dài")],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("truong.doi2"),
        "the username is normalised: {}",
        text(&o)
    );

    let app = TestApp::on_database(&db, backend, |_| {}).await;
    let token = app
        .sign_in("truong.doi2", "mật-khẩu-đủ-dài")
        .await
        .expect("the new manager signs in");
    let rows = app.call("agencies", "", Some(&token)).await.json();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(
        rows[0]["code"], "GL-QLTT-D02",
        "scoped to the agency given on the command line"
    );
}

#[tokio::test]
async fn rights_are_granted_listed_and_withdrawn_from_the_command_line_with_reasons() {
    let (db, _) = fresh_database_url().await;
    assert!(taphuan(&db, &["seed-demo"], &[]).status.success());
    let user = |args: &[&str]| {
        let mut all = vec!["user"];
        all.extend_from_slice(args);
        let content = concat!(env!("CARGO_MANIFEST_DIR"), "/../content");
        let o = taphuan(&db, &all, &[("TAPHUAN_CONTENT_DIR", content)]);
        (o.status.success(), text(&o))
    };
    let (ok, out) = user(&["grant", "hocvien", "--role", "manager", "--reason", "Tổ trưởng"]);
    assert!(!ok && out.contains("needs the agency"), "{out}");
    let (ok, out) = user(&[
        "grant",
        "hocvien",
        "--role",
        "manager",
        "--agency",
        "GL-QLTT-D01",
        "--reason",
        "Tổ trưởng tổ 1",
    ]);
    assert!(ok, "{out}");
    let (ok, out) = user(&[
        "grant",
        "hocvien",
        "--role",
        "trainer",
        "--course",
        "a-khung-phap-ly",
        "--reason",
        "Báo cáo viên",
    ]);
    assert!(ok, "{out}");
    let (_, out) = user(&["show", "hocvien"]);
    assert!(out.contains("manager of Đội Quản lý thị trường số 1: granted"), "{out}");
    assert!(out.contains("by the command line (Tổ trưởng tổ 1)"), "{out}");
    assert!(out.contains("trainer of a-khung-phap-ly"), "{out}");
    let (_, out) = user(&["list"]);
    let line = out.lines().find(|l| l.starts_with("hocvien\t")).expect("listed");
    assert!(
        line.contains("manager of Đội Quản lý thị trường số 1") && line.contains("trainer of a-khung-phap-ly"),
        "{line}"
    );
    let (ok, out) = user(&["revoke", "hocvien", "--role", "admin", "--reason", "x"]);
    assert!(!ok && out.contains("holds no such right"), "{out}");
    let (ok, out) = user(&["revoke", "hocvien", "--role", "manager", "--reason", "Hết nhiệm vụ"]);
    assert!(ok, "{out}");
    let (_, out) = user(&["show", "hocvien"]);
    assert!(out.contains("; withdrawn") && out.contains("(Hết nhiệm vụ)"), "{out}");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_message() {
    let (db, _) = fresh_database_url().await;
    let o = taphuan(
        &db,
        &["create-user", "--username", "x", "--role", "learner"],
        &[("TAPHUAN_NEW_PASSWORD", "long-enough")],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("username must be 3 to 64 characters"), "{}", text(&o));
    let o = taphuan(
        &db,
        &["create-user", "--username", "ok-name", "--role", "boss"],
        &[("TAPHUAN_NEW_PASSWORD", "long-enough")],
    );
    assert!(text(&o).contains("unknown role \"boss\""), "{}", text(&o));
    let o = taphuan(
        &db,
        &["create-user", "--username", "ok-name", "--role", "manager"],
        &[("TAPHUAN_NEW_PASSWORD", "long-enough")],
    );
    assert!(text(&o).contains("a manager needs --agency CODE"), "{}", text(&o));
    let o = taphuan(
        &db,
        &["create-user", "--username", "ok-name", "--role", "learner"],
        &[("TAPHUAN_NEW_PASSWORD", "short")],
    );
    assert!(text(&o).contains("at least 8 characters"), "{}", text(&o));
}

#[tokio::test]
async fn production_refuses_to_start_without_a_signing_secret() {
    let (db, _) = fresh_database_url().await;
    let o = taphuan(&db, &["migrate"], &[("TAPHUAN_ENV", "production")]);
    assert!(!o.status.success());
    assert!(text(&o).contains("TAPHUAN_JWT_SECRET must be set"), "{}", text(&o));
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["serve", "migrate", "create-user", "seed-demo", "content", "user"] {
        let o = Command::new(env!("CARGO_BIN_EXE_taphuan"))
            .args([sub, "--help"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{sub} --help");
        assert!(String::from_utf8_lossy(&o.stdout).contains("Usage: taphuan"), "{sub}");
    }
}

//! Reminders: made when due, each exactly once however often the job runs (a restart of the
//! sender included), e-mailed through a real SMTP conversation with a sink this test starts on
//! loopback, and shown in the app (the bell's count and /notices) — in-app only when SMTP is
//! not configured. Officials can turn the e-mails off.

mod common;
use app::ssr::db::entities::{account, notice, person};
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Six days before the demo targets' deadline (31/12/2026): the 7-day reminders are due.
fn near_deadline() -> app::ssr::clock::Frozen {
    app::ssr::clock::freeze(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 25)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap()
            .and_utc(),
    )
}

/// The demo learner, with an e-mail address on the roster.
async fn learner_with_email(app: &TestApp) -> (account::Model, String) {
    let acc = account::Entity::find()
        .filter(account::Column::Username.eq("hocvien"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let email = "hocvien@qltt.gialai.gov.vn".to_string();
    person::Entity::update_many()
        .col_expr(person::Column::Email, Expr::value(email.clone()))
        .filter(person::Column::Id.eq(acc.person_id.unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
    (acc, email)
}

#[tokio::test]
async fn reminders_are_emailed_exactly_once_across_a_restart_of_the_sender() {
    let (port, inbox) = common::smtp_sink().await;
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let (acc, email) = learner_with_email(&app).await;
    let _clock = near_deadline();
    let today = app::ssr::clock::today();

    // First sender.
    let mailer = app::ssr::reminders::mailer(&app.state).expect("SMTP configured");
    let first = app::ssr::reminders::run(&app.state, Some(mailer.as_ref()), today)
        .await
        .unwrap();
    assert!(first.made > 0 && first.sent > 0, "{first:?}");
    let mine: Vec<(String, String)> = inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|(to, _)| *to == email)
        .cloned()
        .collect();
    assert!(!mine.is_empty(), "the learner's reminders reached the SMTP server");
    assert!(
        mine.iter()
            .any(|(_, data)| data.contains("Subject:") && data.contains("/courses/")),
        "{mine:?}"
    );
    let delivered = inbox.lock().unwrap().len();
    assert_eq!(delivered, first.sent);

    // A restart: a new sender (a new mailer, as a restarted server builds), the job runs again
    // twice. Nothing new is made, nothing is sent twice.
    drop(mailer);
    let mailer = app::ssr::reminders::mailer(&app.state).unwrap();
    for _ in 0..2 {
        let again = app::ssr::reminders::run(&app.state, Some(mailer.as_ref()), today)
            .await
            .unwrap();
        assert_eq!((again.made, again.sent), (0, 0), "{again:?}");
    }
    assert_eq!(inbox.lock().unwrap().len(), delivered, "exactly once each");
    let sent = notice::Entity::find()
        .filter(notice::Column::AccountId.eq(acc.id))
        .filter(notice::Column::EmailState.eq("sent"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sent as usize, mine.len());

    // The learner sees them in the app too: the bell's count and the list.
    let token = app.sign_in_demo("hocvien").await;
    let me = app.call("whoami", "", Some(&token)).await.json();
    assert!(me["user"]["unread"].as_u64().unwrap() >= sent, "{me}");
    let page = app.get("/notices", Some(&token)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Còn 6 ngày"), "the 7-day reminder, in words");
    // Read, and e-mail turned off: nothing more is e-mailed to them.
    app.post_form("/notices/read", "", Some(&token)).await;
    assert_eq!(app.call("whoami", "", Some(&token)).await.json()["user"]["unread"], 0);
    let r = app.post_form("/notices/email", "email=off", Some(&token)).await;
    assert_eq!(r.location.as_deref(), Some("/notices?email=off"));
    let _later = app::ssr::clock::freeze(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 30)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let r = app::ssr::reminders::run(&app.state, Some(mailer.as_ref()), app::ssr::clock::today())
        .await
        .unwrap();
    assert!(r.made > 0, "the 1-day reminders are made");
    let to_learner = inbox.lock().unwrap().iter().filter(|(to, _)| *to == email).count();
    assert_eq!(to_learner, mine.len(), "opted out: no further e-mail");
}

#[tokio::test]
async fn without_smtp_reminders_stay_in_the_app_and_a_failing_relay_is_retried_then_reported() {
    let app = TestApp::spawn().await;
    let (acc, _) = learner_with_email(&app).await;
    let _clock = near_deadline();
    let today = app::ssr::clock::today();
    assert!(app::ssr::reminders::mailer(&app.state).is_none());
    let r = app::ssr::reminders::run(&app.state, None, today).await.unwrap();
    assert!(r.made > 0 && r.sent == 0, "{r:?}");
    let states: Vec<String> = notice::Entity::find()
        .filter(notice::Column::AccountId.eq(acc.id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.email_state)
        .collect();
    assert!(!states.is_empty() && states.iter().all(|s| s == "none"), "{states:?}");
    // A manager gets the weekly digest, once a week.
    let quanly = account::Entity::find()
        .filter(account::Column::Username.eq("quanly"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let digest = notice::Entity::find()
        .filter(notice::Column::AccountId.eq(quanly.id))
        .filter(notice::Column::Kind.eq("digest"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(digest.len(), 1);
    assert!(digest[0].body.contains("cán bộ đã đạt"), "{}", digest[0].body);
    assert!(
        digest[0].body.contains(",") && digest[0].body.contains(" %)"),
        "a decimal comma: {}",
        digest[0].body
    );

    // A relay that refuses: retried with back-off, then marked failed for the admin to see.
    struct Refusing;
    impl app::ssr::reminders::Mailer for Refusing {
        fn send<'a>(&'a self, _: &'a str, _: &'a str, _: &'a str) -> app::ssr::reminders::Sending<'a> {
            Box::pin(async { Err("550 relay refused".to_string()) })
        }
    }
    notice::Entity::update_many()
        .col_expr(notice::Column::EmailState, Expr::value("pending"))
        .col_expr(notice::Column::EmailTo, Expr::value("hocvien@qltt.gialai.gov.vn"))
        .filter(notice::Column::AccountId.eq(acc.id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let mut now = app::ssr::clock::now();
    let mut failed = 0;
    for _ in 0..app::ssr::reminders::MAX_ATTEMPTS {
        let (sent, f) = app::ssr::reminders::send_pending(&app.state.db, &Refusing, "", now)
            .await
            .unwrap();
        assert_eq!(sent, 0);
        failed += f;
        now += chrono::Duration::hours(1);
    }
    assert!(failed > 0);
    let admin = app.sign_in_demo("quantri").await;
    let o = app.call("admin_overview", "", Some(&admin)).await.json();
    assert!(
        o["email_failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f[2] == "550 relay refused"),
        "{o}"
    );
}

//! The shell (the HTML document), `<App/>` and the route table. Nothing else lives here.

use crate::components::layout::Layout;
use crate::i18n::request_lang;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    // The page's Content-Security-Policy names the nonce Leptos put on its inline scripts.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(v) = http::HeaderValue::from_str(&crate::ssr::headers::page_policy(&nonce))
    {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23b3261e'/%3E%3Cpath d='M8 3l1.5 3.2 3.5.4-2.6 2.3.8 3.4L8 10.6 4.8 12.3l.8-3.4L3 6.6l3.5-.4z' fill='%23ffd54f'/%3E%3C/svg%3E"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: context (meta, language, the signed-in user) and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    crate::components::session::provide_session();
    // `data-hydrated`, the moment the page is interactive (browser tests wait for it), is set by
    // `crate::hydrate` once the islands are hydrated.

    view! {
        <Stylesheet id="leptos" href="/pkg/taphuan.css"/>
        <Meta name="description" content="Taphuan: tập huấn và cấp chứng nhận cho cán bộ thực thi pháp luật thương mại điện tử"/>
        <Link rel="preload" href="/pkg/taphuan.css" as_="style"/>
        // `text=""`: a page whose own title never comes (an error in place of its data) is still
        // titled "Taphuan"; a page's <Title/> is rendered later and wins.
        <Title formatter=|t: String| if t.is_empty() { "Taphuan".to_string() } else { format!("{t} · Taphuan") } text=""/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=pages::sign_in::SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/activate") view=pages::activate::Activate ssr=SsrMode::Async/>
                    <Route path=path!("/learn") view=pages::learn::Learn ssr=SsrMode::Async/>
                    <Route path=path!("/content") view=pages::content::ContentLibrary ssr=SsrMode::Async/>
                    <Route path=path!("/content/:course") view=pages::editor::CourseEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/retraining") view=pages::retraining::Retraining ssr=SsrMode::Async/>
                    <Route path=path!("/authoring-guide") view=pages::editor::AuthoringGuidePage ssr=SsrMode::Async/>
                    <Route path=path!("/coverage") view=pages::coverage::Coverage ssr=SsrMode::Async/>
                    <Route path=path!("/coverage/report") view=pages::coverage_report::CoverageReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=pages::person::Person ssr=SsrMode::Async/>
                    <Route path=path!("/roster") view=pages::roster::Roster ssr=SsrMode::Async/>
                    <Route path=path!("/programs") view=pages::programs::Programs ssr=SsrMode::Async/>
                    <Route path=path!("/programs/new") view=pages::programs::ProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("/programs/:id") view=pages::programs::ProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=pages::admin::Admin ssr=SsrMode::Async/>
                    <Route path=path!("/rights") view=pages::rights::Rights ssr=SsrMode::Async/>
                    <Route path=path!("/letterhead") view=pages::letterhead::LetterheadPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course") view=pages::course::CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course/lessons/:n") view=pages::lesson::LessonReader ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course/exam") view=pages::exam::Exam ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course/questions") view=pages::questions::QuestionStatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course/exam/attempts/:id") view=pages::exam::AttemptResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/certificates/:number") view=pages::certificate::Certificate ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=pages::verify::Verify ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:number") view=pages::verify::Verify ssr=SsrMode::Async/>
                    <Route path=path!("/classes") view=pages::classes::Classes ssr=SsrMode::Async/>
                    <Route path=path!("/classes/new") view=pages::classes::NewClass ssr=SsrMode::Async/>
                    <Route path=path!("/classes/:id") view=pages::classes::ClassPageView ssr=SsrMode::Async/>
                    <Route path=path!("/classes/:id/print") view=pages::classes::ClassPrintPage ssr=SsrMode::Async/>
                    <Route path=path!("/classes/:id/sessions/:sid/qr") view=pages::classes::QrPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkin/:sid") view=pages::classes::Checkin ssr=SsrMode::Async/>
                    <Route path=path!("/notices") view=pages::notices::Notices ssr=SsrMode::Async/>
                    <Route path=path!("/transcript") view=pages::transcript::TranscriptPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

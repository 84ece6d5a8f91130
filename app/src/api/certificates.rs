//! Certificates and the transcript: my certificate as a printable page with its QR code, the
//! public verification of any certificate number (no sign-in), and my transcript.
//!
//! The QR code carries the verify address with a signed token (`?t=`), so a phone opens the
//! public page, and anyone holding the published key can check the token offline
//! (`taphuan verify`).

use super::error::ApiError;
use crate::domain::progress::CertStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `/certificates/:number`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificatePage {
    pub number: String,
    pub full_name: String,
    pub position: String,
    pub agency: String,
    pub course_id: String,
    pub course_title: String,
    pub score: Option<i32>,
    /// `dd/mm/yyyy`.
    pub completed_on: String,
    pub valid_until: Option<String>,
    pub status: CertStatus,
    /// The QR code (SVG, rendered on the server).
    pub qr_svg: String,
    pub verify_url: String,
    /// The signed token the QR code carries.
    pub token: String,
    /// Who issues it: the letterhead of the official's agency or its nearest ancestor (set by an
    /// admin or manager at `/letterhead`); None prints dots.
    pub issuing: Option<super::letterhead::Issuing>,
    /// The day it was issued, for the place-and-date line.
    pub issued_on: chrono::NaiveDate,
    /// Earned in an in-person class (lớp tập huấn): its title.
    pub class: Option<String>,
}

/// `/verify/:number`: what anyone may learn about a certificate number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub number: String,
    /// `None` = no certificate has this number.
    pub status: Option<CertStatus>,
    pub full_name: String,
    pub agency: String,
    pub course_title: String,
    pub issued_on: String,
    pub valid_until: Option<String>,
    /// `Some(true)` when a token was given and its signature and number match.
    pub token_ok: Option<bool>,
    /// Whether the holder's name and agency are given: only with a genuine token (the QR code),
    /// so a number alone tells a stranger nothing about who holds it.
    pub holder_shown: bool,
}

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptRow {
    pub course_id: String,
    pub course_title: String,
    pub completed_on: String,
    pub score: Option<i32>,
    pub source: String,
    pub certificate: Option<String>,
    pub valid_until: Option<String>,
    pub status: Option<CertStatus>,
    /// First 12 hex digits of the course version passed.
    pub version: String,
}

/// `/transcript`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub full_name: String,
    pub code: String,
    pub position: String,
    pub agency: String,
    pub rows: Vec<TranscriptRow>,
    /// `dd/mm/yyyy`, the day it was printed.
    pub today: String,
}

/// My certificate (or, for a manager in scope or an admin, anyone's).
#[server(endpoint = "certificate_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "certificate_page"))
)]
pub async fn load_certificate(number: String) -> Result<CertificatePage, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::certs::qr_svg;
    let (state, user) = guard::require(&Role::ALL).await?;
    let found = crate::ssr::certs::find(&state, &number)
        .await?
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let own = user.person_id == Some(found.cert.person_id);
    let allowed = own
        || match user.view_scope() {
            Ok(None) => true,
            Ok(Some(s)) => found.agency.path.starts_with(&s.path),
            Err(_) => false,
        };
    if !allowed {
        // Same answer as a missing number: a certificate number says nothing to a stranger here.
        return Err(guard::refuse(ApiError::NotFound));
    }
    let claims = crate::ssr::certs::claims_for(&found.cert, &found.person);
    let token = state.certs.sign(&claims);
    let base = crate::ssr::certs::base_url(&state).await;
    let verify_url = format!("{base}/verify/{}?t={token}", found.cert.number);
    let issuing = crate::ssr::letterhead::effective(&state.db, &found.agency)
        .await?
        .map(|f| super::letterhead::Issuing {
            agency_id: f.agency_id,
            agency_name: f.agency_name,
            letterhead: f.letterhead,
        });
    let class = match found.completion.as_ref().and_then(|c| c.class_id) {
        Some(id) => crate::ssr::classes::title(&state.db, id).await?,
        None => None,
    };
    Ok(CertificatePage {
        issuing,
        issued_on: crate::ssr::clock::date_of(found.cert.issued_at),
        class,
        number: found.cert.number.clone(),
        full_name: found.person.full_name.clone(),
        position: found.person.position.clone(),
        agency: found.agency.name.clone(),
        course_id: found.cert.course_id.clone(),
        course_title: found.course_title.clone(),
        score: found.completion.as_ref().and_then(|c| c.score_percent),
        completed_on: crate::i18n::fmt_date(crate::ssr::clock::date_of(found.cert.issued_at)),
        valid_until: found.cert.valid_until.map(crate::i18n::fmt_date),
        status: found.status(),
        qr_svg: qr_svg(&verify_url),
        verify_url,
        token,
    })
}

/// Anyone, signed in or not: is certificate `number` valid, expired or revoked? With `token`
/// (from the QR code) also whether its signature is genuine and names this certificate.
#[server(endpoint = "verify_certificate")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "verify_certificate"))
)]
pub async fn verify_certificate(number: String, token: Option<String>) -> Result<Verification, ApiError> {
    use crate::api::guard;
    let state = guard::state()?;
    // Public and anonymous: a client may look up only so many numbers a minute.
    let parts: Option<http::request::Parts> = leptos_axum::extract().await.ok();
    if !state
        .throttle
        .allow_lookup(parts.as_ref().and_then(|p| state.client_addr(p)))
    {
        return Err(guard::refuse(ApiError::TooManyRequests));
    }
    let number: String = number.trim().chars().take(64).collect();
    let found = crate::ssr::certs::find(&state, &number).await?;
    if found.is_none() {
        // An unknown number is "not found", also in the HTTP status.
        guard::refuse(ApiError::NotFound);
    }
    let token_ok = token
        .filter(|t| !t.trim().is_empty())
        .map(|t| crate::ssr::certs::verify_token(state.certs.public_pem(), &t).is_ok_and(|c| c.sub == number));
    let holder_shown = token_ok == Some(true);
    Ok(match found {
        None => Verification {
            number,
            status: None,
            full_name: String::new(),
            agency: String::new(),
            course_title: String::new(),
            issued_on: String::new(),
            valid_until: None,
            token_ok,
            holder_shown: false,
        },
        Some(f) => Verification {
            number,
            status: Some(f.status()),
            full_name: if holder_shown {
                f.person.full_name.clone()
            } else {
                String::new()
            },
            agency: if holder_shown {
                f.agency.name.clone()
            } else {
                String::new()
            },
            holder_shown,
            course_title: f.course_title.clone(),
            issued_on: crate::i18n::fmt_date(crate::ssr::clock::date_of(f.cert.issued_at)),
            valid_until: f.cert.valid_until.map(crate::i18n::fmt_date),
            token_ok,
        },
    })
}

/// My completions, scores and certificates.
#[server(endpoint = "transcript")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "transcript"))
)]
pub async fn load_transcript() -> Result<Transcript, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::learning;
    let (state, user) = guard::require(&Role::ALL).await?;
    let pid = user.person_id.ok_or_else(|| guard::refuse(ApiError::Forbidden))?;
    let who = learning::learner(&state.db, pid)
        .await?
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let completions = learning::completions_of(&state.db, pid).await?;
    let certs = learning::certificates_of(&state.db, pid).await?;
    let loaded = state.content.get();
    let today = crate::ssr::clock::today();
    let date = crate::i18n::fmt_date;
    let rows = completions
        .iter()
        .rev()
        .map(|c| {
            let cert = certs.iter().find(|x| x.completion_id == c.id);
            TranscriptRow {
                course_id: c.course_id.clone(),
                course_title: loaded
                    .library
                    .course(&c.course_id)
                    .map(|x| x.meta.title.clone())
                    .unwrap_or_else(|| c.course_id.clone()),
                completed_on: date(crate::ssr::clock::date_of(c.completed_at)),
                score: c.score_percent,
                source: c.source.clone(),
                certificate: cert.map(|x| x.number.clone()),
                valid_until: cert.and_then(|x| x.valid_until).map(date),
                status: cert.map(|x| CertStatus::of(x.valid_until, x.revoked_at.is_some(), today)),
                version: c.course_hash.chars().take(12).collect(),
            }
        })
        .collect();
    Ok(Transcript {
        full_name: who.person.full_name,
        code: who.person.code,
        position: who.person.position,
        agency: who.agency.name,
        rows,
        today: date(today),
    })
}

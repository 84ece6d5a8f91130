//! Certificates that anyone can check, even offline: each certificate carries a compact JWT
//! signed with Ed25519 (EdDSA), and the public key is published at
//! `/.well-known/taphuan-cert-key.pem`. `taphuan verify <token>` checks a token against it
//! without the server.
//!
//! The private key is a PKCS#8 PEM (`openssl genpkey -algorithm ed25519`). Production reads it
//! from `TAPHUAN_CERT_PRIVATE_KEY_PEM` or `TAPHUAN_CERT_PRIVATE_KEY_FILE`; development generates
//! one on first start into `data/cert-key.pem` (see `config.rs`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The issuer written into and required from every certificate token.
pub const ISSUER: &str = "taphuan-cert";

/// DER prefix of a PKCS#8 v1 Ed25519 private key; the 32-byte seed follows.
const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
/// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte public key follows.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// What a certificate token says. Short keys keep the QR code small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertClaims {
    pub iss: String,
    /// Certificate number.
    pub sub: String,
    /// The official's full name.
    pub name: String,
    /// Course id.
    pub course: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Valid until (`YYYY-MM-DD`), absent when it never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// Signs certificate tokens; holds the public key to publish.
pub struct CertSigner {
    encoding: EncodingKey,
    public_pem: String,
}

impl CertSigner {
    /// From a PKCS#8 Ed25519 private key PEM.
    pub fn from_private_pem(pem: &str) -> anyhow::Result<CertSigner> {
        let encoding = EncodingKey::from_ed_pem(pem.as_bytes())
            .map_err(|e| anyhow::anyhow!("the certificate key is not an Ed25519 PKCS#8 PEM: {e}"))?;
        Ok(CertSigner {
            encoding,
            public_pem: public_pem_from_private(pem)?,
        })
    }

    /// The public key, as published.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// A signed token for `claims`.
    pub fn sign(&self, claims: &CertClaims) -> String {
        self.sign_claims(claims)
    }

    /// A signed token for any claims (an evidence pack's manifest); the issuer tells them apart.
    pub fn sign_claims<T: Serialize>(&self, claims: &T) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), claims, &self.encoding)
            .expect("Ed25519 signing cannot fail with a valid key")
    }
}

/// The claims of certificate `cert` held by `person`.
pub fn claims_for(
    cert: &crate::ssr::db::entities::certificate::Model,
    person: &crate::ssr::db::entities::person::Model,
) -> CertClaims {
    CertClaims {
        iss: ISSUER.into(),
        sub: cert.number.clone(),
        name: person.full_name.clone(),
        course: cert.course_id.clone(),
        iat: cert.issued_at.timestamp(),
        until: cert.valid_until.map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

/// Checks a token signed by [`CertSigner::sign_claims`] with issuer `issuer`.
pub fn verify_claims<T: serde::de::DeserializeOwned>(public_pem: &str, token: &str, issuer: &str) -> Result<T, String> {
    let key = DecodingKey::from_ed_pem(public_pem.as_bytes()).map_err(|e| format!("unusable public key: {e}"))?;
    let mut v = Validation::new(Algorithm::EdDSA);
    v.set_issuer(&[issuer]);
    v.set_required_spec_claims(&["iss", "sub"]);
    v.validate_exp = false;
    v.validate_aud = false;
    jsonwebtoken::decode::<T>(token.trim(), &key, &v)
        .map(|d| d.claims)
        .map_err(|e| format!("the signature does not hold: {e}"))
}

/// Checks a token's signature against a public key PEM; the claims if it is genuine. Expiry is
/// not judged here: the caller compares `until` with today and says "expired".
pub fn verify_token(public_pem: &str, token: &str) -> Result<CertClaims, String> {
    let key = DecodingKey::from_ed_pem(public_pem.as_bytes()).map_err(|e| format!("unusable public key: {e}"))?;
    let mut v = Validation::new(Algorithm::EdDSA);
    v.set_issuer(&[ISSUER]);
    v.set_required_spec_claims(&["iss", "sub"]);
    v.validate_exp = false;
    v.validate_aud = false;
    jsonwebtoken::decode::<CertClaims>(token.trim(), &key, &v)
        .map(|d| d.claims)
        .map_err(|e| format!("invalid certificate token: {e}"))
}

/// A fresh PKCS#8 Ed25519 private key PEM.
pub fn generate_private_pem() -> String {
    use rand::RngCore;
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let mut der = PKCS8_PREFIX.to_vec();
    der.extend_from_slice(&seed);
    pem("PRIVATE KEY", &der)
}

/// The SPKI public key PEM of a PKCS#8 Ed25519 private key PEM.
pub fn public_pem_from_private(private_pem: &str) -> anyhow::Result<String> {
    let body: String = private_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    let der = STANDARD
        .decode(body)
        .map_err(|e| anyhow::anyhow!("the certificate key PEM is not base64: {e}"))?;
    if der.len() != 48 || der[..16] != PKCS8_PREFIX {
        anyhow::bail!("the certificate key must be an Ed25519 PKCS#8 key (`openssl genpkey -algorithm ed25519`)");
    }
    let seed: [u8; 32] = der[16..].try_into().expect("32 bytes");
    let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes();
    let mut spki = SPKI_PREFIX.to_vec();
    spki.extend_from_slice(&public);
    Ok(pem("PUBLIC KEY", &spki))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// `data` as a QR code in SVG (rendered on the server; no script needed to show it).
pub fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M) {
        // The figure around it carries the accessible name: the drawing itself is hidden from
        // screen readers, and the XML prolog is dropped since it is inlined into HTML.
        Ok(code) => {
            let svg = code
                .render::<svg::Color<'_>>()
                .min_dimensions(180, 180)
                .quiet_zone(true)
                .build();
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot encode a QR code");
            String::new()
        }
    }
}

// ---- Finding a certificate by number (the certificate page, the public verification) ----

use crate::domain::progress::CertStatus;
use crate::ssr::db::entities::{agency, certificate, completion, person};
use crate::ssr::state::AppState;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

pub struct Found {
    pub cert: certificate::Model,
    pub completion: Option<completion::Model>,
    pub person: person::Model,
    pub agency: agency::Model,
    pub course_title: String,
}

impl Found {
    pub fn status(&self) -> CertStatus {
        CertStatus::of(
            self.cert.valid_until,
            self.cert.revoked_at.is_some(),
            crate::ssr::clock::today(),
        )
    }
}

/// The certificate with this number and what it is about.
pub async fn find(state: &AppState, number: &str) -> Result<Option<Found>, DbErr> {
    let Some(cert) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let completion = completion::Entity::find_by_id(cert.completion_id)
        .one(&state.db)
        .await?;
    let Some(person) = person::Entity::find_by_id(cert.person_id).one(&state.db).await? else {
        return Ok(None);
    };
    let Some(agency) = agency::Entity::find_by_id(person.agency_id).one(&state.db).await? else {
        return Ok(None);
    };
    let course_title = state
        .content
        .get()
        .library
        .course(&cert.course_id)
        .map(|c| c.meta.title.clone())
        .unwrap_or_else(|| cert.course_id.clone());
    Ok(Some(Found {
        cert,
        completion,
        person,
        agency,
        course_title,
    }))
}

/// Where the site is reached: `TAPHUAN_PUBLIC_URL`, else this request's Host (inside a server
/// function).
pub async fn base_url(state: &AppState) -> String {
    let headers = leptos_axum::extract::<http::request::Parts>()
        .await
        .map(|p| p.headers)
        .unwrap_or_default();
    base_url_for(state, &headers)
}

/// The same, for a form route that has the request's headers.
pub fn base_url_for(state: &AppState, headers: &http::HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(String::from)
        .unwrap_or_else(|| state.leptos_options.site_addr.to_string());
    let scheme = if state.config.cookie_secure { "https" } else { "http" };
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> CertClaims {
        CertClaims {
            iss: ISSUER.into(),
            sub: "GL-2026-000001".into(),
            name: "Nguyễn Văn A".into(),
            course: "f-de-an-319-gia-lai".into(),
            iat: 1_800_000_000,
            until: Some("2028-11-28".into()),
        }
    }

    #[test]
    fn a_signed_token_verifies_and_an_altered_one_does_not() {
        let signer = CertSigner::from_private_pem(&generate_private_pem()).unwrap();
        let token = signer.sign(&claims());
        assert_eq!(verify_token(signer.public_pem(), &token).unwrap(), claims());
        // Change one character of the payload: the signature no longer matches.
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        let forged = CertClaims {
            name: "Kẻ Giả Mạo".into(),
            ..claims()
        };
        parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        assert!(verify_token(signer.public_pem(), &parts.join(".")).is_err());
        // Another key does not verify it either.
        let other = CertSigner::from_private_pem(&generate_private_pem()).unwrap();
        assert!(verify_token(other.public_pem(), &token).is_err());
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = qr_svg("https://taphuan.example/verify/GL-2026-000001");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}

//! Evidence packs: everything that shows one official was trained, in one ZIP that anyone can
//! check offline with `taphuan evidence verify PACK --key cert-key.pub.pem`.
//!
//! | file | what |
//! |---|---|
//! | `summary.html` | the printable summary (A4) |
//! | `completions.json` | every completion, with the content version (hash) learned |
//! | `certificates.json` | every certificate, with its signed token (as on its QR code) |
//! | `audit-segment.json` | the audit links from the official's first event to their last: their own in full, the others by digest |
//! | `manifest.jwt` | the SHA-256 of each file above and the chain's hash at the segment's end, signed with the certificate key (Ed25519) |
//!
//! Verifying checks the manifest's signature, every file against its hash (and that no file
//! was added), the segment's links, that every completion and certificate is one the segment
//! recorded, and every certificate token's signature. The container itself is canonical (see
//! `canonical_zip`), so one byte changed anywhere in the file fails it.

use super::audit::{self, Verdict};
use super::certs::{CertSigner, claims_for, verify_claims, verify_token};
use super::db::entities::{agency, certificate, completion, person};
use crate::domain::audit::{Body, Segment};
use crate::domain::html::escape;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// The issuer of a manifest token.
pub const ISSUER: &str = "taphuan-evidence";
const FILES: [&str; 4] = [
    "summary.html",
    "completions.json",
    "certificates.json",
    "audit-segment.json",
];
/// A pack larger than this is not read (a national chain segment stays far below).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The signed manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub iss: String,
    /// The official's code.
    pub sub: String,
    pub name: String,
    /// Made at (Unix seconds).
    pub iat: i64,
    /// File name → SHA-256 (hex).
    pub files: BTreeMap<String, String>,
    /// The segment's last link and its hash (None: no events yet).
    pub segment_end: Option<(i64, String)>,
    /// The chain's head when the pack was made.
    pub head: (i64, String),
}

/// One completion as the pack lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackCompletion {
    pub completion: i64,
    pub course: String,
    pub course_title: String,
    /// The content version learned.
    pub course_hash: String,
    pub score: Option<i32>,
    pub completed_at: String,
    pub source: String,
    pub certificate: String,
}

/// One certificate as the pack lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackCertificate {
    pub number: String,
    pub course: String,
    pub valid_until: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    /// The signed token (as on the QR code).
    pub token: String,
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn json<T: Serialize>(v: &T) -> Result<Vec<u8>, DbErr> {
    serde_json::to_vec_pretty(v).map_err(|e| DbErr::Custom(e.to_string()))
}

/// Builds the pack of official `person_id` (the caller has checked who may have it).
pub async fn build(
    db: &impl ConnectionTrait,
    signer: &CertSigner,
    person_id: i64,
    title_of: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<Vec<u8>>, DbErr> {
    let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    let unit = agency::Entity::find_by_id(p.agency_id).one(db).await?;
    let done = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(p.id))
        .order_by_asc(completion::Column::CompletedAt)
        .all(db)
        .await?;
    let certs: BTreeMap<i64, certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.completion_id, c))
        .collect();
    let completions: Vec<PackCompletion> = done
        .iter()
        .map(|c| PackCompletion {
            completion: c.id,
            course: c.course_id.clone(),
            course_title: title_of(&c.course_id),
            course_hash: c.course_hash.clone(),
            score: c.score_percent,
            completed_at: audit::stamp(c.completed_at),
            source: c.source.clone(),
            certificate: certs.get(&c.id).map(|x| x.number.clone()).unwrap_or_default(),
        })
        .collect();
    let certificates: Vec<PackCertificate> = done
        .iter()
        .filter_map(|c| certs.get(&c.id))
        .map(|c| PackCertificate {
            number: c.number.clone(),
            course: c.course_id.clone(),
            valid_until: c.valid_until.map(|d| d.to_string()),
            revoked_at: c.revoked_at.map(audit::stamp),
            revoked_reason: c.revoked_reason.clone(),
            token: signer.sign(&claims_for(c, &p)),
        })
        .collect();
    let segment = audit::segment_for(db, p.id).await?;
    let head = audit::head(db).await?;
    let summary = summary_html(&p, unit.as_ref(), &completions, &certificates, segment.as_ref(), &head);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("summary.html", summary.into_bytes()),
        ("completions.json", json(&completions)?),
        ("certificates.json", json(&certificates)?),
        ("audit-segment.json", json(&segment)?),
    ];
    let manifest = Manifest {
        iss: ISSUER.into(),
        sub: p.code.clone(),
        name: p.full_name.clone(),
        iat: super::clock::now().timestamp(),
        files: files.iter().map(|(n, b)| (n.to_string(), sha(b))).collect(),
        segment_end: segment
            .as_ref()
            .and_then(|s| s.links.last().map(|l| (l.seq, s.end_hash.clone()))),
        head,
    };
    let token = signer.sign_claims(&manifest);
    let all: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (*n, b.as_slice()))
        .chain([("manifest.jwt", token.as_bytes())])
        .collect();
    Ok(Some(canonical_zip(&all).map_err(DbErr::Custom)?))
}

/// The pack's container, byte for byte the same for the same files: stored (no compression, so
/// no compressor version can change the bytes), one fixed date, fixed permissions. Verifying
/// rebuilds it from the files read and compares, so a byte changed even where ZIP readers look
/// away (a local header's date, say) fails the check.
pub fn canonical_zip(files: &[(&str, &[u8])]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in files {
        zip.start_file(*name, opts).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

fn summary_html(
    p: &person::Model,
    unit: Option<&agency::Model>,
    completions: &[PackCompletion],
    certificates: &[PackCertificate],
    segment: Option<&Segment>,
    head: &(i64, String),
) -> String {
    let by_number: BTreeMap<&str, &PackCertificate> = certificates.iter().map(|c| (c.number.as_str(), c)).collect();
    let mut rows = String::new();
    for c in completions {
        let cert = by_number.get(c.certificate.as_str());
        let status = match cert {
            Some(x) if x.revoked_at.is_some() => format!(
                "Đã thu hồi: {}",
                escape(x.revoked_reason.as_deref().unwrap_or_default())
            ),
            Some(x) => x
                .valid_until
                .as_deref()
                .map_or("Không thời hạn".to_string(), |u| format!("Hiệu lực đến {u}")),
            None => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td></tr>\n",
            escape(&c.course_title),
            escape(&c.completed_at[..10.min(c.completed_at.len())]),
            c.score.map(|s| format!("{s}%")).unwrap_or_default(),
            escape(&c.source),
            escape(&c.course_hash[..12.min(c.course_hash.len())]),
            status,
            escape(&c.certificate),
        ));
    }
    if rows.is_empty() {
        rows = "<tr><td colspan=\"7\">Chưa hoàn thành khóa học nào.</td></tr>".into();
    }
    let chain = match segment.and_then(|s| s.links.last().map(|l| (s.links[0].seq, l.seq, &s.end_hash))) {
        Some((a, b, h)) => format!(
            "Nhật ký kiểm toán: mắt xích {a}–{b}, mã băm cuối <code>{}</code>; đầu chuỗi khi lập: {} (<code>{}</code>).",
            escape(h),
            head.0,
            escape(&head.1)
        ),
        None => "Chưa có sự kiện nào trong nhật ký kiểm toán.".into(),
    };
    format!(
        r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Hồ sơ chứng cứ tập huấn — {name}</title>
<style>
body{{font:11pt/1.45 "Times New Roman",serif;margin:2cm;color:#111}}
h1{{font-size:15pt;text-align:center;text-transform:uppercase;margin:0 0 .3em}}
p.sub{{text-align:center;margin:0 0 1.5em}}
table{{border-collapse:collapse;width:100%;margin:1em 0}}
th,td{{border:1px solid #444;padding:4px 6px;text-align:left;vertical-align:top}}
th{{background:#eee}}
code{{font-size:9pt}}
.note{{font-size:9.5pt;color:#333}}
@page{{size:A4;margin:1.5cm}}
</style></head><body>
<h1>Hồ sơ chứng cứ tập huấn</h1>
<p class="sub">Evidence of training</p>
<p><b>Họ và tên:</b> {name}<br><b>Mã cán bộ:</b> {code}<br><b>Chức vụ:</b> {position}<br><b>Đơn vị:</b> {unit}</p>
<table><thead><tr><th>Khóa học</th><th>Ngày hoàn thành</th><th>Điểm</th><th>Hình thức</th><th>Phiên bản nội dung</th><th>Chứng nhận</th><th>Số chứng nhận</th></tr></thead>
<tbody>
{rows}</tbody></table>
<p class="note">{chain}</p>
<p class="note">Kiểm tra ngoại tuyến: <code>taphuan evidence verify &lt;tệp.zip&gt; --key cert-key.pub.pem</code> (khóa công khai tại /.well-known/taphuan-cert-key.pem). Mọi thay đổi dù một byte đều bị phát hiện.</p>
</body></html>
"#,
        name = escape(&p.full_name),
        code = escape(&p.code),
        position = escape(&p.position),
        unit = unit.map(|u| escape(&u.name)).unwrap_or_default(),
    )
}

/// What a verified pack says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub manifest: Manifest,
    pub completions: usize,
    pub certificates: usize,
    pub links: usize,
}

/// Checks a pack offline against the certificate public key. Every problem is an error that
/// says what failed.
pub fn verify(pack: &[u8], public_pem: &str) -> Result<Verified, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(pack)).map_err(|e| format!("not a readable ZIP: {e}"))?;
    if zip.len() > 16 {
        return Err(format!("{} files in the pack; an evidence pack has 5", zip.len()));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut order = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| format!("file {i} of the pack: {e}"))?;
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        (&mut f)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: damaged ({e})"))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(format!("{name}: larger than {MAX_FILE_BYTES} bytes"));
        }
        order.push(name.clone());
        if files.insert(name.clone(), bytes).is_some() {
            return Err(format!("{name} appears twice in the pack"));
        }
    }
    let ordered: Vec<(&str, &[u8])> = order.iter().map(|n| (n.as_str(), files[n].as_slice())).collect();
    if canonical_zip(&ordered)? != pack {
        return Err("the ZIP container was altered: its bytes differ from the pack of its own files".into());
    }
    let token = files.remove("manifest.jwt").ok_or("manifest.jwt is missing")?;
    let token = String::from_utf8(token).map_err(|_| "manifest.jwt is not text")?;
    let manifest: Manifest = verify_claims(public_pem, &token, ISSUER).map_err(|e| format!("manifest.jwt: {e}"))?;
    for (name, bytes) in &files {
        match manifest.files.get(name) {
            None => return Err(format!("{name} is not in the signed manifest (added after signing)")),
            Some(h) if *h != sha(bytes) => return Err(format!("{name} was changed after signing")),
            Some(_) => {}
        }
    }
    for name in FILES {
        if !files.contains_key(name) {
            return Err(format!("{name} is missing"));
        }
    }
    let read = |name: &str| -> Result<&[u8], String> { Ok(files[name].as_slice()) };
    let completions: Vec<PackCompletion> =
        serde_json::from_slice(read("completions.json")?).map_err(|e| format!("completions.json: {e}"))?;
    let certificates: Vec<PackCertificate> =
        serde_json::from_slice(read("certificates.json")?).map_err(|e| format!("certificates.json: {e}"))?;
    let segment: Option<Segment> =
        serde_json::from_slice(read("audit-segment.json")?).map_err(|e| format!("audit-segment.json: {e}"))?;
    let (bodies, links) = match &segment {
        Some(s) => {
            let shown = s.check().map_err(|b| format!("audit-segment.json: {b}"))?;
            let end = s.links.last().map(|l| (l.seq, s.end_hash.clone()));
            if end != manifest.segment_end {
                return Err("audit-segment.json does not end where the manifest says".into());
            }
            (shown, s.links.len())
        }
        None => (vec![], 0),
    };
    let recorded: BTreeMap<i64, &Body> = bodies
        .iter()
        .filter(|b| b.kind == audit::kind::COMPLETION)
        .filter_map(|b| Some((b.data["completion"].as_i64()?, b)))
        .collect();
    for c in &completions {
        let Some(b) = recorded.get(&c.completion) else {
            return Err(format!("completion {} is not in the audit segment", c.completion));
        };
        let d = &b.data;
        let same = d["course"] == c.course.as_str()
            && d["course_hash"] == c.course_hash.as_str()
            && d["score"] == serde_json::json!(c.score)
            && d["completed_at"] == c.completed_at.as_str()
            && d["certificate"] == c.certificate.as_str()
            && b.person.is_some();
        if !same {
            return Err(format!(
                "completion {} differs from its audit event (link {})",
                c.completion, b.seq
            ));
        }
    }
    let revoked: std::collections::BTreeSet<&str> = bodies
        .iter()
        .filter(|b| b.kind == audit::kind::REVOKED)
        .filter_map(|b| b.data["certificate"].as_str())
        .collect();
    for cert in &certificates {
        let claims = verify_token(public_pem, &cert.token).map_err(|e| format!("certificate {}: {e}", cert.number))?;
        if claims.sub != cert.number || claims.name != manifest.name || claims.course != cert.course {
            return Err(format!(
                "certificate {}: its token names another certificate",
                cert.number
            ));
        }
        if !completions.iter().any(|c| c.certificate == cert.number) {
            return Err(format!("certificate {} has no completion in the pack", cert.number));
        }
        if cert.revoked_at.is_some() != revoked.contains(cert.number.as_str()) {
            return Err(format!(
                "certificate {}: its revocation does not match the audit segment",
                cert.number
            ));
        }
    }
    Ok(Verified {
        completions: completions.len(),
        certificates: certificates.len(),
        links,
        manifest,
    })
}

/// Whether the pack's segment still stands in this database's chain (online check).
pub async fn still_in_chain(db: &impl ConnectionTrait, m: &Manifest) -> Result<Option<bool>, DbErr> {
    let Some((seq, hash)) = &m.segment_end else {
        return Ok(None);
    };
    if !matches!(audit::verify(db).await?, Verdict::Sound { .. }) {
        return Ok(Some(false));
    }
    Ok(Some(audit::hash_at(db, *seq).await?.as_deref() == Some(hash.as_str())))
}

/// `GET /people/{id}/evidence.zip`: the pack of an official, for a manager of their subtree or
/// an admin (the same check as their record page).
#[tracing::instrument(name = "form", skip_all, fields(handler = "evidence"))]
pub async fn download(
    axum::extract::State(state): axum::extract::State<super::state::AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    signed_in: super::web::SignedIn,
) -> Result<axum::response::Response, super::web::WebError> {
    use crate::domain::identity::Role;
    use axum::http::header;
    use axum::response::IntoResponse;
    let user = signed_in.with_role(
        &[Role::Manager, Role::Admin],
        "Chỉ người quản lý của đơn vị hoặc quản trị viên tải được hồ sơ chứng cứ.",
    )?;
    let Some(p) = super::programs::managed_person(&state.db, &user, id).await? else {
        return Err(super::web::WebError::NotFound);
    };
    let library = state.content.get();
    let title_of = |course: &str| {
        library
            .library
            .course(course)
            .map_or_else(|| course.to_string(), |c| c.meta.title.clone())
    };
    let Some(bytes) = build(&state.db, &state.certs, p.id, &title_of).await? else {
        return Err(super::web::WebError::NotFound);
    };
    tracing::info!(person = p.id, by = user.account_id, "evidence pack made");
    let name = format!("ho-so-chung-cu-{}.zip", p.code.to_lowercase());
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    /// The container's bytes depend only on the files: if an upgrade of the zip crate changed
    /// them, packs made before it would no longer verify. This pins them.
    #[test]
    fn the_container_is_the_same_bytes_for_the_same_files() {
        let files: [(&str, &[u8]); 2] = [("a.json", b"{\"x\":1}"), ("manifest.jwt", b"e30.e30.sig")];
        let one = super::canonical_zip(&files).unwrap();
        assert_eq!(one, super::canonical_zip(&files).unwrap());
        assert_eq!(
            super::sha(&one),
            "a89492e49f31f2fcdd104f373ae01332b748c0f701c139dcc971d70f4c460e7e",
            "the canonical ZIP layout changed: keep the old writer for old packs"
        );
    }
}

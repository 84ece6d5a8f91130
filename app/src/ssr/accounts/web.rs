//! The account forms (plain form posts, so they work with JavaScript off):
//!
//! | route                          | who                         | does                                             |
//! |--------------------------------|-----------------------------|--------------------------------------------------|
//! | `POST /auth/activate`          | anyone with a code          | code + new password → signed in                  |
//! | `POST /accounts/codes`         | manager (subtree), admin    | issues codes for a unit's new accounts: A4 slips or XLSX |
//! | `POST /people/{id}/reset-code` | manager (subtree), admin    | a reset code for one official; their sessions end |
//!
//! Codes are shown once, in the answer to the post that issued them (never in a URL, never
//! stored in clear): printing again issues new codes and voids the earlier sheet.

use super::{Purpose, Redeem, Slip, issue_codes, not_yet_activated, redeem};
use crate::domain::identity::Role;
use crate::ssr::auth::AuthUser;
use crate::ssr::db::entities::{account, person};
use crate::ssr::db::queries;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[derive(serde::Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub password: String,
}

/// `POST /auth/activate`: a code and a new password. Throttled like sign-in (a code is a
/// credential); a wrong, spent or expired code and an unknown account get one answer.
#[tracing::instrument(name = "form", skip_all, fields(handler = "activate"))]
pub async fn activate(
    State(state): State<AppState>,
    parts: http::request::Parts,
    Form(f): Form<ActivateForm>,
) -> Response {
    let typed: String = f.username.trim().chars().take(64).collect();
    let u: String = form_urlencoded::byte_serialize(typed.to_lowercase().as_bytes()).collect();
    let back = |error: &str| Redirect::to(&format!("/activate?u={u}&error={error}")).into_response();
    let keys = crate::ssr::throttle::sign_in_keys(&f.username, state.client_addr(&parts));
    if let Err(wait) = state.throttle.check(&keys) {
        return Redirect::to(&format!("/activate?u={u}&error=throttled&wait={wait}")).into_response();
    }
    match redeem(&state, &f.username, &f.code, &f.password).await {
        Err(e) => WebError::internal(e).into_response(),
        Ok(Redeem::Busy) => back("busy"),
        Ok(Redeem::Weak(p)) => back(&p.code()),
        Ok(Redeem::BadCode) => {
            let wait = state.throttle.fail(&keys);
            tracing::info!(username = %typed.escape_debug(), wait, "activation refused");
            if wait > 0 {
                Redirect::to(&format!("/activate?u={u}&error=throttled&wait={wait}")).into_response()
            } else {
                back("code")
            }
        }
        Ok(Redeem::Done(acc)) => {
            state.throttle.succeed(&keys);
            tracing::info!(account = acc.id, "password set with a one-time code");
            let role = Role::parse(&acc.role).unwrap_or(Role::Learner);
            crate::ssr::auth::signed_in_response(&state, &acc, role.home_path())
        }
    }
}

/// Codes are issued by managers (in their subtree) and the admin.
fn issuer(signed: SignedIn) -> Result<AuthUser, WebError> {
    signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền cấp mã đăng nhập.")
}

#[derive(serde::Deserialize)]
pub struct CodesForm {
    pub agency_id: i64,
    /// `print` (A4 slips) or `xlsx`.
    #[serde(default)]
    pub format: String,
}

/// `POST /accounts/codes`: new activation codes for every account of the unit (and its
/// sub-units) whose official has not chosen a password yet.
#[tracing::instrument(name = "form", skip_all, fields(handler = "issue_codes"))]
pub async fn codes(
    State(state): State<AppState>,
    signed: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CodesForm>,
) -> Result<Response, WebError> {
    let user = issuer(signed)?;
    let Some(unit) = queries::agency_in_scope(&state.db, user.scope.as_ref(), f.agency_id).await? else {
        return Err(WebError::Forbidden("Đơn vị này ngoài phạm vi bạn quản lý."));
    };
    let slips = not_yet_activated(&state.db, &unit.path).await?;
    let ids: Vec<i64> = slips.iter().map(|s| s.account_id).collect();
    let issued = issue_codes(&state, &ids, Purpose::Activate, user.account_id).await?;
    tracing::info!(agency = unit.id, codes = issued.len(), "activation codes issued");
    let sheet = Sheet {
        unit: unit.name.clone(),
        base: crate::ssr::certs::base_url_for(&state, &headers),
        rows: slips
            .into_iter()
            .zip(issued)
            .map(|(s, (_, code, until))| (s, code, until))
            .collect(),
        reset: false,
    };
    if f.format == "xlsx" {
        let bytes = sheet.xlsx().map_err(WebError::internal)?;
        let name = format!("ma-kich-hoat-{}.xlsx", unit.code.to_lowercase());
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Html(sheet.html()).into_response())
}

/// `POST /people/{id}/reset-code`: a password-reset code for one official of the caller's
/// subtree (an administrator's account only by an administrator). Every session of the account
/// ends at once.
#[tracing::instrument(name = "form", skip_all, fields(handler = "reset_code"))]
pub async fn reset_code(
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    signed: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let user = issuer(signed)?;
    let who = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(WebError::NotFound)?;
    let Some(unit) = queries::agency_in_scope(&state.db, user.scope.as_ref(), who.agency_id).await? else {
        return Err(WebError::Forbidden("Cán bộ này ngoài phạm vi bạn quản lý."));
    };
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(&state.db)
        .await?
        .ok_or(WebError::Unprocessable(
            "Cán bộ này chưa có tài khoản: nhập danh sách cán bộ để tạo.",
        ))?;
    if Role::parse(&acc.role) == Some(Role::Admin) && user.role != Role::Admin {
        return Err(WebError::Forbidden(
            "Chỉ quản trị viên mới cấp lại mật khẩu cho quản trị viên.",
        ));
    }
    if acc.id == user.account_id {
        return Err(WebError::Forbidden("Không tự cấp mã cho chính mình."));
    }
    let issued = issue_codes(&state, &[acc.id], Purpose::Reset, user.account_id).await?;
    tracing::info!(account = acc.id, "password reset code issued");
    let (_, code, until) = issued.into_iter().next().ok_or(WebError::NotFound)?;
    let sheet = Sheet {
        unit: unit.name.clone(),
        base: crate::ssr::certs::base_url_for(&state, &headers),
        rows: vec![(
            Slip {
                account_id: acc.id,
                username: acc.username,
                full_name: who.full_name,
                agency_name: unit.name,
            },
            code,
            until,
        )],
        reset: true,
    };
    Ok(Html(sheet.html()).into_response())
}

/// Codes just issued, ready to print or download.
struct Sheet {
    unit: String,
    base: String,
    rows: Vec<(Slip, String, DateTime<Utc>)>,
    reset: bool,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

impl Sheet {
    fn until(&self, t: DateTime<Utc>) -> String {
        crate::i18n::fmt_date(crate::ssr::clock::date_of(t))
    }

    /// An A4 page of slips to cut apart, one per official.
    fn html(&self) -> String {
        let title = if self.reset {
            "Mã đặt lại mật khẩu"
        } else {
            "Phiếu mã kích hoạt tài khoản"
        };
        let address = format!("{}/activate", self.base);
        let today = crate::i18n::fmt_date(crate::ssr::clock::today());
        let mut slips = String::new();
        for (s, code, until) in &self.rows {
            slips.push_str(&format!(
                r#"<section class="slip">
<p class="slip-head">TẬP HUẤN THỰC THI PHÁP LUẬT THƯƠNG MẠI ĐIỆN TỬ</p>
<p class="slip-name">{name}</p>
<p class="slip-unit">{unit}</p>
<dl>
<dt>Địa chỉ</dt><dd class="mono">{address}</dd>
<dt>Tên đăng nhập</dt><dd class="mono">{user}</dd>
<dt>{kind}</dt><dd class="mono code">{code}</dd>
<dt>Hạn dùng</dt><dd>{until}</dd>
</dl>
<ol>
<li>Mở địa chỉ trên bằng điện thoại hoặc máy tính.</li>
<li>Nhập tên đăng nhập và mã, rồi tự đặt mật khẩu của mình (ít nhất 8 ký tự; một câu ngắn dễ nhớ là tốt nhất).</li>
<li>Mã chỉ dùng một lần. Giữ kín phiếu này; hết hạn thì xin người quản lý đơn vị cấp mã mới.</li>
</ol>
</section>
"#,
                name = esc(&s.full_name),
                unit = esc(&s.agency_name),
                address = esc(&address),
                user = esc(&s.username),
                kind = if self.reset {
                    "Mã đặt lại"
                } else {
                    "Mã kích hoạt"
                },
                code = esc(code),
                until = self.until(*until),
            ));
        }
        let empty = if self.rows.is_empty() {
            "<p class=\"note\">Mọi cán bộ của đơn vị đã tự đặt mật khẩu: không có mã nào cần in.</p>"
        } else {
            ""
        };
        format!(
            r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — {unit}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 190mm; }}
header {{ margin: 0 0 6mm; }}
header h1 {{ font-size: 16pt; margin: 0 0 2mm; }}
.note {{ font-size: 10pt; color: #444; margin: 1mm 0; }}
.sheet {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0; }}
.slip {{ border: 1px dashed #777; padding: 4mm 5mm; break-inside: avoid; page-break-inside: avoid; font-size: 9.5pt; }}
.slip-head {{ font-size: 7.5pt; letter-spacing: .04em; color: #555; margin: 0 0 1.5mm; }}
.slip-name {{ font-size: 12pt; font-weight: 700; margin: 0; }}
.slip-unit {{ margin: 0 0 2mm; color: #333; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .6mm 3mm; margin: 0 0 2mm; }}
dt {{ color: #555; }} dd {{ margin: 0; }}
.mono {{ font-family: "DejaVu Sans Mono", Consolas, monospace; word-break: break-all; }}
.code {{ font-size: 14pt; font-weight: 700; letter-spacing: .06em; }}
ol {{ margin: 0; padding-left: 5mm; font-size: 8.5pt; }}
@media print {{ .screen-only {{ display: none; }} }}
@media (max-width: 600px) {{ .sheet {{ grid-template-columns: 1fr; }} body {{ padding: 0 3mm; }} }}
</style></head>
<body>
<header>
<h1>{title} — {unit}</h1>
<p class="note">In ngày {today} · {n} cán bộ · cắt theo đường chấm, mỗi người một phiếu.</p>
<p class="note screen-only">Dùng lệnh In của trình duyệt (Ctrl+P) để in. <strong>Mã chỉ hiện một lần:</strong> cấp lại sẽ tạo mã mới và các phiếu in trước không còn dùng được.</p>
</header>
{empty}
<main class="sheet">
{slips}</main>
</body></html>
"#,
            unit = esc(&self.unit),
            n = self.rows.len(),
        )
    }

    /// The same codes as a workbook.
    fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Mã kích hoạt")?;
        let bold = Format::new().set_bold();
        let address = format!("{}/activate", self.base);
        let headers = [
            "Họ và tên",
            "Đơn vị",
            "Tên đăng nhập",
            "Mã kích hoạt",
            "Hạn dùng",
            "Địa chỉ",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if c < 2 { 32 } else { 18 })?;
        }
        let date = Format::new().set_num_format("dd/mm/yyyy");
        for (r, (s, code, until)) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            // Names come from a roster file: a leading = + - @ must stay text, never a formula.
            ws.write_string(r, 0, crate::domain::spreadsheet::neutralise(&s.full_name))?;
            ws.write_string(r, 1, crate::domain::spreadsheet::neutralise(&s.agency_name))?;
            ws.write_string(r, 2, &s.username)?;
            ws.write_string(r, 3, code)?;
            let d = crate::ssr::clock::date_of(*until);
            let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(
                chrono::Datelike::year(&d) as u16,
                chrono::Datelike::month(&d) as u8,
                chrono::Datelike::day(&d) as u8,
            )?;
            ws.write_datetime_with_format(r, 4, &dt, &date)?;
            ws.write_string(r, 5, &address)?;
        }
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    }
}

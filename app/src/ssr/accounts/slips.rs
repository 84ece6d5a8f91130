//! Codes just issued, as an A4 page of slips to cut apart (one per official) or as a workbook:
//! what a manager hands out so that officials without e-mail can sign in the first time.

use super::Slip;
use chrono::{DateTime, Utc};

/// Codes just issued, ready to print or download.
pub struct Sheet {
    pub unit: String,
    /// Where the site is reached (`https://…`), for the sign-in address on each slip.
    pub base: String,
    /// Each official with the code just issued and its expiry.
    pub rows: Vec<(Slip, String, DateTime<Utc>)>,
    /// Reset codes (one official) rather than activation codes.
    pub reset: bool,
    /// Accounts of the unit left out: they hold rights the issuer could not grant.
    pub withheld: usize,
}

use crate::domain::html::escape as esc;

impl Sheet {
    fn until(&self, t: DateTime<Utc>) -> String {
        crate::i18n::fmt_date(crate::ssr::clock::date_of(t))
    }

    /// An A4 page of slips to cut apart, one per official.
    pub fn html(&self) -> String {
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
<p class="slip-addr">Vào <span class="mono">{address}</span></p>
<dl>
<dt>Tên đăng nhập</dt><dd class="mono">{user}</dd>
<dt>{kind}</dt><dd class="mono code">{code}</dd>
<dt>Hạn dùng</dt><dd>{until}</dd>
</dl>
<ol>
<li>Mở địa chỉ trên bằng điện thoại hoặc máy tính (hoặc trang đăng nhập → "Kích hoạt tài khoản").</li>
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
        let mut empty = if self.rows.is_empty() && self.withheld == 0 {
            "<p class=\"note\">Mọi cán bộ của đơn vị đã tự đặt mật khẩu: không có mã nào cần in.</p>".to_string()
        } else {
            String::new()
        };
        if self.withheld > 0 {
            empty.push_str(&format!(
                "<p class=\"note\"><strong>{} tài khoản không có phiếu ở đây:</strong> họ giữ quyền mà bạn không thể cấp (quản trị, giảng viên, hoặc quản lý ngoài phạm vi của bạn). Quản trị viên cấp mã cho họ.</p>",
                self.withheld
            ));
        }
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
.slip-unit {{ margin: 0 0 1.5mm; color: #333; }}
.slip-addr {{ margin: 0 0 1.5mm; font-size: 9pt; overflow-wrap: anywhere; }}
.slip-addr .mono {{ font-weight: 700; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .6mm 3mm; margin: 0 0 2mm; }}
dt {{ color: #555; align-self: baseline; }} dd {{ margin: 0; align-self: baseline; }}
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
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
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

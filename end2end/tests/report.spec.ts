// The printed coverage report is a Vietnamese administrative document: the letterhead of the
// manager's agency (configured per agency), quốc hiệu and tiêu ngữ, number and symbol, place and
// date, BÁO CÁO with its summary, the content, the recipients and the signature block; printed
// as A4 without the site's navigation. And the letterhead form works. JavaScript on and off.
import { test, expect, Page, TestInfo } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { jsOn, open, signIn } from './helpers';

/** After a full page load (a plain form's answer), with JavaScript on, waits for hydration. */
async function settle(page: Page, info: TestInfo) {
  if (jsOn(info)) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test('the print report carries every element of the administrative format and prints as A4', async ({ page }, info) => {
  await signIn(page, info, 'quanly');
  await expect(page).not.toHaveURL(/sign-in/);
  await open(page, info, '/coverage/report');
  const doc = page.locator('article.doc');
  await expect(doc).toBeVisible();

  // Top left: managing body (regular), issuing body (bold), number and symbol for the clerk.
  await expect(doc.locator('.doc-parent')).toHaveText('SỞ CÔNG THƯƠNG TỈNH GIA LAI');
  await expect(doc.locator('.doc-body')).toHaveText('CHI CỤC QUẢN LÝ THỊ TRƯỜNG');
  await expect(doc.locator('.doc-number')).toHaveText(/^Số: …+\/BC-CCQLTT$/);
  // Top right: quốc hiệu, tiêu ngữ, place and date (days 1–9 and months 1–2 with a zero).
  await expect(doc.locator('.doc-national-name')).toHaveText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  await expect(doc.locator('.doc-motto')).toHaveText('Độc lập - Tự do - Hạnh phúc');
  await expect(doc.locator('.doc-date')).toHaveText(/^Gia Lai, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$/);
  // Centred: the document type and the summary.
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText('BÁO CÁO');
  await expect(title).toContainText('Kết quả tập huấn cán bộ thực thi pháp luật về thương mại điện tử');
  await expect(title).toContainText(/tính đến ngày \d{2}\/\d{2}\/\d{4}/);
  // The content, in sections.
  for (const h of ['I. KẾT QUẢ CHUNG', 'II. TIẾN ĐỘ VÀ DỰ BÁO', 'III. KẾT QUẢ THEO ĐƠN VỊ', 'IV. CÁC LỚP TẬP HUẤN TRỰC TIẾP ĐÃ TỔ CHỨC', 'V. CÁCH TÍNH SỐ LIỆU']) {
    await expect(page.getByRole('heading', { level: 2, name: h })).toBeVisible();
  }
  await expect(doc.getByText(/Tổng số cán bộ thuộc diện: \d+;/)).toBeVisible();
  await expect(doc.locator('.chart svg')).toBeVisible();
  const rows = doc.getByRole('table', { name: 'Theo đơn vị' }).getByRole('row');
  expect(await rows.count()).toBeGreaterThan(5);
  await expect(doc.getByText(/\.\/\.$/)).toBeVisible();
  // Bottom: recipients (bold italic label) and the signature block.
  await expect(doc.locator('.doc-recipients-label')).toHaveText('Nơi nhận:');
  await expect(doc.locator('.doc-recipients li').first()).toHaveText(/^- /);
  await expect(doc.locator('.doc-recipients li').last()).toHaveText('- Lưu: VT, NV.');
  await expect(doc.locator('.doc-authority')).toHaveText('KT. CHI CỤC TRƯỞNG');
  await expect(doc.locator('.doc-signer-title')).toHaveText('PHÓ CHI CỤC TRƯỞNG');
  await expect(doc.locator('.doc-signer-name')).toHaveText('Nguyễn Văn A');
  // The typography the format asks for.
  const style = (sel: string, prop: string) =>
    doc.locator(sel).first().evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);
  expect(Number(await style('.doc-body strong', 'font-weight'))).toBeGreaterThanOrEqual(700);
  expect(Number(await style('.doc-parent', 'font-weight'))).toBeLessThan(700);
  expect(Number(await style('.doc-national-name strong', 'font-weight'))).toBeGreaterThanOrEqual(700);
  expect(await style('.doc-motto strong', 'border-bottom-style')).toBe('solid');
  expect(await style('.doc-date em', 'font-style')).toBe('italic');
  expect(await style('.doc-recipients-label em', 'font-style')).toBe('italic');
  expect(Number(await style('.doc-recipients-label strong', 'font-weight'))).toBeGreaterThanOrEqual(700);
  expect(Number(await style('.doc-signer-name strong', 'font-weight'))).toBeGreaterThanOrEqual(700);
  expect(await style('.doc-title', 'text-align')).toBe('center');

  // How to print: a button with JavaScript, the browser's own command without.
  if (jsOn(info)) {
    await expect(page.getByRole('button', { name: 'In báo cáo' })).toBeVisible();
  } else {
    await expect(page.getByRole('button', { name: 'In báo cáo' })).toHaveCount(0);
    await expect(page.getByText('Ctrl+P')).toBeVisible();
  }

  // Printed: the document only, in a serif face.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.topbar')).toBeHidden();
  await expect(page.locator('.doc-bar')).toBeHidden();
  await expect(page.locator('footer.foot')).toBeHidden();
  await expect(doc.locator('.doc-signer-name')).toBeVisible();
  expect(await doc.evaluate(e => getComputedStyle(e).fontFamily)).toMatch(/serif/);
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(4);
  writeFileSync(info.outputPath('report.pdf'), pdf);
  // A picture of the printed page, to look at.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: info.outputPath('report-print.png'), fullPage: true });
});

test('an admin sets an agency’s letterhead with the form, and a bad one is sent back with its problems', async ({ page }, info) => {
  // Each project works on its own team: the server is shared.
  const team = jsOn(info) ? 'Đội Quản lý thị trường số 7' : 'Đội Quản lý thị trường số 8';
  await signIn(page, info, 'quantri');
  await expect(page).not.toHaveURL(/sign-in/);
  await open(page, info, '/admin');
  await page.getByRole('link', { name: 'Đặt thể thức văn bản' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thể thức văn bản' })).toBeVisible();
  const agency = page.getByLabel('Đơn vị', { exact: true });
  const value = await agency.locator('option', { hasText: team }).getAttribute('value');
  await agency.selectOption(value!);
  await page.getByRole('button', { name: 'Chọn đơn vị' }).click();
  await expect(page).toHaveURL(new RegExp(`agency=${value}`));
  await settle(page, info);
  await expect(page.getByRole('heading', { level: 2, name: team })).toBeVisible();
  // The form starts from the letterhead the team prints now (the Chi cục's).
  await expect(page.getByLabel('Cơ quan ban hành')).toHaveValue('Chi cục Quản lý thị trường');

  // A bad draft: the problem beside its field, what was typed kept, nothing saved.
  await page.getByLabel('Cơ quan ban hành').fill(team);
  await page.getByLabel('Chữ viết tắt trong ký hiệu văn bản').fill('BC/ĐỘI');
  await page.getByRole('button', { name: 'Lưu thể thức văn bản' }).click();
  await expect(page.getByRole('alert')).toContainText('Chưa lưu — hãy sửa các mục sau:');
  await settle(page, info);
  await expect(page.getByLabel('Chữ viết tắt trong ký hiệu văn bản')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Cơ quan ban hành')).toHaveValue(team);

  await page.getByLabel('Chữ viết tắt trong ký hiệu văn bản').fill('ĐQLTT');
  await page.getByLabel('Họ và tên người ký').fill('Đỗ Văn E');
  await page.getByRole('button', { name: 'Lưu thể thức văn bản' }).click();
  await expect(page.getByRole('status')).toHaveText('Đã lưu thể thức văn bản.');
  await expect(page.getByText('Đơn vị này đã có thể thức văn bản riêng.')).toBeVisible();
  await expect(agency.locator('option:checked')).toContainText('đã đặt riêng');
});

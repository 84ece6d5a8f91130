// Coverage dashboard, as a manager would use it (JavaScript on and off): the numbers against
// the target, the drill-down to the officials not yet covered, the XLSX export (opened and
// checked cell by cell), the official's record, and the scope wall.
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { open, signIn } from './helpers';

test('a manager sees coverage, drills down to missing officials and exports XLSX', async ({ page }, info) => {
  await signIn(page, info, 'quanly');
  await expect(page).toHaveURL('/coverage');
  await expect(page.getByRole('heading', { level: 1, name: 'Tiến độ tập huấn' })).toBeVisible();
  await expect(page.getByLabel('Chỉ tiêu', { exact: true })).toBeVisible();
  await expect(page.locator('svg.burnup')).toBeVisible();
  await expect(page.getByText('Tốc độ 4 tuần gần nhất')).toBeVisible();

  // Overall numbers: "covered / base" in the second stat.
  const ratio = (await page.locator('.stat .num').nth(1).innerText()).split('/').map((s) => Number(s.trim()));
  const [covered, base] = ratio;
  expect(base).toBeGreaterThan(0);
  expect(covered).toBeGreaterThan(0);
  expect(covered).toBeLessThan(base);

  // The tree: the Chi cục and its 11 teams, nothing outside the subtree.
  const tree = page.locator('table.tree');
  await expect(tree.getByRole('link')).toHaveCount(12);
  await expect(tree.getByRole('link', { name: 'Công an tỉnh Gia Lai' })).toHaveCount(0);

  // Drill down to team 3: the named officials not yet covered, exemptions shown separately.
  await tree.getByRole('link', { name: 'Đội Quản lý thị trường số 3' }).click();
  await expect(page).toHaveURL(/agency=\d+/);
  const missing = page.getByRole('table', { name: 'Cán bộ chưa đạt' });
  await expect(missing).toBeVisible();
  const rows = missing.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(page.getByRole('heading', { name: 'Danh sách được miễn trừ (không tính vào số phải đạt)' })).toBeVisible();
  await expect(page.getByText('Nghỉ thai sản')).toBeVisible();

  // One official's record: required courses, status, history.
  const first = rows.first().getByRole('link');
  const name = await first.innerText();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Quá trình công tác' })).toBeVisible();
  await expect(page.locator('.program-standing').first()).toContainText('Chưa đạt');

  // Export per agency as XLSX and read it back.
  await open(page, info, '/coverage');
  const downloading = page.waitForEvent('download');
  await page.getByRole('listitem').filter({ hasText: 'Theo đơn vị' }).getByRole('link', { name: 'XLSX' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^tien-do-DA319-THUCTHI-2026-agencies-\d{8}\.xlsx$/);
  const file = info.outputPath('agencies.xlsx');
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('Theo đơn vị')!;
  expect(ws.getCell('A3').value).toBe('Mã đơn vị');
  expect(ws.getCell('B3').value).toBe('Tên đơn vị');
  expect(ws.getCell('F3').value).toBe('Phải đạt');
  expect(ws.getCell('G3').value).toBe('Đã đạt');
  expect(ws.getCell('A4').value).toBe('GL-QLTT');
  expect(ws.getCell('B4').value).toBe('Chi cục Quản lý thị trường tỉnh Gia Lai');
  expect(ws.getCell('F4').value).toBe(base);
  expect(ws.getCell('G4').value).toBe(covered);
  const codes: string[] = [];
  ws.eachRow((row, n) => { if (n > 3) codes.push(String(row.getCell(1).value)); });
  expect(codes).toHaveLength(12);
  expect(codes.every((c) => c.startsWith('GL-QLTT'))).toBe(true);

  // The official × course matrix too: one row per official in scope, course titles as headers.
  const downloading2 = page.waitForEvent('download');
  await page.getByRole('listitem').filter({ hasText: 'Cán bộ × khóa học' }).getByRole('link', { name: 'XLSX' }).click();
  const matrixFile = info.outputPath('matrix.xlsx');
  await (await downloading2).saveAs(matrixFile);
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.readFile(matrixFile);
  const m = wb2.getWorksheet('Cán bộ × khóa học')!;
  expect(m.getCell('A3').value).toBe('Mã cán bộ');
  expect(m.getCell('B3').value).toBe('Họ và tên');
  expect(String(m.getCell('E3').value)).toMatch(/pháp lý|Khung/i);
  let done = 0;
  m.eachRow((row, n) => { if (n > 3 && row.getCell(9).value === 'Đạt') done += 1; });
  expect(done).toBe(covered);
});

test('a manager cannot see an agency outside their subtree', async ({ page }, info) => {
  await signIn(page, info, 'quanly');
  await expect(page).toHaveURL('/coverage');
  const last = page.locator('table.tree').getByRole('link', { name: 'Đội Quản lý thị trường số 11' });
  const id = Number(new URL(await last.getAttribute('href') ?? '', 'http://x').searchParams.get('agency'));
  // The ids after the last team are the police (seed order): outside the Chi cục.
  for (const outside of [id + 1, id + 2]) {
    await open(page, info, `/coverage?agency=${outside}`);
    await expect(page.getByRole('alert')).toHaveText('Bạn không có quyền xem trang này.');
    await expect(page.getByRole('table', { name: 'Cán bộ chưa đạt' })).toHaveCount(0);
    const res = await page.request.get(`/coverage/export/matrix.xlsx?agency=${outside}`);
    expect(res.status()).toBe(403);
  }
});

test('a manager previews a roster (CSV and Excel) with errors and nothing is applied', async ({ page }, info) => {
  await signIn(page, info, 'quanly.doi1');
  await open(page, info, '/roster');
  await expect(page.getByRole('heading', { level: 1, name: 'Nhập danh sách' })).toBeVisible();
  await page.getByLabel('Tệp danh sách').setInputFiles({
    name: 'danh-sach.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\ufeffMã cán bộ;Họ và tên;Mã đơn vị;Chức vụ;Nhiệm vụ thực thi\r\nGL99001;Nguyễn Văn Mới;GL-QLTT-D99;Kiểm soát viên thị trường;có lẽ\r\n'),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(page).toHaveURL(/\/roster\?upload=\d+/);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Tệp có lỗi nên chưa áp dụng gì');
  await expect(alert).toContainText('dòng 2, cột 3 (Mã đơn vị): không có đơn vị mã "GL-QLTT-D99"');
  await expect(alert).toContainText('dòng 2, cột 5 (Nhiệm vụ thực thi): không hiểu giá trị "có lẽ"');
  await expect(page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' })).toHaveCount(0);

  // The same roster as an Excel workbook: the errors name the sheet's rows and columns.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  ws.addRow(['Mã cán bộ', 'Họ và tên', 'Mã đơn vị', 'Chức vụ', 'Nhiệm vụ thực thi']);
  ws.addRow(['GL99002', 'Trần Thị Mới', 'GL-QLTT-D01', 'Kiểm soát viên thị trường', true]);
  ws.addRow(['GL99001', 'Nguyễn Văn Mới', 'GL-QLTT-D99', 'Kiểm soát viên thị trường', 'có lẽ']);
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh sách').setInputFiles({
    name: 'danh-sach.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await wb.xlsx.writeBuffer()),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(page).toHaveURL(/\/roster\?upload=\d+/);
  await expect(page.getByRole('alert')).toContainText('dòng 3, cột 3 (Mã đơn vị): không có đơn vị mã "GL-QLTT-D99"');
  await expect(page.getByRole('alert')).toContainText('dòng 3, cột 5 (Nhiệm vụ thực thi): không hiểu giá trị "có lẽ"');
  await expect(page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' })).toHaveCount(0);

  // An English reader sees the same errors in English; the file's own headers stay as written.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const english = page.getByRole('alert');
  await expect(english).toContainText('line 3, column 3 (Mã đơn vị): no agency has the code "GL-QLTT-D99"');
  await expect(english).toContainText('line 3, column 5 (Nhiệm vụ thực thi): "có lẽ" is neither yes nor no — write có or không');
  await expect(english).not.toContainText('dòng');
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
});

test('a manager records an outreach event and the known population beside coverage', async ({ page }, info) => {
  const figure = info.project.name === 'js-on' ? '4321' : '5432';
  await signIn(page, info, 'quanly.doi1');
  await open(page, info, '/coverage');
  const section = page.locator('section.outreach');
  await section.getByText('Ghi tổng số doanh nghiệp / người tiêu dùng đã biết').click();
  await section.locator('#op-kind').selectOption('sellers');
  await section.getByLabel('Tổng số đã biết').fill(figure);
  await section.getByLabel('Nguồn số liệu').fill('Sở Công Thương, 10/2026');
  await section.getByRole('button', { name: 'Lưu' }).last().click();
  const row = page.locator('section.outreach tbody tr').filter({ hasText: 'Đội Quản lý thị trường số 1' }).filter({ hasText: 'Người bán' });
  await expect(row).toContainText(figure);
  await expect(row).toContainText('Sở Công Thương, 10/2026');

  // An event adds its reach to the line (column 4: "Số lượt tiếp cận").
  const reached = async () => Number(await row.locator('td').nth(3).innerText());
  const before = await reached();
  await page.locator('section.outreach').getByText('Ghi nhận hoạt động tuyên truyền').click();
  await page.locator('#o-kind').selectOption('sellers');
  // Too many reached: the dashboard says what is wrong and keeps what was typed.
  await page.getByLabel('Số lượt tiếp cận').fill('20000000');
  await page.getByLabel('Tên hoạt động').fill('Tập huấn người bán trên sàn');
  await page.locator('section.outreach').getByRole('button', { name: 'Lưu' }).first().click();
  await expect(page.locator('section.outreach [role=alert]')).toHaveText('Số lượt tiếp cận phải từ 0 đến 10 000 000.');
  await expect(page.getByLabel('Tên hoạt động')).toHaveValue('Tập huấn người bán trên sàn');
  await expect(page.locator('#o-kind')).toHaveValue('sellers');
  await expect(row.locator('td').nth(3)).toHaveText(String(before));
  await page.getByLabel('Số lượt tiếp cận').fill('21');
  await page.locator('section.outreach').getByRole('button', { name: 'Lưu' }).first().click();
  await expect(page.locator('section.outreach [role=status]')).toHaveText('Đã lưu.');
  await expect(row.locator('td').nth(3)).toHaveText(String(before + 21));
});

// Files as provinces send them: another system's headers are read after folding, a column named
// after the law is inferred and shown, an unknown column is chosen (or skipped) in the preview,
// and the choice is remembered for the unit's next file. JavaScript on and off.
import { test, expect } from '@playwright/test';
import { jsOn, open, signIn } from './helpers';

test('a roster with other headers imports after the manager confirms the columns', async ({ page }, info) => {
  const code = jsOn(info) ? 'GL95001' : 'GL95101';
  const file = (c: string) => Buffer.from(
    `Mã CB;Họ và tên;Mã đơn vị;Chức vụ;Thẩm quyền thực thi Luật TMĐT;Ghi chú nội bộ\r\n${c};Đoàn Văn Cột;GL-QLTT-D01;Kiểm soát viên thị trường;x;tổ 2\r\n`);
  // Choices are remembered per unit: each project signs in as the manager of another unit.
  await signIn(page, info, jsOn(info) ? 'quanly.doi1' : 'quanly');
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh sách').setInputFiles({ name: 'he-thong-khac.csv', mimeType: 'text/csv', buffer: file(code) });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(page).toHaveURL(/\/roster\?upload=\d+/);
  const columns = page.locator('form.columns-choice');
  await expect(columns.getByRole('heading', { name: 'Các cột của tệp' })).toBeVisible();
  // The duty column: inferred from its key words, shown for the manager to check.
  await expect(columns.locator('tr', { hasText: 'Thẩm quyền thực thi Luật TMĐT' })).toContainText('đoán theo tên cột');
  await expect(page.getByLabel('Thẩm quyền thực thi Luật TMĐT')).toHaveValue('nhiệm vụ thực thi');
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('columns.png'), fullPage: true });
  // The unknown column holds the file back until it is chosen or skipped.
  await expect(page.getByRole('alert')).toContainText('không nhận ra tên cột "Ghi chú nội bộ"');
  await expect(page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' })).toHaveCount(0);
  await page.getByLabel('Ghi chú nội bộ').selectOption('-');
  await columns.getByRole('button', { name: 'Xem lại thay đổi' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('.accounts-plan')).toContainText('1 tài khoản mới');
  await page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' }).click();
  await expect(page.getByText('Đã áp dụng danh sách.')).toBeVisible();

  // The next file of the unit with the same headers: the choices are remembered.
  const next = jsOn(info) ? 'GL95002' : 'GL95102';
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh sách').setInputFiles({ name: 'lan-sau.csv', mimeType: 'text/csv', buffer: file(next) });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('form.columns-choice tr', { hasText: 'Ghi chú nội bộ' })).toContainText('(đã chọn)');
  await expect(page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' })).toBeVisible();
});

test('an agency file headed ma_don_vi,ten_don_vi,ma_don_vi_cap_tren imports', async ({ page }, info) => {
  // Under the Sở KH&CN: the Chi cục's tree, which other specs count, stays as seeded.
  const code = jsOn(info) ? 'GL-SKHCN-T1' : 'GL-SKHCN-T2';
  await signIn(page, info, 'quantri');
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh mục đơn vị').setInputFiles({
    name: 'don-vi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`ma_don_vi,ten_don_vi,ma_don_vi_cap_tren\r\n${code},Phòng thử nghiệm,GL-SKHCN\r\n`),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).last().click();
  await expect(page).toHaveURL(/\/roster\?upload=\d+/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('.roster-preview')).toContainText('1 đơn vị mới');
  await page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' }).click();
  await expect(page.getByText('Đã áp dụng danh sách.')).toBeVisible();
});

// Every official on the roster can sign in: a manager imports new officials, prints their unit's
// activation codes, and an official signs in with a code, is made to choose a password (a common
// one is refused in words) and lands on their courses. JavaScript on and off.
import { test, expect } from '@playwright/test';
import { jsOn, open, signIn } from './helpers';

test('a new official on the roster signs in with a printed code and chooses a password', async ({ page }, info) => {
  // Each project (JavaScript on / off) imports its own official: the server is shared.
  const code = jsOn(info) ? 'GL98001' : 'GL98101';
  const username = code.toLowerCase();
  await signIn(page, info, 'quanly.doi1');
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh sách').setInputFiles({
    name: 'can-bo-moi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`Mã cán bộ,Họ và tên,Mã đơn vị,Chức vụ,Nhiệm vụ thực thi\r\n${code},Hà Thị Kích Hoạt,GL-QLTT-D01,Kiểm soát viên thị trường,có\r\n`),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(page).toHaveURL(/\/roster\?upload=\d+/);
  await expect(page.locator('.accounts-plan')).toContainText('1 tài khoản mới');
  await page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' }).click();
  await expect(page.getByText('Đã áp dụng danh sách.')).toBeVisible();

  // The unit's codes, as A4 slips (the answer to the form post).
  await open(page, info, '/roster');
  await expect(page.getByRole('heading', { name: 'Mã kích hoạt cho cán bộ' })).toBeVisible();
  await page.getByRole('button', { name: 'In phiếu mã (A4)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Phiếu mã kích hoạt tài khoản');
  const slip = page.locator('section.slip', { hasText: username });
  await expect(slip).toContainText('Hà Thị Kích Hoạt');
  await expect(slip).toContainText('/activate');
  const printed = (await slip.locator('dd.code').innerText()).trim();
  expect(printed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  if (jsOn(info)) {
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: info.outputPath('activation-slips.png'), fullPage: false });
    await page.emulateMedia({ media: 'screen' });
  }

  // The official, on their own device.
  await page.context().clearCookies();
  await open(page, info, '/sign-in');
  await page.getByRole('link', { name: 'Kích hoạt tài khoản' }).click();
  await expect(page).toHaveURL(/\/activate$/);
  if (jsOn(info)) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mã trên phiếu').fill(printed.toLowerCase());
  await page.getByLabel('Mật khẩu mới').fill('123456789');
  await page.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
  await expect(page.getByRole('alert')).toContainText('quá phổ biến');
  // The name is kept; the code is typed again (it is never put in an address).
  await expect(page.getByLabel('Tên đăng nhập')).toHaveValue(username);
  if (jsOn(info)) {
    // The show-password toggle.
    await page.getByLabel('Mật khẩu mới').fill('hoa dã quỳ nở trên cao nguyên');
    await page.getByLabel('Hiện mật khẩu').check();
    await expect(page.getByLabel('Mật khẩu mới')).toHaveAttribute('type', 'text');
    await page.screenshot({ path: info.outputPath('activate.png'), fullPage: true });
  }
  await page.getByLabel('Mã trên phiếu').fill(printed);
  await page.getByLabel('Mật khẩu mới').fill('hoa dã quỳ nở trên cao nguyên');
  await page.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole('heading', { name: 'Khóa học bắt buộc' })).toBeVisible();
});

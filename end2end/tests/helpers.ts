import { expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'taphuan-demo';

/** True in the project that runs with JavaScript on. */
export const jsOn = (info: TestInfo) => info.project.name === 'js-on';

/** Goes to a page and, with JavaScript on, waits until the app has hydrated. */
export async function open(page: Page, info: TestInfo, path: string) {
  await page.goto(path);
  if (jsOn(info)) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** Signs in through the real form. */
export async function signIn(page: Page, info: TestInfo, username: string, password = PASSWORD) {
  await open(page, info, '/sign-in');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/**
 * A new official of Đội QLTT số 1 with an account: the team's manager imports them and prints
 * their activation code, and they choose a password. Signs out at the end. Returns the sign-in.
 */
export async function newOfficial(page: Page, info: TestInfo, code: string, name: string) {
  const username = code.toLowerCase();
  const password = 'hoa dã quỳ nở trên cao nguyên';
  await signIn(page, info, 'quanly.doi1');
  await open(page, info, '/roster');
  await page.getByLabel('Tệp danh sách').setInputFiles({
    name: 'can-bo-moi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`Mã cán bộ,Họ và tên,Mã đơn vị,Chức vụ,Nhiệm vụ thực thi\r\n${code},${name},GL-QLTT-D01,Kiểm soát viên thị trường,có\r\n`),
  });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' }).click();
  await expect(page.getByText('Đã áp dụng danh sách.')).toBeVisible();
  await open(page, info, '/roster');
  await page.getByRole('button', { name: 'In phiếu mã (A4)' }).click();
  const printed = (await page.locator('section.slip', { hasText: username }).locator('dd.code').innerText()).trim();
  await page.context().clearCookies();
  await open(page, info, '/activate');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mã trên phiếu').fill(printed);
  await page.getByLabel('Mật khẩu mới').fill(password);
  await page.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await page.context().clearCookies();
  return { username, password };
}

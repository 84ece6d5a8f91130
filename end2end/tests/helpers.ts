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

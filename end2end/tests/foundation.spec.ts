// The foundation as a person meets it: signing in by role, a wrong password, signing out,
// the 404 page, the language switch, a manager kept inside their agency subtree, and back and
// forward returning to where a page was left.
import { expect, test } from '@playwright/test';
import { jsOn, open, signIn } from './helpers';

const roles = [
  { user: 'hocvien', home: '/learn', heading: 'Chào mừng bạn đến với chương trình tập huấn', badge: 'Học viên' },
  { user: 'giangvien', home: '/content', heading: 'Nội dung đào tạo', badge: 'Giảng viên' },
  { user: 'quanly', home: '/coverage', heading: 'Tiến độ tập huấn', badge: 'Cán bộ quản lý' },
  { user: 'quantri', home: '/admin', heading: 'Quản trị', badge: 'Quản trị hệ thống' },
];

for (const r of roles) {
  test(`signing in as ${r.user} lands on the ${r.home} home page`, async ({ page }, info) => {
    await signIn(page, info, r.user);
    await expect(page).toHaveURL(r.home);
    await expect(page.getByRole('heading', { level: 1, name: r.heading })).toBeVisible();
    await expect(page.locator('.who .badge')).toHaveText(r.badge);
    await expect(page.getByRole('note')).toContainText('Dữ liệu minh họa');
  });
}

test('a wrong password shows one clear Vietnamese message and no session', async ({ page }, info) => {
  await signIn(page, info, 'quanly', 'sai-mat-khau');
  await expect(page).toHaveURL(/\/sign-in\?error=credentials/);
  await expect(page.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
  await open(page, info, '/coverage');
  await expect(page).toHaveURL(/\/sign-in\?next=\/coverage/);
});

test('signing out ends the session', async ({ page }, info) => {
  await signIn(page, info, 'quantri');
  await expect(page).toHaveURL('/admin');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/sign-in\?signed_out=1/);
  await expect(page.getByRole('status')).toHaveText('Bạn đã đăng xuất.');
  await open(page, info, '/admin');
  await expect(page).toHaveURL(/\/sign-in\?next=\/admin/);
});

test('an unknown address shows the 404 page', async ({ page }, info) => {
  const res = await page.goto('/khong-co-trang-nay');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Không tìm thấy trang' })).toBeVisible();
  await expect(page).toHaveTitle(/Không tìm thấy trang · Taphuan/);
  void info;
});

test('the interface switches to English and back', async ({ page }, info) => {
  await open(page, info, '/sign-in');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Taphuan');
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng nhập vào Taphuan');
});

test('an English reader reads a course and its lessons in English, and the same lesson in Vietnamese after switching back', async ({ page }, info) => {
  await signIn(page, info, 'hocvien');
  await expect(page).toHaveURL('/learn');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Tiếng Việt' })).toBeVisible();
  await open(page, info, '/courses/a-khung-phap-ly');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The legal framework for e-commerce');
  await page.getByRole('link', { name: 'Decree 52/2013/NĐ-CP: the legal foundation of e-commerce' }).click();
  await expect(page).toHaveTitle(/^Decree 52\/2013\/NĐ-CP: the legal foundation of e-commerce/);
  // The whole course is translated: no note, and the text is the English lesson's.
  await expect(page.getByText('has not been translated into English')).toHaveCount(0);
  await expect(page.locator('article .prose[lang="vi"]')).toHaveCount(0);
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page).toHaveTitle(/^Nghị định 52\/2013\/NĐ-CP: nền móng pháp lý/);
});

test('a team manager sees only their team and is refused another agency', async ({ page }, info) => {
  await signIn(page, info, 'quanly.doi1');
  await expect(page).toHaveURL('/coverage');
  const tree = page.locator('table.tree');
  await expect(tree.getByRole('link')).toHaveCount(1);
  await expect(tree.getByRole('link')).toHaveText('Đội Quản lý thị trường số 1');
  await tree.getByRole('link', { name: 'Đội Quản lý thị trường số 1' }).click();
  await expect(page.getByRole('table', { name: 'Cán bộ' })).toBeVisible();
  // Guess another agency's id in the address bar: refused, no names shown.
  const current = new URL(page.url()).searchParams.get('agency');
  await open(page, info, `/coverage?agency=${Number(current) + 1}`);
  await expect(page.getByRole('alert')).toHaveText('Bạn không có quyền xem trang này.');
  await expect(page.getByRole('table', { name: 'Cán bộ' })).toHaveCount(0);
});

test('an image in a lesson loads from the course folder', async ({ page }, info) => {
  await signIn(page, info, 'hocvien');
  await open(page, info, '/courses/f-de-an-319-gia-lai/lessons/4');
  const img = page.locator('article img[src$="moc-thoi-gian.svg"], main img[src$="moc-thoi-gian.svg"]').first();
  await expect(img).toBeVisible();
  // Loaded, not a broken-image box: the browser decoded it and knows its size.
  await expect.poll(async () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  const src = await img.getAttribute('src');
  const res = await page.request.get(src!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/svg+xml');
});

test('the skip link moves focus to the content, and the navigation is named in the page language', async ({ page }, info) => {
  await signIn(page, info, 'hocvien');
  await open(page, info, '/learn');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
});

test('back and forward open a page where the reader left it, without reloading', async ({ page }, info) => {
  test.skip(!jsOn(info), 'with JavaScript off the browser restores the position itself');
  await signIn(page, info, 'hocvien');
  const lesson = '/courses/a-khung-phap-ly/lessons/1';
  await open(page, info, lesson);
  await page.evaluate(() => ((window as unknown as { taphuanMarker?: number }).taphuanMarker = 1));
  const height = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  expect(height).toBeGreaterThan(900);
  await page.evaluate(() => window.scrollTo(0, 700));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(700);
  // A link followed by script, so that Playwright does not scroll to it first.
  await page.evaluate(() => (document.querySelector('a[href="/learn"]') as HTMLElement).click());
  await expect(page).toHaveURL('/learn');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await page.goBack();
  await expect(page).toHaveURL(lesson);
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(700);
  await page.goForward();
  await expect(page).toHaveURL('/learn');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  // All in place: the page was never loaded again.
  expect(await page.evaluate(() => (window as unknown as { taphuanMarker?: number }).taphuanMarker)).toBe(1);
});

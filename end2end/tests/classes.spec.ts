// An in-person class (lớp tập huấn), as it runs on the day (JavaScript on and off): the team's
// manager creates a class of course F with an exam sat in class and invites Đội QLTT số 1; a new
// official of the team sees it; the trainer projects the session's QR code; the official opens
// its address on their phone and checks in (a second check-in is refused); the trainer enters
// the score; the official has completed the course and the team's coverage rose by one.
import { test, expect, Page, TestInfo } from '@playwright/test';
import { jsOn, newOfficial, open, signIn } from './helpers';

const PROGRAM_F = 'Phổ biến Đề án 319 và Kế hoạch 1122 cho toàn bộ cán bộ';

/** [covered, base, covered through a class] of the F program for the signed-in manager's team. */
async function coverageOfTeam(page: Page, info: TestInfo): Promise<number[]> {
  await open(page, info, '/coverage');
  await page.getByLabel('Chỉ tiêu', { exact: true }).selectOption({ label: PROGRAM_F });
  await page.getByRole('button', { name: 'Xem', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText('DA319-TONGQUAN-2026');
  const [covered, base] = (await page.locator('.stat .num').nth(1).innerText()).split('/').map((s) => Number(s.trim()));
  const split = await page.getByTestId('covered-split').innerText();
  const inClass = Number(/trong đó (\d+) qua lớp tập huấn/.exec(split)![1]);
  return [covered, base, inClass];
}

test('a class with an exam in class: invite the team, QR check-in, score, coverage rises', async ({ page, browser }, info) => {
  const code = jsOn(info) ? 'GL97001' : 'GL97101';
  const name = jsOn(info) ? 'Lò Văn Lớp' : 'Lò Thị Lớp';
  const title = `Lớp tập huấn Đề án 319 — ${code}`;
  const official = await newOfficial(page, info, code, name);

  // The manager of Đội 1: the team's coverage now, then the class.
  await signIn(page, info, 'quanly.doi1');
  const [coveredBefore, baseBefore, inClassBefore] = await coverageOfTeam(page, info);
  await open(page, info, '/classes');
  await page.getByRole('link', { name: 'Tạo lớp tập huấn' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tạo lớp tập huấn' })).toBeVisible();
  await page.getByLabel('Tên lớp').fill(title);
  await page.getByLabel('Giảng viên').fill('ThS. Trần Văn Bình, Chi cục QLTT');
  await page.getByRole('checkbox', { name: 'Đề án 319 và kế hoạch thực hiện tại tỉnh Gia Lai mới' }).check();
  await page.getByLabel('Đơn vị được mời').selectOption({ label: 'Đội Quản lý thị trường số 1' });
  await page.getByLabel('Sĩ số tối đa').fill('200');
  await page.getByLabel('Điều kiện hoàn thành').selectOption('attendance_class_exam');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  await page.locator('input[name="s1_date"]').fill(today);
  await page.locator('input[name="s1_start"]').fill('08:00');
  await page.locator('input[name="s1_end"]').fill('11:30');
  await page.locator('input[name="s1_place"]').fill('Hội trường Chi cục QLTT, 02 Lê Lợi');
  await page.getByRole('button', { name: 'Tạo lớp và mời đơn vị' }).click();
  await expect(page).toHaveURL(/\/classes\/\d+\?created=1/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Đã tạo lớp.');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Đã ghi danh');
  const classUrl = new URL(page.url()).pathname;
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('class.png'), fullPage: true });

  // The official sees the class among theirs.
  const phone = await browser.newContext({ javaScriptEnabled: jsOn(info), viewport: { width: 390, height: 800 } });
  const mobile = await phone.newPage();
  await signIn(mobile, info, official.username, official.password);
  await open(mobile, info, '/classes');
  const mine = mobile.locator('.class-item', { hasText: title });
  await expect(mine).toContainText('Đã ghi danh');
  await expect(mine).toContainText('Hội trường Chi cục QLTT');

  // The trainer projects the session's QR code.
  await page.context().clearCookies();
  await signIn(page, info, 'giangvien');
  await open(page, info, classUrl);
  await page.getByRole('link', { name: 'Chiếu mã QR điểm danh' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.qr-big svg')).toBeVisible();
  const checkin = await page.locator('#checkin-link').getAttribute('href');
  expect(checkin).toMatch(/\/checkin\/\d+\?c=\d{8}$/);
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('qr.png'), fullPage: true });

  // The official follows the QR code's address and checks in, once.
  await open(mobile, info, new URL(checkin!).pathname + new URL(checkin!).search);
  await expect(mobile.getByRole('heading', { level: 1, name: 'Điểm danh' })).toBeVisible();
  await mobile.getByRole('button', { name: 'Điểm danh' }).click();
  await expect(mobile.getByRole('status')).toContainText('Đã điểm danh. Cảm ơn bạn!');
  if (jsOn(info)) await mobile.screenshot({ path: info.outputPath('checkin.png'), fullPage: true });
  await open(mobile, info, new URL(checkin!).pathname + new URL(checkin!).search);
  await expect(mobile.getByRole('status')).toContainText('Bạn đã điểm danh buổi học này.');
  await expect(mobile.getByRole('button', { name: 'Điểm danh' })).toHaveCount(0);

  // The trainer enters the in-class exam's score.
  await open(page, info, classUrl);
  const trainee = page.getByRole('row', { name: new RegExp(name) });
  await expect(trainee).toContainText('✓');
  await expect(trainee).toContainText('Chờ nhập điểm');
  await trainee.getByRole('spinbutton').fill('85');
  await page.getByRole('button', { name: 'Lưu điểm' }).click();
  await expect(page.getByRole('status').first()).toContainText('Đã lưu điểm: 1');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Hoàn thành');

  // The official has completed the course; the team's coverage rose by one.
  await open(mobile, info, '/classes');
  await expect(mobile.locator('.class-item', { hasText: title })).toContainText('Hoàn thành');
  await phone.close();
  await page.context().clearCookies();
  await signIn(page, info, 'quanly.doi1');
  const [coveredAfter, baseAfter, inClassAfter] = await coverageOfTeam(page, info);
  expect(baseAfter).toBe(baseBefore);
  expect(coveredAfter).toBe(coveredBefore + 1);
  expect(inClassAfter).toBe(inClassBefore + 1);

  // The list of participants, printed under the team's letterhead.
  await open(page, info, classUrl + '/print');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('DANH SÁCH HỌC VIÊN');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Hoàn thành');
  if (jsOn(info)) {
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: info.outputPath('class-list.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  }
});

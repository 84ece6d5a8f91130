// The learner's journey, as an official lives it, with JavaScript on and off: sign in, open an
// assigned course, read every lesson (trying a quick check on the way), fail the exam once,
// pass it, see the certificate, and check it on the public verify page while signed out.
//
// The right answers come from the content files through the CLI (`taphuan content answer-key`),
// never from an HTTP response. The two projects share one database, so each takes its own
// course. The server runs with TAPHUAN_EXAM_COOLDOWN_OVERRIDE_MINUTES=0 (playwright.config.ts)
// so the retry is not held back by the 30-minute cooldown. With JavaScript on, the spec also checks
// that reading, the exam, and back and forward happen without full page reloads.
import { expect, test } from '@playwright/test';
import { answerAll, answerKey } from './answers';
import { jsOn, signIn } from './helpers';

test('a learner reads an assigned course, fails the exam once, passes, and the certificate verifies signed out', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(180_000);
  // Each project takes a different assigned course: the two share one database.
  const course = jsOn(info) ? 'f-de-an-319-gia-lai' : 'a-khung-phap-ly';
  const key = answerKey(course);

  await signIn(page, info, 'hocvien');
  await expect(page).toHaveURL('/learn');
  const assigned = page.getByRole('region', { name: 'Khóa học bắt buộc' });
  const card = assigned.locator(`[data-course="${course}"]`);
  await expect(card).toContainText('Hạn hoàn thành');
  await card.getByRole('link').first().click();
  await expect(page).toHaveURL(`/courses/${course}`);

  // Read every lesson, in order, from the course page's start button.
  await page.getByRole('link', { name: /Bắt đầu học — Bài 1/ }).click();
  await expect(page).toHaveURL(`/courses/${course}/lessons/1`);
  // With JavaScript on, from here on a quick check, the forms (mark as read, start, submit), the
  // links and back and forward change the page without a full reload: a marker left on
  // `window` survives them.
  const mark = () => page.evaluate(() => ((window as unknown as { taphuanMarker?: number }).taphuanMarker = 1));
  const marked = () => page.evaluate(() => (window as unknown as { taphuanMarker?: number }).taphuanMarker ?? 0);
  if (jsOn(info)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await mark();
  }
  // A quick check on the way: answering shows feedback in place and is not an exam attempt.
  const kc = page.locator('.kc-box').first();
  if ((await kc.count()) > 0) {
    const radio = kc.getByRole('radio').first();
    if ((await radio.count()) > 0) await radio.check();
    else await kc.getByRole('textbox').first().fill('1');
    await kc.getByRole('button', { name: 'Kiểm tra đáp án' }).click();
    await expect(page.locator('.kc-box [role="status"]').first()).toBeVisible();
    // …at the question: the address names it.
    await expect(page).toHaveURL(/[?&]kc=\d+.*#kc-\d+$/);
  }
  for (let n = 1; ; n++) {
    await expect(page).toHaveURL(new RegExp(`/courses/${course}/lessons/${n}`));
    await expect(page.getByRole('navigation', { name: 'Danh sách bài học' })).toBeVisible();
    const next = page.getByRole('button', { name: 'Đã đọc xong, sang bài tiếp' });
    if ((await next.count()) > 0) {
      await next.click();
    } else {
      await page.getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
      break;
    }
  }
  await expect(page).toHaveURL(`/courses/${course}?read=all`);
  const lessons = page.locator('ol.lessons li');
  await expect(lessons.first()).toBeVisible();
  await expect(page.locator('ol.lessons .tag.ok')).toHaveCount(await lessons.count());
  if (jsOn(info)) expect(await marked()).toBe(1);

  // First attempt: every answer wrong.
  await page.getByRole('link', { name: 'Bài kiểm tra', exact: true }).click();
  await expect(page).toHaveURL(`/courses/${course}/exam`);
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
  // Submitting with blank questions asks first, saying how many.
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${course}/exam\\?unanswered=\\d+`));
  await expect(page.getByRole('alert')).toContainText(/Bạn còn \d+ câu chưa trả lời\./);
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('exam-unanswered.png') });
  await answerAll(page, key, false);
  // The countdown of the page left stops with it (its island is cleaned up, not left ticking).
  const countdown = () => page.evaluate(() => (window as unknown as { left?: Element }).left?.textContent);
  if (jsOn(info)) await page.evaluate(() => ((window as unknown as { left?: Element | null }).left = document.querySelector('.countdown')));
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${course}/exam/attempts/\\d+`));
  await expect(page.getByRole('status')).toContainText('Bạn chưa đạt bài kiểm tra lần này.');
  if (jsOn(info)) {
    const left = await countdown();
    expect(left).toMatch(/\d\d:\d\d/);
    await page.waitForTimeout(2_100);
    expect(await countdown()).toBe(left);
  }
  // Not a dead end: trying again is the primary action, with the attempts left.
  await expect(page.locator('.next-step a.button.primary')).toHaveText('Làm lại bài kiểm tra');
  await expect(page.locator('.next-step')).toContainText(/Còn \d+ lượt làm bài\./);
  // …and the lessons that teach what was missed, each a link into the course.
  const reread = page.getByRole('region', { name: 'Bài học nên đọc lại' });
  await expect(reread.getByRole('link').first()).toHaveAttribute('href', new RegExp(`^/courses/${course}/lessons/\\d+`));
  await expect(page.locator('ol.review li').first().getByRole('link')).toHaveAttribute('href', new RegExp(`^/courses/${course}/lessons/\\d+`));
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('exam-failed.png'), fullPage: true });

  // Second attempt: every answer right.
  await page.getByRole('link', { name: 'Về trang bài kiểm tra' }).click();
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
  await answerAll(page, key, true);
  // The answers so far are kept: with JavaScript on they are saved as they are given; without
  // it, "Lưu tạm" saves them. Reloading the page (a dropped connection, a closed tab) brings
  // every one of them back.
  const given = async () => ({
    checked: await page.locator('.exam-form input:checked').count(),
    typed: await page.locator('.exam-form input[type="text"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    chosen: await page.locator('.exam-form select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value)),
  });
  const before = await given();
  expect(before.checked).toBeGreaterThan(0);
  if (jsOn(info)) {
    await expect(page.locator('.draft-status')).toContainText('Câu trả lời đã được lưu tạm lúc');
    await page.waitForLoadState('networkidle');
  } else {
    await page.getByRole('button', { name: 'Lưu tạm, làm tiếp sau' }).click();
    await expect(page.getByText('Đã lưu tạm câu trả lời.')).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
  if (jsOn(info)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await mark();
  }
  expect(await given()).toEqual(before);
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  await expect(page.getByRole('status')).toContainText('Chúc mừng! Bạn đã đạt bài kiểm tra.');
  await expect(page.locator('.score')).toHaveText('100%');
  if (jsOn(info)) {
    expect(await marked()).toBe(1);
    // Back and forward, too, change the page in place, and going back shows the exam page as
    // it is now (passed: no open attempt), not as it was left.
    const result = page.url();
    await page.goBack();
    await expect(page).toHaveURL(`/courses/${course}/exam`);
    await expect(page.locator('main')).toContainText('Bạn đã đạt bài kiểm tra này và chứng nhận còn hiệu lực.');
    await expect(page.getByRole('button', { name: 'Nộp bài' })).toHaveCount(0);
    await page.goForward();
    await expect(page).toHaveURL(result);
    await expect(page.getByRole('status')).toContainText('Chúc mừng! Bạn đã đạt bài kiểm tra.');
    expect(await marked()).toBe(1);
  }

  // The certificate.
  await page.getByRole('link', { name: /Xem chứng nhận GL-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}/ }).click();
  await expect(page).toHaveURL(/\/certificates\/GL-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'GIẤY CHỨNG NHẬN' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Quét mã để kiểm tra tính hợp lệ' })).toBeVisible();
  await expect(page.locator('.cert-course')).not.toBeEmpty();
  const verifyUrl = await page.locator('a.verify-link').getAttribute('href');
  expect(verifyUrl).toMatch(/\/verify\/GL-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}\?t=/);

  // The transcript lists it.
  await page.getByRole('link', { name: 'Bảng điểm' }).click();
  await expect(page.getByRole('table', { name: 'Bảng điểm tập huấn' })).toContainText('100%');

  // Signed out, in a fresh browser: the verify page says valid and the QR's signature is genuine.
  const stranger = await browser.newContext({ javaScriptEnabled: jsOn(info) });
  const p2 = await stranger.newPage();
  await p2.goto(verifyUrl!);
  await expect(p2.getByRole('heading', { level: 1, name: 'Kiểm tra chứng nhận' })).toBeVisible();
  await expect(p2.getByRole('status')).toHaveText('Còn hiệu lực');
  await expect(p2.getByText('Chữ ký số trên mã QR hợp lệ.')).toBeVisible();
  await expect(p2.locator('.who')).toHaveCount(0);
  await stranger.close();
});

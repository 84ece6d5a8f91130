// Accessibility and phone width, page by page, for a visitor and each demo role (JavaScript on
// and off): axe-core (WCAG 2.0/2.1 A and AA rules) finds no serious or critical violation, and
// at 390 px no page scrolls sideways. Every page a role can reach is visited, in the states that
// change what it shows (an open exam, a failed and a passed result, a form sent back with
// problems, a roster preview).
//
// What it changes, it changes where no other spec looks: the learner reads and passes a course
// no other spec takes (one per project), and the roster preview is discarded, not applied.
import AxeBuilder from '@axe-core/playwright';
import { Browser, expect, Page, test, TestInfo } from '@playwright/test';
import { answerAll, answerKey } from './answers';
import { jsOn, open, signIn } from './helpers';

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Checks pages one after the other and gathers every problem, so that one run names them all. */
class Pages {
  problems: string[] = [];
  count = 0;
  private inspector?: Page;
  constructor(private page: Page, private info: TestInfo, private browser: Browser) {}

  /** Where axe and the width are measured: the page itself with JavaScript on. With it off, axe
   * cannot run in the page (it runs as the page's own script); a second page with the same
   * cookies then measures, with the app's scripts refused, so it shows what a browser without
   * JavaScript shows. */
  private async viewer() {
    if (jsOn(this.info)) return this.page;
    if (!this.inspector) {
      const ctx = await this.browser.newContext({ baseURL: this.info.project.use.baseURL, locale: 'vi-VN', javaScriptEnabled: true });
      await ctx.route('**/*', (r) => (r.request().resourceType() === 'script' || r.request().url().endsWith('.wasm') ? r.abort() : r.continue()));
      this.inspector = await ctx.newPage();
    }
    const ctx = this.inspector.context();
    await ctx.clearCookies();
    await ctx.addCookies(await this.page.context().cookies());
    return this.inspector;
  }

  /** axe at desktop width, then the width at 390 px after a reload. `path` is where the page is. */
  async check(path: string) {
    const { page, info } = this;
    this.count += 1;
    await page.setViewportSize(DESKTOP);
    await open(page, info, path);
    const view = await this.viewer();
    if (view !== page) {
      await view.setViewportSize(DESKTOP);
      await view.goto(path);
    }
    const { violations } = await new AxeBuilder({ page: view }).withTags(TAGS).analyze();
    for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      const targets = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}`);
      if (v.nodes.length > 5) targets.push(`      … and ${v.nodes.length - 5} more`);
      this.problems.push(`${path}\n    ${v.impact} ${v.id}: ${v.help}\n${targets.join('\n')}`);
    }
    await view.setViewportSize(PHONE);
    await view.reload();
    if (jsOn(info)) await expect(view.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const { scroll, inner } = await view.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }));
    if (scroll > inner) this.problems.push(`${path}\n    at 390 px the page is ${scroll} px wide: it scrolls sideways`);
  }

  /** The address the page is at, without the origin. */
  here() {
    const u = new URL(this.page.url());
    return u.pathname + u.search + u.hash;
  }

  async done() {
    await this.inspector?.context().close();
    expect(this.count).toBeGreaterThan(0);
    expect(this.problems, `${this.problems.length} problem(s) on ${this.count} pages:\n\n${this.problems.join('\n\n')}\n`).toEqual([]);
  }
}

/** The href of the first element `selector` matches, for pages reached through a link. */
async function href(page: Page, selector: string) {
  const h = await page.locator(selector).first().getAttribute('href');
  expect(h, `a link ${selector} on ${page.url()}`).toBeTruthy();
  return h!;
}

/** As a manager of the Chi cục (signed in): the dashboard's drill-down to team 3 and one
 * official there who holds certificates (their record, and one certificate number). */
async function teamThree(page: Page, info: TestInfo) {
  await open(page, info, '/coverage');
  const drill = await href(page, 'table.tree a:text-is("Đội Quản lý thị trường số 3")');
  await open(page, info, drill);
  const people = await page.locator('table.grid tbody a[href^="/people/"]').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href')!),
  );
  for (const person of people.slice(0, 15)) {
    await open(page, info, person);
    const verify = page.locator('a[href^="/verify/"]');
    if ((await verify.count()) > 0) {
      const number = (await verify.first().getAttribute('href'))!.replace('/verify/', '');
      return { drill, person, number };
    }
  }
  throw new Error('no official of team 3 in the first 15 holds a certificate');
}

test('the learner’s pages: courses, a lesson, the exam, results, certificate, transcript', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const pages = new Pages(page, info, browser);
  // A course no other spec takes, one per project (they share the database).
  const course = jsOn(info) ? 'e-to-chuc-luc-luong-qltt' : 'c-bao-ve-nguoi-tieu-dung';
  await signIn(page, info, 'hocvien');
  await expect(page).toHaveURL('/learn');
  await pages.check('/learn');
  await pages.check(`/courses/${course}`);
  await pages.check(`/courses/${course}/lessons/1`);
  // A knowledge check answered: the feedback under the question.
  const kc = page.locator('.kc-box').first();
  await kc.locator('input:not([type="hidden"]), select').first().click();
  await kc.getByRole('button', { name: 'Kiểm tra đáp án' }).click();
  await expect(page.locator('.kc-box [role="status"]').first()).toBeVisible();
  await pages.check(pages.here());
  // Every lesson read (the same form posts the page sends): the exam opens.
  for (let n = 1; n <= 20; n++) {
    const res = await page.request.post(`/courses/${course}/lessons/${n}/read`, { maxRedirects: 0 });
    expect(res.status(), `marking lesson ${n} read`).toBeLessThan(400);
    if ((res.headers()['location'] ?? '').endsWith('?read=all')) break;
  }
  await pages.check(`/courses/${course}?read=all`);

  const exam = `/courses/${course}/exam`;
  await pages.check(exam);
  const start = page.getByRole('button', { name: 'Bắt đầu làm bài' });
  if ((await start.count()) > 0) {
    const key = answerKey(course);
    // The open attempt: every question as form controls.
    await start.click();
    await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
    await pages.check(exam);
    // Submitted blank: asked first, the answers kept.
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await expect(page).toHaveURL(/\?unanswered=\d+/);
    await pages.check(pages.here());
    // Failed, then passed.
    await answerAll(page, key, false);
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await expect(page).toHaveURL(/\/exam\/attempts\/\d+$/);
    await pages.check(pages.here());
    await open(page, info, exam);
    await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
    await expect(page.getByRole('button', { name: 'Nộp bài' })).toBeVisible();
    await answerAll(page, key, true);
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await expect(page).toHaveURL(/\/exam\/attempts\/\d+$/);
    await expect(page.locator('.score')).toHaveText('100%');
    await pages.check(pages.here());
    // The exam page once passed: the attempts so far, no start button.
    await pages.check(exam);
  }
  const certificate = await href(page, 'a[href^="/certificates/"]');
  await pages.check(certificate);
  const verify = new URL(await href(page, 'a.verify-link'), page.url());
  await pages.check(verify.pathname + verify.search);
  await pages.check('/transcript');
  await pages.check('/classes');
  await pages.check('/notices');
  // Pages that are not theirs: said plainly.
  await pages.check('/coverage');
  await pages.check('/khong-co-trang-nay');
  await pages.done();
});

test('the trainer’s pages: the course library, a course, a lesson, the exam, the question bank', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const pages = new Pages(page, info, browser);
  await signIn(page, info, 'giangvien');
  await expect(page).toHaveURL('/content');
  await pages.check('/content');
  await pages.check('/learn');
  await pages.check('/courses/b-hang-gia-che-tai');
  await pages.check('/courses/b-hang-gia-che-tai/lessons/2');
  await pages.check('/courses/b-hang-gia-che-tai/exam');
  await pages.check('/courses/b-hang-gia-che-tai/questions');
  await pages.check('/classes');
  await pages.check('/classes/new');
  await pages.check('/notices');
  await pages.check('/verify');
  await pages.done();
});

test('the province manager’s pages: coverage, drill-down, report, records, targets, roster, rights', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const pages = new Pages(page, info, browser);
  await signIn(page, info, 'quanly');
  await expect(page).toHaveURL('/coverage');
  await pages.check('/coverage');
  const report = await href(page, 'a[href^="/coverage/report"]');
  const { drill, person, number } = await teamThree(page, info);
  await pages.check(drill);
  const exempt = await href(page, '.exempt-list a[href^="/people/"]');
  await pages.check(report);
  await pages.check(person);
  await pages.check(exempt);
  await pages.check(`/verify/${number}`);
  await pages.check(`/certificates/${number}`);
  await pages.check('/programs');
  const program = await href(page, 'table.grid a[href^="/programs/"]');
  await pages.check(program);
  await pages.check('/programs/new');
  // A draft sent back with problems: each beside its field and in a summary.
  await pages.check('/programs/new?check=1&code=&name=&threshold_percent=120&deadline=');
  await pages.check('/roster');
  await pages.check('/rights');
  await pages.check('/learn');
  await pages.check('/notices');
  await pages.done();
});

test('the team manager’s pages: their team, a record, a target set above them, a roster preview', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const pages = new Pages(page, info, browser);
  await signIn(page, info, 'quanly.doi1');
  await expect(page).toHaveURL('/coverage');
  await pages.check('/coverage');
  await open(page, info, await href(page, 'table.tree a'));
  await pages.check(pages.here());
  const person = await href(page, 'table.grid tbody a[href^="/people/"]');
  await pages.check(person);
  await pages.check('/programs');
  // The province's target: read-only to a team manager.
  await pages.check(await href(page, 'table.grid a[href^="/programs/"]'));
  await pages.check('/rights');
  await pages.check('/roster');
  // Roster previews (one joiner; one file with errors), each discarded: nothing is applied.
  const code = jsOn(info) ? 'GL97001' : 'GL97101';
  for (const [agency, duty, shows] of [
    ['GL-QLTT-D01', 'có', page.getByRole('button', { name: 'Xác nhận áp dụng các thay đổi' })],
    ['GL-QLTT-D99', 'có lẽ', page.getByRole('alert').filter({ hasText: 'Tệp có lỗi nên chưa áp dụng gì' })],
  ] as const) {
    await page.getByLabel('Tệp danh sách').setInputFiles({
      name: 'danh-sach.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`Mã cán bộ,Họ và tên,Mã đơn vị,Chức vụ,Nhiệm vụ thực thi\r\n${code},Lê Thị Thử,${agency},Kiểm soát viên thị trường,${duty}\r\n`),
    });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await expect(page).toHaveURL(/\/roster\?upload=\d+/);
    await expect(shows).toBeVisible();
    await pages.check(pages.here());
    await page.getByRole('button', { name: 'Hủy tệp này' }).click();
    await expect(page).toHaveURL(/discarded/);
  }
  await pages.check(pages.here());
  await pages.check('/learn');
  await pages.check('/notices');
  await pages.done();
});

test('the administrator’s pages: overview, coverage, targets, roster, content, rights', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const pages = new Pages(page, info, browser);
  await signIn(page, info, 'quantri');
  await expect(page).toHaveURL('/admin');
  await pages.check('/admin');
  await pages.check('/coverage');
  const report = await href(page, 'a[href^="/coverage/report"]');
  await open(page, info, await href(page, 'table.tree a:text-is("Phòng Cảnh sát kinh tế (PC03)")'));
  await pages.check(pages.here());
  await pages.check(await href(page, 'table.grid tbody a[href^="/people/"]'));
  await pages.check(report);
  await pages.check('/programs');
  await pages.check(await href(page, 'table.grid a[href^="/programs/"]'));
  await pages.check('/programs/new');
  await pages.check('/roster');
  await pages.check('/content');
  await pages.check(await href(page, '.course-card a[href^="/courses/"]'));
  await pages.check('/rights');
  await pages.check('/notices');
  await pages.done();
});

test('a visitor’s pages: sign-in, activation, verification, not found, in both languages', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const pages = new Pages(page, info, browser);
  // A genuine certificate and its signed link, as a manager finds them; then signed out.
  await signIn(page, info, 'quanly');
  await expect(page).toHaveURL('/coverage');
  const { number } = await teamThree(page, info);
  await open(page, info, `/certificates/${number}`);
  const signed = new URL(await href(page, 'a.verify-link'), page.url());
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await pages.check(pages.here());
  await pages.check('/sign-in');
  await pages.check('/sign-in?error=credentials');
  await pages.check('/activate');
  await pages.check('/activate?u=gl00001&error=code');
  await pages.check('/verify');
  await pages.check(`/verify/${number}`);
  await pages.check(signed.pathname + signed.search);
  await pages.check('/verify/GL-2026-AAAAA-BBBBB');
  await pages.check('/khong-co-trang-nay');
  // English: the language switch, then the same pages.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Tiếng Việt' })).toBeVisible();
  await pages.check('/sign-in?error=credentials');
  await pages.check('/activate');
  await pages.check(signed.pathname + signed.search);
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page.getByRole('link', { name: 'English' })).toBeVisible();
  await pages.done();
});

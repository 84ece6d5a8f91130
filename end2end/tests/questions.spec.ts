// The trainer's question bank with statistics: reached from the course library, every exam
// question with its figures and choices, downloadable for a Vietnamese-locale spreadsheet.
import { expect, test } from '@playwright/test';
import { open, signIn } from './helpers';
import * as fs from 'node:fs';

test('a trainer opens a course’s question bank with its statistics and downloads it', async ({ page }, info) => {
  await signIn(page, info, 'giangvien');
  await expect(page).toHaveURL('/content');
  const card = page.locator('article[data-course="b-hang-gia-che-tai"]');
  await card.getByRole('link', { name: 'Ngân hàng câu hỏi và thống kê' }).click();
  await expect(page).toHaveURL('/courses/b-hang-gia-che-tai/questions');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thống kê câu hỏi — Hàng giả: khái niệm pháp lý và chế tài xử phạt');
  await expect(page.locator('.lead')).toContainText('32 câu hỏi trong ngân hàng');
  const table = page.getByRole('table', { name: 'Thống kê câu hỏi' });
  await expect(table.locator('tbody tr')).toHaveCount(32);
  await expect(table.getByRole('columnheader', { name: 'Độ dễ' })).toBeVisible();
  // Each question says where to change it, and its choices open to show the key.
  const first = table.locator('tbody tr').first();
  await expect(first).toContainText('Sửa tại b-hang-gia-che-tai/exam.md:');
  await first.locator('summary', { hasText: 'Số lượt chọn từng phương án' }).click();
  await expect(first.locator('.choices-picked .tag.ok').first()).toHaveText('đáp án');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^thong-ke-cau-hoi-b-hang-gia-che-tai-\d{8}-vi\.csv$/);
  const file = info.outputPath('items.csv');
  await download.saveAs(file);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.startsWith('\ufeffMã câu hỏi;Nội dung;')).toBe(true);
  expect(text.trim().split(/\r?\n/).length).toBeGreaterThanOrEqual(33);

  // A learner is refused the page: it carries the key.
  await page.context().clearCookies();
  await signIn(page, info, 'hocvien');
  await open(page, info, '/courses/b-hang-gia-che-tai/questions');
  await expect(page.locator('table.question-stats')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn không có quyền xem trang này.');
});

test('a trainer previews a draw of the exam as a learner will see it, and no attempt starts', async ({ page }, info) => {
  await signIn(page, info, 'giangvien');
  await expect(page).toHaveURL('/content');
  await open(page, info, '/courses/b-hang-gia-che-tai/exam');
  await expect(page.locator('.exam-preview').getByRole('note')).toContainText('Xem trước dành cho giảng viên');
  await expect(page.locator('.exam-preview fieldset.question')).toHaveCount(10);
  await expect(page.getByRole('button', { name: 'Bắt đầu làm bài' })).toHaveCount(0);
  await expect(page.getByText('Số lượt đã dùng')).toHaveCount(0);
});

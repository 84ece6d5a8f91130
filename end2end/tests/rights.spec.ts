// Roles and scopes: the administrator grants an official the manager's right for a team with a
// reason, sees who holds what, and withdraws it with a reason; the official's next page already
// lacks the right. JavaScript on and off.
import { test, expect } from '@playwright/test';
import { jsOn, open, signIn } from './helpers';

test('the admin grants and withdraws a manager right with reasons, recorded on the rights page', async ({ page }, info) => {
  // Each project works on its own official and team: the server is shared.
  const official = jsOn(info) ? 'gl00002' : 'gl00003';
  const team = jsOn(info) ? 'Đội Quản lý thị trường số 3' : 'Đội Quản lý thị trường số 4';
  await signIn(page, info, 'quantri');
  await open(page, info, '/rights');
  await expect(page.getByRole('heading', { level: 1, name: 'Phân quyền' })).toBeVisible();
  await page.getByLabel('Tên đăng nhập (mã cán bộ)').fill(official);
  await page.getByLabel('Vai trò').selectOption('manager');
  // Options are indented by depth in the tree: pick the team's by its text.
  const agency = page.getByLabel('Đơn vị (với cán bộ quản lý)');
  const value = await agency.locator('option', { hasText: team }).getAttribute('value');
  await agency.selectOption(value!);
  await page.getByLabel('Lý do').first().fill('Quyết định phân công số 15/QĐ-CCQLTT');
  await page.getByRole('button', { name: 'Cấp quyền' }).click();
  await expect(page).toHaveURL(/\/rights\?done=granted/);
  await expect(page.getByRole('status')).toHaveText('Đã cấp quyền.');
  const row = page.getByRole('table', { name: 'Đang giữ quyền' }).getByRole('row', { name: new RegExp(official) });
  await expect(row).toContainText(team);
  await expect(row).toContainText('Quyết định phân công số 15/QĐ-CCQLTT');
  await expect(row).toContainText('Võ Thị Mai'); // who granted it, by name
  if (jsOn(info)) await page.screenshot({ path: info.outputPath('rights.png'), fullPage: true });

  // Withdrawn with a reason: it moves to the history, with who, when and why.
  await row.getByText('Thu hồi', { exact: true }).first().click();
  await row.getByLabel('Lý do').fill('Chuyển công tác');
  await row.getByRole('button', { name: 'Thu hồi' }).click();
  await expect(page).toHaveURL(/\/rights\?done=withdrawn/);
  await expect(page.getByRole('table', { name: 'Đang giữ quyền' })).not.toContainText(official);
  const old = page.getByRole('table', { name: 'Quyền đã thu hồi' }).getByRole('row', { name: new RegExp(official) });
  await expect(old).toContainText('Chuyển công tác');
  await expect(old).toContainText(team);
});

test('a team manager may grant only inside their team, and sees only its managers', async ({ page }, info) => {
  await signIn(page, info, 'quanly.doi1');
  await open(page, info, '/rights');
  // Only the manager role, only their team.
  await expect(page.getByLabel('Vai trò').locator('option')).toHaveText(['Cán bộ quản lý']);
  await expect(page.getByLabel('Đơn vị (với cán bộ quản lý)').locator('option')).toHaveText(['Đội Quản lý thị trường số 1']);
  const held = page.getByRole('table', { name: 'Đang giữ quyền' });
  await expect(held).toContainText('quanly.doi1');
  await expect(held).not.toContainText('quantri');
});

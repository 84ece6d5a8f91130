// Playwright runs every spec twice, in Debian's Chromium: once with JavaScript on (the hydrated
// app) and once with it off (plain HTML forms). The server is the real release binary on a fresh
// SQLite database seeded with the demo province.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = mkdtempSync(join(tmpdir(), 'taphuan-e2e-'));
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    locale: 'vi-VN',
    trace: 'off',
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true } },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `target/${process.env.E2E_PROFILE ?? "release"}/taphuan serve`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      TAPHUAN_ADDR: `127.0.0.1:${port}`,
      TAPHUAN_DATA_DIR: dataDir,
      LEPTOS_SITE_ROOT: 'target/site',
      RUST_LOG: 'warn',
      // Test only: no cooldown after a failed exam, so the journey can fail and retry at once.
      TAPHUAN_EXAM_COOLDOWN_OVERRIDE_MINUTES: '0',
    },
  },
});

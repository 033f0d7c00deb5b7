// Saves PNGs of the console's main screens, in zh-CN and en, at 1440x900, to
// docs/screenshots/NAME.LANG.png. Run through: tests/browser/run.sh VIGILD screenshots

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, PASSWORD, launch } from './lib.mjs';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
fs.mkdirSync(outDir, { recursive: true });

// name, user to sign in as (null = login screen), route, extra steps
const SCREENS = [
  { name: 'login', user: null },
  { name: 'overview', user: 'operator', route: '#/overview', ready: '[data-testid="status-breakdown"]' },
  { name: 'areas', user: 'operator', route: '#/areas', ready: '[data-testid="device-row"]' },
  { name: 'contacts', user: 'operator', route: '#/contacts', ready: '[data-testid="contact-row"]' },
  { name: 'residents', user: 'manager', route: '#/residents', ready: '[data-testid="resident-row"]',
    after: async (page) => {
      const btn = page.getByTestId('resident-reveal').nth(1);
      if (await btn.count()) { await btn.click(); await page.getByTestId('resident-revealed').first().waitFor(); }
    } },
  { name: 'users', user: 'admin', route: '#/users', ready: '[data-testid="user-row"]' },
  { name: 'audit', user: 'auditor', route: '#/audit', ready: '[data-testid="audit-row"]',
    after: async (page) => { await page.getByTestId('audit-verify').click(); await page.getByTestId('audit-verify-result').waitFor(); } },
];

async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading"]'), null, { timeout: 10000 }).catch(() => {});
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.waitForTimeout(300);
}

const browser = await launch();
let failed = 0;
try {
  for (const lang of ['zh-CN', 'en']) {
    for (const s of SCREENS) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang, deviceScaleFactor: 1 });
      await context.addInitScript((l) => localStorage.setItem('vigil.lang', l), lang);
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      try {
        if (s.user) {
          const res = await page.request.post(`${BASE}/api/v1/session`, { data: { username: s.user, password: PASSWORD } });
          if (!res.ok()) throw new Error(`login as ${s.user}: HTTP ${res.status()}`);
          await page.goto(`${BASE}/${s.route}`);
          await page.getByTestId('app-shell').waitFor();
          if (s.ready) await page.waitForSelector(s.ready);
          await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]', { timeout: 10000 }).catch(() => {});
        } else {
          await page.goto(`${BASE}/`);
          await page.getByTestId('login-form').waitFor();
        }
        if (s.after) await s.after(page);
        await settle(page);
        const file = path.join(outDir, `${s.name}.${lang}.png`);
        await page.screenshot({ path: file });
        console.log(`saved ${path.relative(process.cwd(), file)}`);
      } catch (e) {
        failed += 1;
        console.error(`screenshot ${s.name}.${lang} failed: ${e.message}`);
      } finally {
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

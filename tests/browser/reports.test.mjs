// 统计报表 Reports for superiors (R3.4.9). The manager opens the reports page:
// today's daily report with its key figures (the same numbers as the JSON API)
// and the sheet with the SVG charts vigild draws; switches to the weekly report;
// downloads CSV (UTF-8 with BOM) and JSON; opens the printable A4 page in a new
// tab; a date in the future is refused on the field; the archive says it is
// empty until the scheduler has stored a report; English one click away. The
// operator has no reports page (report.read).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openReports(page) {
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('page-reports').waitFor();
  await page.locator('[data-testid="report-sheet"] svg.chart').first().waitFor();
}

test('manager sees the daily report with figures and SVG charts, then the weekly one', async () => {
  const page = await newPage(browser);
  await login(page, 'manager');
  await openReports(page);
  const heading = page.getByTestId('report-heading');
  assert.equal(await heading.getAttribute('data-kind'), 'daily');
  const label = await heading.getAttribute('data-label');
  assert.match(label, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(await heading.textContent(), /日报/);
  // The figures are the API's.
  const api = await (await page.request.get(`${BASE}/api/v1/reports?kind=daily&date=${label}`)).json();
  assert.equal(await page.getByTestId('report-card-alarms').locator('.rp-card-value').textContent(), String(api.alarms.total));
  assert.equal(await page.getByTestId('report-card-incidents').locator('.rp-card-value').textContent(), String(api.incidents.total));
  // The sheet: the blocks of the report with inline SVG charts and no script.
  const sheet = page.getByTestId('report-sheet');
  assert.ok(await sheet.locator('svg.chart').count() >= 4);
  assert.equal(await sheet.locator('script').count(), 0);
  assert.match(await sheet.textContent(), /报警按类型/);
  assert.match(await sheet.textContent(), /响应时间/);
  await page.getByTestId('report-running').waitFor(); // today has not ended
  // Weekly.
  await page.getByTestId('report-kind').selectOption('weekly');
  await page.getByTestId('report-show').click();
  await page.waitForSelector('[data-testid="report-heading"][data-kind="weekly"]');
  assert.match(await heading.getAttribute('data-label'), /^\d{4}-W\d{2}$/);
  assert.match(await heading.textContent(), /周报/);
  assert.equal(await sheet.locator('svg.chart.columns').first().locator('rect.bar').count(), 7); // alarms per day
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('CSV and JSON downloads and the printable page', async () => {
  const page = await newPage(browser);
  await login(page, 'supervisor');
  await openReports(page);
  const csvHref = await page.getByTestId('report-csv').getAttribute('href');
  assert.match(csvHref, /format=csv/);
  const csv = await page.request.get(`${BASE}${csvHref}`);
  assert.equal(csv.status(), 200);
  const bytes = await csv.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(bytes.toString('utf8'), /报告信息\r\n项目,数值\r\n/);
  assert.match(await page.getByTestId('report-csv').getAttribute('download'), /^vigil-daily-\d{4}-\d{2}-\d{2}\.csv$/);
  const json = await page.request.get(`${BASE}${await page.getByTestId('report-json').getAttribute('href')}`);
  assert.equal((await json.json()).kind, 'daily');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('report-print').click()]);
  await popup.waitForLoadState();
  assert.equal(await popup.getAttribute('html', 'lang'), 'zh-CN');
  assert.ok(await popup.locator('svg.chart').count() >= 4);
  assert.match(await popup.locator('h1').textContent(), /监控中心日报/);
  assert.match(await popup.locator('footer.signatures').textContent(), /审核人/);
  // The print stylesheet loads under the daemon's Content-Security-Policy (A4 page).
  assert.equal(await popup.evaluate(() => getComputedStyle(document.querySelector('table')).borderCollapse), 'collapse');
  await page.context().close();
});

test('a future date is refused on the field; the archive is empty before the first scheduled report', async () => {
  const page = await newPage(browser);
  await login(page, 'manager');
  await openReports(page);
  await page.getByTestId('report-archive').getByTestId('empty-state').waitFor();
  await page.getByTestId('report-date').fill('2099-01-01');
  const res = page.waitForResponse((r) => r.url().includes('/api/v1/reports?') && r.url().includes('2099-01-01') && !r.url().includes('format='));
  await page.getByTestId('report-show').click();
  assert.equal((await res).status(), 400);
  await page.getByTestId('error-banner').waitFor();
  assert.match(await page.getByTestId('report-date-error').textContent(), /查询参数无效/);
  await page.context().close();
});

test('English, and no reports page for the operator', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await login(page, 'auditor');
  await openReports(page);
  assert.match(await page.getByTestId('report-heading').textContent(), /Daily report/);
  assert.match(await page.getByTestId('report-sheet').textContent(), /Alarms by type/);
  assert.match(await page.getByTestId('report-print').getAttribute('href'), /lang=en/);
  await page.context().close();
  const op = await newPage(browser);
  await login(op, 'operator');
  assert.equal(await op.getByTestId('nav-reports').count(), 0);
  await op.goto(`${BASE}/#/reports`);
  await op.getByTestId('page-unavailable').waitFor();
  await op.context().close();
});

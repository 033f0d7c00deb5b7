// 检查计划 and 报修单 on a tablet (1024×768), and the checks calendar's month in
// the site's time zone. At tablet width each ticket row keeps its report time
// and downtime (on a second line) and each due check keeps its due time, with
// the Fill button beside the sheet's name, not on a row of its own. The
// calendar's month bounds are the site's local midnights for any configured
// zone (the browser here runs in UTC, the demo site in Asia/Shanghai). The top
// bar keeps its logout button on screen whatever the live stream's state.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function tablet(hash) {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, 'operator', undefined, hash);
  return page;
}

function inside(box, width) { return box && box.width > 0 && box.x >= 0 && box.x + box.width <= width; }

test('ticket rows keep their report time and downtime at 1024 px', async () => {
  const page = await tablet('#/tickets');
  const row = page.getByTestId('ticket-row').first();
  await row.waitFor();
  for (const id of ['tk-when', 'tk-down']) {
    const el = row.getByTestId(id);
    assert.ok(await el.isVisible(), `${id} hidden`);
    assert.ok(inside(await el.boundingBox(), 1024), `${id} off screen`);
  }
  assert.match(await row.getByTestId('tk-when').innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('due checks show their due time and the Fill button beside the name at 1024 px', async () => {
  const page = await tablet('#/checks');
  await page.getByTestId('ck-task').first().waitFor();
  const tasks = await page.getByTestId('ck-task').all();
  assert.ok(tasks.length >= 3);
  for (const task of tasks) {
    const due = task.locator('.ck-task-due');
    assert.ok(await due.isVisible(), 'due time hidden');
    const name = await task.locator('.ck-task-name').boundingBox();
    const fill = task.locator('a.btn');
    if (await fill.count()) {
      const b = await fill.boundingBox();
      assert.ok(inside(b, 1024), 'Fill off screen');
      assert.ok(b.y < name.y + name.height && name.y < b.y + b.height, 'Fill is not beside the name');
      assert.ok(b.x > name.x + name.width, 'Fill is not to the right of the name');
    }
  }
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the calendar month is the site time zone\'s month, whatever the zone', async () => {
  const page = await tablet('#/checks');
  await page.getByTestId('ck-month').waitFor();
  const got = await page.evaluate(async () => {
    const ui = await import('/js/ui.js');
    const ck = await import('/js/pages/checks.js');
    const at = (zone, offset, iso) => {
      ui.setTimeZone(zone);
      const b = ck.monthBounds(offset, new Date(iso));
      return [b.label, b.from.toISOString(), b.to.toISOString()];
    };
    const out = {
      // 2026-03-01 03:00 UTC is 11:00 on 1 March in Shanghai but 22:00 on 28 February in New York.
      shanghai: at('Asia/Shanghai', 0, '2026-03-01T03:00:00Z'),
      newYork: at('America/New_York', 0, '2026-03-01T03:00:00Z'),
      // The month before April 2026 in London: summer time starts on 29 March.
      london: at('Europe/London', -1, '2026-04-15T12:00:00Z'),
      // Across a year: the month after December.
      next: at('Asia/Shanghai', 1, '2026-12-31T15:59:59Z'),
    };
    ui.setTimeZone('Asia/Shanghai');
    out.label = document.querySelector('[data-testid="ck-month"]').textContent;
    out.site = ui.siteDate().slice(0, 7);
    return out;
  });
  assert.deepEqual(got.shanghai, ['2026-03', '2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z']);
  assert.deepEqual(got.newYork, ['2026-02', '2026-02-01T05:00:00.000Z', '2026-03-01T05:00:00.000Z']);
  assert.deepEqual(got.london, ['2026-03', '2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z']);
  assert.deepEqual(got.next, ['2027-01', '2026-12-31T16:00:00.000Z', '2027-01-31T16:00:00.000Z']);
  assert.equal(got.label, got.site);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the logout button stays on a 1024 px screen while the live stream connects (manager, en)', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.route('**/api/v1/stream', () => {}); // held: the indicator stays "Connecting"
  await login(page, 'manager', undefined, '#/tickets');
  await page.getByTestId('ticket-row').first().waitFor();
  assert.equal(await page.getByTestId('live-indicator').getAttribute('data-state'), 'connecting');
  const b = await page.getByTestId('logout').boundingBox();
  assert.ok(b.x + b.width <= 1024, `logout button ends at ${b.x + b.width}px`);
  assert.equal(await page.getByTestId('live-indicator').getAttribute('title'), 'Connecting to the live event stream…');
  await page.context().close();
});

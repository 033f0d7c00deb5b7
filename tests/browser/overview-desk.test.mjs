// 总览 Overview: the duty desk's strip (issue 4: coverage gaps "shown on the
// dashboard", open control-room entries "show on the dashboard"): the gaps
// over the next 14 days and the visitors still in the room, as the API counts
// them, each linking to its page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login, token, apiCall } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the overview shows the coverage gaps and the visitors in the control room', async () => {
  const tok = await token('operator');
  const entry = await apiCall(tok, 'POST', 'room-entries', { name: '李工', organisation: '消防维保公司', purpose: '检查主机', authorised_by: 'supervisor' });
  const open = (await apiCall(tok, 'GET', 'room-entries?open=1&limit=1')).total;
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, 'operator', PASSWORD, '#/overview');
  const room = page.getByTestId('stat-room');
  await page.waitForSelector('[data-testid="stat-room"][data-open]');
  assert.equal(Number(await room.getAttribute('data-open')), open);
  assert.ok(open >= 1);
  const cov = page.getByTestId('stat-coverage');
  await page.waitForSelector('[data-testid="stat-coverage"][data-gaps]');
  const gaps = Number(await cov.getAttribute('data-gaps'));
  const shown = Number(await cov.locator('.stat-value').innerText());
  assert.equal(shown, gaps);
  assert.match(await cov.innerText(), /未来 14 天值守缺口/);
  assert.equal(await cov.getAttribute('href'), '#/roster');
  await room.click();
  await page.waitForFunction(() => location.hash === '#/room-entries');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
  await apiCall(tok, 'POST', `room-entries/${entry.id}/out`);
  // Recording requests awaiting the manager (the demo has one): marked for the manager only.
  const pending = (await apiCall(tok, 'GET', 'recordings?state=requested&limit=1')).total;
  assert.ok(pending >= 1);
  for (const [user, hot] of [['operator', false], ['manager', true]]) {
    const p = await newPage(browser);
    await login(p, user, PASSWORD, '#/overview');
    await p.waitForSelector('[data-testid="stat-recordings"][data-pending]');
    const tile = p.getByTestId('stat-recordings');
    assert.equal(Number(await tile.getAttribute('data-pending')), pending);
    assert.match(await tile.innerText(), /录像调阅\/外借待经理审批/);
    assert.equal((await tile.getAttribute('class')).includes('stat-alert'), hot, user);
    assert.equal(await tile.getAttribute('href'), '#/recordings');
    assert.deepEqual(p.jsErrors, []);
    await p.context().close();
  }
  // The guard (neither duty.read nor register.read) has no strip.
  const guard = await newPage(browser);
  await login(guard, 'guard', PASSWORD, '#/overview');
  await guard.getByTestId('overview-stats').waitFor();
  assert.equal(await guard.getByTestId('overview-desk').count(), 0);
  await guard.context().close();
});

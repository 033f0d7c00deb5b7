// 报修单 refusals said in the console's language: whoever recorded a repair
// cannot verify it (409 /problems/same-person), and a user assignee's repair is
// recorded only by them or a supervisor (403 /problems/not-assignee; the page
// says so instead of offering the form).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login, token, apiCall } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A site-wide ticket assigned to the engineer.
async function assignedTicket(title) {
  const op = await token('operator');
  const tk = await apiCall(op, 'POST', 'tickets', { title });
  await apiCall(op, 'POST', `tickets/${tk.id}/assign`, { assignee_kind: 'engineer', assignee: 'engineer' });
  return tk.id;
}

async function pageAs(user, lang, hash) {
  const page = await newPage(browser, { lang });
  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, user, PASSWORD, hash);
  return page;
}

test('the repairer trying to verify is told why, in Chinese and in English', async () => {
  const id = await assignedTicket(`监控室对讲分机杂音 ${Date.now() % 100000}`);
  await apiCall(await token('supervisor'), 'POST', `tickets/${id}/repair`, { result: 'repaired', note: '更换对讲分机' });
  for (const [lang, want] of [['zh-CN', /维修由您登记，不能由您本人验收/], ['en', /You recorded this repair, so you cannot verify it/]]) {
    const page = await pageAs('supervisor', lang, `#/tickets/${id}`);
    await page.getByTestId('tk-verify').click();
    const err = page.getByTestId('tk-verify-error');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.innerText(), want);
    assert.equal(await page.getByTestId('tk-facts').getByTestId('tk-state').getAttribute('data-state'), 'repaired');
    assert.deepEqual(page.jsErrors, []);
    await page.context().close();
  }
});

test('a ticket assigned to the engineer: the elevator technician is told who records the repair', async () => {
  const id = await assignedTicket(`电梯井道线缆松动 ${Date.now() % 100000}`);
  const page = await pageAs('elevator_tech', 'en', `#/tickets/${id}`);
  const note = page.getByTestId('tk-repair-not-yours');
  await note.waitFor();
  assert.match(await note.innerText(), /assigned to engineer; only the assignee or a supervisor/);
  assert.equal(await page.getByTestId('tk-repair').count(), 0);
  await page.context().close();
  const eng = await pageAs('engineer', 'zh-CN', `#/tickets/${id}`);
  await eng.getByTestId('tk-repair').waitFor();
  assert.equal(await eng.getByTestId('tk-repair-not-yours').count(), 0);
  await eng.context().close();
});

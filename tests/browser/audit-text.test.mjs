// 审计 Audit trail summaries in the console's language: the daemon writes each
// record's summary in English (src/app/*.c audit_append) and signs it; the page
// says the known shapes in Chinese (or English with the switch) and keeps the
// stored text on the cell (title, data-stored). Real records are made first: the
// operator signs in, writes a duty-log entry, registers a control-room visitor
// and records their leaving, records a non-emergency alarm-line use, acknowledges
// an incident opened by a real DC-09 alarm and signs out; a wrong password; the
// admin creates a user and disables it. The auditor then reads them on 审计.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, sendDc09, dc09Body } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const made = {}; // what the first test recorded: ids and usernames

async function ok(res, what) {
  assert.ok(res.ok(), `${what}: HTTP ${res.status()} ${await res.text()}`);
  return res.json();
}

test('records are made through the UI and the API', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  const api = page.request;

  made.duty = (await ok(await api.post(`${BASE}/api/v1/duty-log`, { data: { category: 'routine', text: `巡视监控中心，一切正常 ${stamp}` } }), 'duty-log')).id;
  made.entry = (await ok(await api.post(`${BASE}/api/v1/room-entries`, { data: {
    name: `审计测试 访客 ${stamp}`, organisation: '安泰消防工程公司', purpose: `检修消防报警主机 ${stamp}`, authorised_by: 'supervisor' } }), 'room-entries')).id;
  await ok(await api.post(`${BASE}/api/v1/room-entries/${made.entry}/out`), 'room-entries out');
  made.line = (await ok(await api.post(`${BASE}/api/v1/line-uses`, { data: {
    line: 'alarm_line', direction: 'out', caller: '值班员', number: '88886666', reason: `联系物业工程部 ${stamp}`, emergency: false } }), 'line-uses')).id;

  // A real DC-09 alarm opens an incident (by the system); the operator acknowledges it.
  const account = `7${stamp.slice(-3).padStart(3, '0')}`;
  const { reply } = await sendDc09(dc09Body({ seq: 11, account, code: 'FA', zone: '004' }));
  assert.match(reply, /"ACK"/);
  let inc = null;
  for (let i = 0; i < 50 && !inc; i++) {
    inc = (await ok(await api.get(`${BASE}/api/v1/incidents?open=1&limit=100`), 'incidents')).items.find((x) => x.account === account);
    if (!inc) await page.waitForTimeout(100);
  }
  assert.ok(inc, `an incident for account ${account}`);
  made.incident = inc.id;
  await ok(await api.post(`${BASE}/api/v1/incidents/${inc.id}/transition`, { data: { to: 'acknowledged' } }), 'transition');

  // Sign out through the top bar.
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // A wrong password for a throw-away username.
  made.stranger = `nobody${stamp}`;
  const bad = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: made.stranger, password: 'wrong-password' }) });
  await bad.arrayBuffer();
  assert.equal(bad.status, 401);

  // The admin creates a guard and disables them.
  const adm = await newPage(browser);
  await login(adm, 'admin');
  made.user = `auditguard${stamp}`;
  const u = await ok(await adm.request.post(`${BASE}/api/v1/users`, { data: { username: made.user, display_name: '审计测试保安', role: 'guard', password: 'a-long-password-123' } }), 'users');
  made.userId = u.id;
  await ok(await adm.request.patch(`${BASE}/api/v1/users/${u.id}`, { data: { disabled: true } }), 'user disable');
  assert.deepEqual(adm.jsErrors, []);
  await adm.context().close();
});

// The audit page filtered to one action; the row of one object.
async function auditRow(page, action, object) {
  await page.goto(`${BASE}/#/audit?action=${encodeURIComponent(action)}&limit=100`);
  await page.getByTestId('page-audit').waitFor();
  const row = page.locator(`[data-testid="audit-row"][data-action="${action}"]`, { has: page.locator('code', { hasText: new RegExp(`^${object.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await row.first().waitFor();
  return row.first();
}

// Each record: its action, object, the text stored by the daemon and what the page says.
function expectations() {
  return [
    { action: 'auth.login', object: 'user:', stored: 'signed in', zh: '已登录', en: 'Signed in', actor: 'operator' },
    { action: 'auth.logout', object: 'user:', stored: 'signed out', zh: '已退出登录', en: 'Signed out', actor: 'operator' },
    { action: 'auth.login_failed', object: `username:${made.stranger}`, stored: 'failed sign-in 1', zh: '登录失败（连续第 1 次）', en: 'Failed sign-in (1 in a row)' },
    { action: 'duty.add', object: `duty_log:${made.duty}`, stored: 'routine entry', zh: '日常记录', en: 'Routine entry' },
    { action: 'room_entry.in', object: `room_entry:${made.entry}`, stored: 'visitor registered, authorised by supervisor',
      zh: '来访人员已登记，批准人：supervisor', en: 'Visitor registered, authorised by supervisor' },
    { action: 'room_entry.out', object: `room_entry:${made.entry}`, stored: 'visitor left the centre', zh: '来访人员已离开监控中心', en: 'Visitor left the centre' },
    { action: 'line_use.add', object: `line_use:${made.line}`, stored: 'alarm_line out use recorded (not an emergency: flagged)',
      zh: '报警专线呼出使用已登记（非紧急使用，已标记待审阅）', en: 'Alarm line (Outgoing) use recorded (not an emergency: flagged for review)' },
    { action: 'incident.open', object: `incident:${made.incident}`, stored: /^fire SIA-DCS FA zone 004 \(priority 1\)(, unmapped)?$/,
      zh: /^火警 · SIA-DCS FA · 防区 004（P1）( · 未映射)?$/, en: /^Fire alarm · SIA-DCS FA · Zone 004 \(P1\)( · Unmapped)?$/ },
    { action: 'incident.transition', object: `incident:${made.incident}`, stored: 'new -> acknowledged', zh: '待接警 → 已确认接警', en: 'New → Acknowledged' },
    { action: 'user.create', object: `user:${made.userId}`, stored: `created ${made.user} with role guard`,
      zh: `已新建用户 ${made.user}，角色：保安员`, en: `Created ${made.user} with role Guard` },
    { action: 'user.update', object: `user:${made.userId}`, stored: `updated ${made.user}: disabled`,
      zh: `已修改用户 ${made.user}：停用`, en: `Updated ${made.user}: disabled` },
  ];
}

const same = (got, want, what) => (want instanceof RegExp ? assert.match(got, want, what) : assert.equal(got, want, what));

async function checkRows(page, lang) {
  for (const e of expectations()) {
    let row;
    if (e.object === 'user:') {
      // The operator's own sign-in / sign-out: the newest by that actor.
      await page.goto(`${BASE}/#/audit?action=${e.action}&actor=${e.actor}`);
      await page.getByTestId('page-audit').waitFor();
      row = page.locator(`[data-testid="audit-row"][data-action="${e.action}"]`).first();
      await row.waitFor();
    } else {
      row = await auditRow(page, e.action, e.object);
    }
    const cell = row.getByTestId('audit-summary');
    const text = (await cell.textContent()).trim();
    const stored = await cell.getAttribute('title');
    same(text, lang === 'en' ? e.en : e.zh, `${lang} ${e.action}`);
    same(stored, e.stored, `stored ${e.action}`);
    assert.equal(await cell.getAttribute('data-stored'), stored);
    assert.equal(await cell.getAttribute('data-translated'), 'true', e.action);
    if (lang === 'zh-CN') assert.match(text, /[\u4e00-\u9fff]/, `${e.action} is said in Chinese: ${text}`);
    else assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `${e.action} is said in English: ${text}`);
  }
}

test('the auditor reads the summaries in Chinese, the stored text on the cell', async () => {
  assert.ok(made.duty && made.entry && made.line && made.incident && made.userId, 'needs the records of the first test');
  const page = await newPage(browser);
  await login(page, 'auditor');
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('page-audit').waitFor();
  await page.getByTestId('audit-row').first().waitFor();
  // Every summary on the first page is a cell with its stored text as the title.
  const cells = page.getByTestId('audit-summary');
  const n = await cells.count();
  assert.ok(n >= 1);
  for (let i = 0; i < n; i++) {
    const c = cells.nth(i);
    assert.ok((await c.getAttribute('title')).length > 0);
    if ((await c.getAttribute('data-translated')) === 'false') assert.equal((await c.textContent()).trim(), await c.getAttribute('title'), 'an unknown shape is shown as written');
  }
  await checkRows(page, 'zh-CN');
  // The chain still verifies: nothing was changed, only said differently.
  await page.getByTestId('audit-verify').click();
  await page.getByTestId('audit-verify-result').waitFor();
  assert.equal(await page.getByTestId('audit-verify-result').getAttribute('data-ok'), 'true');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('with the language switch the summaries are in English', async () => {
  const page = await newPage(browser);
  await login(page, 'auditor');
  await page.getByTestId('nav-audit').click();
  const row = await auditRow(page, 'duty.add', `duty_log:${made.duty}`);
  assert.equal((await row.getByTestId('audit-summary').textContent()).trim(), '日常记录');
  const id = await row.getAttribute('data-id');
  await page.getByTestId('lang-en').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const again = page.locator(`[data-testid="audit-row"][data-action="duty.add"][data-id="${id}"]`);
  await again.getByTestId('audit-summary').filter({ hasText: 'Routine entry' }).waitFor();
  await checkRows(page, 'en');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

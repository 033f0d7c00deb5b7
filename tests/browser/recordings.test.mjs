// 录像调阅/外借登记 The recording access register (R3.4.3, R3.4.2). The operator
// registers a police station's request to borrow the last hour of the garage's
// footage (the period is entered in site time and sent as UTC); the manager, in
// a second browser, sees it waiting for them, shows the requester's full ID
// number and phone (masked for everyone else; the API refuses the operator)
// and approves it; the operator's page follows live and records the lend
// (medium, copy number, due back); the lend is on the handover's 外借未还录像
// list; the operator records the return → closed, off the open list and the
// handover. A view request refused by the manager needs a note (said on the
// page, nothing sent; the API says 400); the guard has no page (403 from the
// API), the auditor only reads; footage from 9 days ago was overwritten: the
// form says so and from when footage is still kept.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
let tz = 'Asia/Shanghai';
before(async () => {
  browser = await launch();
  const p = await newPage(browser);
  await login(p, 'operator');
  const site = await (await p.request.get(`${BASE}/api/v1/site`)).json();
  if (site && site.timezone) tz = site.timezone;
  await p.context().close();
});
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const OFFICER = `李警官${stamp}`;
const ORG = '城关派出所';
const ID_NO = '110101199001011234';
const PHONE = '13812345678';
const PURPOSE = `调查地库 B1 车辆剐蹭案件 ${stamp}`;
const CAMERAS = 'B1 入口、B1-12 车位';
const HOUR = 3600 * 1000;

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

async function open(page, id) {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
}

// Site wall-clock parts of an instant: "YYYY-MM-DDTHH:mm" (a datetime-local value).
function siteLocal(ms) {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms))) p[x.type] = x.value;
  return { input: `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`, full: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`,
    ymd: `${p.year}-${p.month}-${p.day}` };
}

const rowOf = (page, id) => page.locator(`[data-testid="rc-row"][data-id="${id}"]`);
const isPost = (path) => (r) => r.request().method() === 'POST' && r.url().endsWith(path);

test('a police lend: registered by the operator, approved by the manager, lent, on the handover, returned', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  // In the 值班 section, after the registers.
  const navs = await op.locator('.nav-section', { has: op.getByTestId('nav-duty-log') }).locator('.nav-item').evaluateAll((a) => a.map((x) => x.dataset.page));
  assert.ok(navs.includes('recordings'), navs.join(','));
  assert.equal((await op.getByTestId('nav-recordings').textContent()).trim(), '录像调阅');
  await open(op, 'recordings');
  await live(op);
  assert.equal(await op.getByTestId('page-title').textContent(), '录像调阅与外借登记');
  await op.waitForSelector('[data-testid="rc-tab-open"][data-n]');
  assert.equal(await op.getByTestId('rc-tab-open').getAttribute('aria-selected'), 'true');
  assert.match(await op.getByTestId('rc-rule').textContent(), /管理处经理同意/);

  // Required fields first: nothing is sent.
  let posted = 0;
  op.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/recordings')) posted += 1; });
  await op.getByTestId('rc-form-submit').click();
  for (const f of ['requester_name', 'purpose', 'cameras']) await op.getByTestId(`rc-form-error-${f}`).waitFor();
  assert.equal(await op.getByTestId('rc-form-error-requester_org').isVisible(), false);
  assert.equal(posted, 0);

  // A police station borrows the garage's last hour.
  await op.getByTestId('rc-form-kind-lend').click();
  assert.equal(await op.getByTestId('rc-form-kind-lend').getAttribute('aria-checked'), 'true');
  await op.getByTestId('rc-form-requester_name').fill(OFFICER);
  await op.getByTestId('rc-form-requester_org').fill(ORG);
  await op.getByTestId('rc-form-requester_id').fill(ID_NO);
  await op.getByTestId('rc-form-phone').fill(PHONE);
  await op.getByTestId('rc-form-purpose').fill(PURPOSE);
  await op.getByTestId('rc-form-area').selectOption({ label: '地下车库B1' });
  await op.getByTestId('rc-form-cameras').fill(CAMERAS);
  await op.getByTestId('rc-form-last-1').click();
  assert.match(await op.getByTestId('rc-form-span').textContent(), /1小时0分/);
  const created = op.waitForResponse(isPost('/api/v1/recordings'));
  await op.getByTestId('rc-form-submit').click();
  const res = await created;
  assert.equal(res.status(), 201);
  const sent = res.request().postDataJSON();
  const rec = await res.json();
  // The period typed in site time went out as UTC instants one hour apart, ending now.
  assert.match(sent.from, /Z$/);
  assert.equal(Date.parse(sent.to) - Date.parse(sent.from), HOUR);
  assert.ok(Math.abs(Date.now() - Date.parse(sent.to)) < 2 * 60 * 1000, sent.to);
  assert.equal(sent.kind, 'lend');
  assert.equal(typeof sent.area_id, 'number');
  assert.equal(rec.state, 'requested');
  assert.equal(rec.area, '地下车库B1');
  assert.equal(rec.requester_id_masked, '1101**********1234');
  assert.ok(rec.phone_masked && !rec.phone_masked.includes(PHONE), rec.phone_masked);
  assert.equal(rec.requester_id, undefined);

  // On the open list: waiting for the manager, with when the footage goes.
  const row = rowOf(op, rec.id);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'requested');
  assert.match(await row.getByTestId('rc-state').textContent(), /待审批/);
  assert.match(await row.getByTestId('rc-wait').textContent(), /等待管理处经理审批/);
  const exp = row.getByTestId('rc-expiry');
  assert.equal(await exp.getAttribute('data-level'), 'ok');
  assert.match(await exp.textContent(), /^录像将于 \d\d-\d\d 01:00 覆盖$/);
  assert.match(await row.getByTestId('rc-org').textContent(), new RegExp(ORG));
  // The form is empty again.
  assert.equal(await op.getByTestId('rc-form-requester_name').inputValue(), '');

  // The operator's view of it: masked contact data, no 显示, who must act.
  await row.getByTestId('rc-row-link').click();
  await op.getByTestId('page-recording').waitFor();
  assert.equal(await op.getByTestId('page-title').textContent(), `录像外借 #${rec.id}`);
  assert.match(await op.getByTestId('rc-next').textContent(), /等待管理处经理审批/);
  assert.equal(await op.getByTestId('rc-requester-id').textContent(), '1101**********1234');
  assert.equal(await op.getByTestId('rc-reveal').count(), 0);
  assert.equal(await op.getByTestId('rc-approve').count(), 0);
  assert.equal(await op.getByTestId('rc-step-decide').getByTestId('rc-waiting').count(), 1);
  assert.equal(await op.getByTestId('rc-cancel').isVisible(), true);
  assert.equal((await op.request.get(`${BASE}/api/v1/recordings/${rec.id}/contact`)).status(), 403);
  const opDecide = await op.request.post(`${BASE}/api/v1/recordings/${rec.id}/decide`, { data: { approve: true } });
  assert.equal(opDecide.status(), 403);

  // The manager, in a second browser: waiting for them; the contact in full; approve.
  const mgr = await newPage(browser);
  await login(mgr, 'manager');
  await open(mgr, 'recordings');
  await live(mgr);
  await rowOf(mgr, rec.id).waitFor();
  const pendingYou = mgr.getByTestId('rc-attn-pending');
  assert.ok(Number(await pendingYou.getAttribute('data-n')) >= 1);
  assert.match(await pendingYou.textContent(), /待您审批/);
  assert.equal(await pendingYou.evaluate((e) => e.classList.contains('alert')), true);
  assert.equal(await mgr.getByTestId('rc-form').count(), 0);
  assert.equal(await mgr.getByTestId('rc-readonly').isVisible(), true);
  await rowOf(mgr, rec.id).getByTestId('rc-row-link').click();
  await mgr.getByTestId('page-recording').waitFor();
  assert.match(await mgr.getByTestId('rc-next').textContent(), /请您审批/);
  assert.equal(await mgr.getByTestId('rc-requester-id').textContent(), '1101**********1234');
  const revealed = mgr.waitForResponse((r) => r.url().endsWith(`/api/v1/recordings/${rec.id}/contact`));
  await mgr.getByTestId('rc-reveal').click();
  assert.equal((await revealed).status(), 200);
  await mgr.waitForSelector('[data-testid="rc-contact-panel"][data-revealed="true"]');
  assert.equal(await mgr.getByTestId('rc-requester-id').textContent(), ID_NO);
  assert.equal(await mgr.getByTestId('rc-phone').textContent(), PHONE);
  assert.match(await mgr.getByTestId('rc-pii-note').textContent(), /审计/);
  await mgr.getByTestId('rc-hide').click();
  assert.equal(await mgr.getByTestId('rc-requester-id').textContent(), '1101**********1234');
  // Duty staff only for the lend itself: the manager has no lend form.
  assert.equal(await mgr.getByTestId('rc-cancel').count(), 0);
  await mgr.getByTestId('rc-decide-note').fill('同意，核验警官证后拷贝');
  const approved = mgr.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/decide`));
  await mgr.getByTestId('rc-approve').click();
  const ar = await approved;
  assert.equal(ar.status(), 200);
  assert.deepEqual(ar.request().postDataJSON(), { approve: true, note: '同意，核验警官证后拷贝' });
  await mgr.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="approved"]');
  assert.match(await mgr.getByTestId('rc-decision').textContent(), /manager.*已批准/);
  // Now the duty staff must act: the manager sees who.
  assert.match(await mgr.getByTestId('rc-step-lend').getByTestId('rc-waiting').textContent(), /等待值班人员拷贝外借/);

  // The operator's page follows live: the lend form.
  await op.getByTestId('rc-lend-form').waitFor();
  assert.equal(await op.getByTestId('rc-step-decide').getAttribute('data-status'), 'done');
  assert.match(await op.getByTestId('rc-decision-note').textContent(), /核验警官证/);
  // The copy number is required; nothing is sent without it.
  await op.getByTestId('rc-lend-submit').click();
  await op.getByTestId('rc-lend-error').waitFor();
  assert.match(await op.getByTestId('rc-lend-error').textContent(), /介质编号/);
  const due = siteLocal(Date.now() + 2 * 24 * HOUR);
  const dueInput = `${due.ymd}T18:00`;
  await op.getByTestId('rc-lend-medium-usb').click();
  await op.getByTestId('rc-lend-ref').fill('U-07');
  await op.getByTestId('rc-lend-due').fill(dueInput);
  const lent = op.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/lend`));
  await op.getByTestId('rc-lend-submit').click();
  const lr = await lent;
  assert.equal(lr.status(), 200);
  const lendBody = lr.request().postDataJSON();
  assert.equal(lendBody.medium, 'usb');
  assert.equal(lendBody.copy_ref, 'U-07');
  assert.equal(siteLocal(Date.parse(lendBody.due_back)).full, `${due.ymd} 18:00:00`);
  await op.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="lent"]');
  assert.equal(await op.getByTestId('rc-copy-ref').textContent(), 'U-07');
  assert.equal(await op.getByTestId('rc-medium').textContent(), 'U 盘');
  assert.equal(await op.getByTestId('rc-due-back').textContent(), `${due.ymd} 18:00:00`);
  assert.match(await op.getByTestId('rc-next').textContent(), /跟踪至归还/);
  assert.equal(await op.getByTestId('rc-cancel').count(), 0);

  // The handover carries it: 外借未还录像, with a link to it.
  await open(op, 'handover');
  const preview = await (await op.request.get(`${BASE}/api/v1/handovers/preview`)).json();
  const out = (preview.recordings_out || []).find((x) => x.id === rec.id);
  assert.ok(out, JSON.stringify(preview.recordings_out));
  assert.equal(out.requester_name, OFFICER);
  assert.equal(out.overdue, false);
  await op.locator('[data-testid="hv-preview"], [data-testid="hv-pending"]').first().waitFor();
  const summary = op.getByTestId('hv-preview');
  const item = summary.getByTestId('hv-list-recordings').locator(`[data-testid="hv-recording"][data-id="${rec.id}"]`);
  if (await summary.count()) {
    await item.waitFor();
    assert.match(await summary.getByTestId('hv-list-recordings').textContent(), /外借未还录像/);
    assert.match(await item.textContent(), new RegExp(`${OFFICER}.*${ORG}.*应还`));
    await item.getByTestId('hv-recording-link').click();
  } else {
    // A handover signed out earlier is pending (its summary is frozen): open the record directly.
    await op.goto(`${BASE}/#/recordings/${rec.id}`);
  }
  await op.getByTestId('page-recording').waitFor();

  // Returned: closed.
  await op.getByTestId('rc-return-note').fill('U 盘已归还，录像已删除');
  const returned = op.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/return`));
  await op.getByTestId('rc-return-submit').click();
  assert.equal((await returned).status(), 200);
  await op.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="returned"]');
  assert.equal(await op.getByTestId('rc-step-return').getAttribute('data-status'), 'done');
  assert.match(await op.getByTestId('rc-closed').textContent(), /已归还.*已办结/);
  assert.equal(await op.getByTestId('rc-next').count(), 0);
  assert.equal(await op.getByTestId('rc-return-form').count(), 0);
  const api = await (await op.request.get(`${BASE}/api/v1/recordings/${rec.id}`)).json();
  assert.equal(api.state, 'returned');
  assert.equal(api.closed, true);
  assert.equal(api.return_note, 'U 盘已归还，录像已删除');
  // A second return is a conflict.
  const again = await op.request.post(`${BASE}/api/v1/recordings/${rec.id}/return`, { data: {} });
  assert.equal(again.status(), 409);
  // Off the handover and the open list; on the 已归还 tab.
  const after = await (await op.request.get(`${BASE}/api/v1/handovers/preview`)).json();
  assert.equal((after.recordings_out || []).some((x) => x.id === rec.id), false);
  await op.getByTestId('rc-back').click();
  await op.getByTestId('page-recordings').waitFor();
  await op.waitForSelector('[data-testid="rc-tab-open"][data-n]');
  assert.equal(await rowOf(op, rec.id).count(), 0);
  await op.getByTestId('rc-tab-returned').click();
  await rowOf(op, rec.id).waitFor();
  assert.equal(await rowOf(op, rec.id).getByTestId('rc-expiry').count(), 0);
  // The manager's list followed live.
  await mgr.getByTestId('rc-back').click();
  await mgr.getByTestId('page-recordings').waitFor();
  await mgr.getByTestId('rc-tab-all').click();
  await mgr.waitForSelector(`[data-testid="rc-row"][data-id="${rec.id}"][data-state="returned"]`);

  assert.deepEqual(op.jsErrors, []);
  assert.deepEqual(mgr.jsErrors, []);
  await op.context().close();
  await mgr.context().close();
});

test('the duty log says each step of a recording request in Chinese', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.evaluate(() => { location.hash = '#/duty-log'; });
  await page.getByTestId('page-duty-log').waitFor();
  await page.waitForSelector('[data-testid="duty-count"][data-total]');
  const texts = await page.locator('[data-testid="duty-entry"][data-auto="true"] [data-testid="duty-text"]').allTextContents();
  const rc = texts.filter((x) => x.includes('录像'));
  assert.ok(rc.some((x) => /^录像外借申请 #\d+ 已登记：.+（摄像机：.+），待经理审批$/.test(x)), rc.join(' | '));
  assert.ok(rc.some((x) => /^录像申请 #\d+（.+）：待审批 → 已批准/.test(x)), rc.join(' | '));
  assert.ok(rc.some((x) => /^录像申请 #\d+（.+）：副本 .+ 已外借（(U 盘|光盘|其他)）/.test(x)), rc.join(' | '));
  assert.ok(rc.some((x) => /^录像申请 #\d+（.+）：外借中 → 已归还/.test(x)), rc.join(' | '));
  assert.ok(!texts.some((x) => /^recording /.test(x)), 'no English recording entry left');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a copy the police keep as evidence: only the manager closes the loan, with the reason', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  const mgr = await newPage(browser);
  await login(mgr, 'manager');
  const from = new Date(Date.now() - 2 * HOUR).toISOString();
  const to = new Date(Date.now() - HOUR).toISOString();
  const made = await op.request.post(`${BASE}/api/v1/recordings`, { data: { kind: 'lend', requester_name: `周警官${stamp}`, requester_org: '刑警大队',
    purpose: '刑事案件取证', cameras: '东门摄像机', from, to } });
  assert.equal(made.status(), 201);
  const rec = await made.json();
  assert.equal((await mgr.request.post(`${BASE}/api/v1/recordings/${rec.id}/decide`, { data: { approve: true } })).status(), 200);
  assert.equal((await op.request.post(`${BASE}/api/v1/recordings/${rec.id}/lend`, { data: { medium: 'disc', copy_ref: `D-${stamp}`,
    due_back: new Date(Date.now() + 86400000).toISOString() } })).status(), 200);
  // The operator records returns, not keeps.
  await op.evaluate((id) => { location.hash = `#/recordings/${id}`; }, rec.id);
  await op.getByTestId('page-recording').waitFor();
  await op.getByTestId('rc-return-form').waitFor();
  assert.equal(await op.getByTestId('rc-keep-form').count(), 0);
  // The manager confirms it is kept, and must say why.
  await mgr.evaluate((id) => { location.hash = `#/recordings/${id}`; }, rec.id);
  await mgr.getByTestId('page-recording').waitFor();
  await mgr.getByTestId('rc-keep-submit').click();
  await mgr.getByTestId('rc-keep-error').waitFor();
  await mgr.getByTestId('rc-keep-note').fill('公安机关作为证据留存，已取得留存回执');
  const kept = mgr.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/keep`));
  await mgr.getByTestId('rc-keep-submit').click();
  assert.equal((await kept).status(), 200);
  await mgr.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="kept"]');
  assert.match(await mgr.getByTestId('rc-kept').textContent(), /对方留存/);
  assert.match(await mgr.getByTestId('rc-keep-note-shown').textContent(), /留存回执/);
  // Closed: no longer lent out on the handover.
  const preview = await (await op.request.get(`${BASE}/api/v1/handovers/preview`)).json();
  const sum = preview.summary || preview;
  assert.equal((sum.recordings_out || []).some((x) => x.id === rec.id), false);
  assert.equal(typeof sum.recordings_lent, 'number');
  assert.deepEqual(op.jsErrors, []);
  assert.deepEqual(mgr.jsErrors, []);
  await op.context().close();
  await mgr.context().close();
});

test('the manager refuses a view request only with a note', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  const now = Date.now();
  const res = await op.request.post(`${BASE}/api/v1/recordings`, { data: {
    kind: 'view', requester_name: `王女士${stamp}`, requester_org: '', purpose: `查看电动车被盗经过 ${stamp}`,
    cameras: '东门门岗 2 号枪机', from: new Date(now - 3 * HOUR).toISOString(), to: new Date(now - 2 * HOUR).toISOString(),
  } });
  assert.equal(res.status(), 201);
  const rec = await res.json();

  const mgr = await newPage(browser, { lang: 'zh-CN' });
  await login(mgr, 'manager', undefined, `#/recordings/${rec.id}`);
  await mgr.getByTestId('page-recording').waitFor();
  await live(mgr);
  assert.equal(await mgr.getByTestId('page-title').textContent(), `录像调阅 #${rec.id}`);
  // No ID number or phone registered: nothing to reveal.
  assert.equal(await mgr.getByTestId('rc-reveal').count(), 0);
  // Refusing without a note: said on the page, nothing sent.
  let posted = 0;
  mgr.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/decide')) posted += 1; });
  await mgr.getByTestId('rc-refuse').click();
  await mgr.getByTestId('rc-decide-error').waitFor();
  assert.match(await mgr.getByTestId('rc-decide-error').textContent(), /拒绝须填写审批意见/);
  assert.equal(await mgr.getByTestId('rc-decide-note').getAttribute('aria-invalid'), 'true');
  assert.equal(posted, 0);
  // The server says the same.
  const bare = await mgr.request.post(`${BASE}/api/v1/recordings/${rec.id}/decide`, { data: { approve: false } });
  assert.equal(bare.status(), 400);
  const problem = await bare.json();
  assert.equal(problem.type, '/problems/validation');
  assert.ok(problem.errors.some((e) => e.field === 'note'), JSON.stringify(problem));
  // With a note.
  await mgr.getByTestId('rc-decide-note').fill('无公安机关手续，住户个人不予调阅，请报警处理');
  const refused = mgr.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/decide`));
  await mgr.getByTestId('rc-refuse').click();
  const rr = await refused;
  assert.equal(rr.status(), 200);
  assert.equal(rr.request().postDataJSON().approve, false);
  await mgr.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="refused"]');
  assert.equal(await mgr.getByTestId('rc-step-decide').getAttribute('data-status'), 'refused');
  assert.match(await mgr.getByTestId('rc-decision').textContent(), /已拒绝/);
  assert.match(await mgr.getByTestId('rc-closed').textContent(), /拒绝/);
  assert.equal(await mgr.getByTestId('rc-decide-form').count(), 0);
  // Deciding again is a conflict, said plainly.
  const again = await mgr.request.post(`${BASE}/api/v1/recordings/${rec.id}/decide`, { data: { approve: true } });
  assert.equal(again.status(), 409);
  assert.equal((await again.json()).type, '/problems/conflict');

  // The operator: closed, nothing left to do.
  await op.goto(`${BASE}/#/recordings/${rec.id}`);
  await op.getByTestId('page-recording').waitFor();
  await op.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="refused"]');
  assert.equal(await op.getByTestId('rc-view-form').count(), 0);
  assert.equal(await op.getByTestId('rc-cancel').count(), 0);
  assert.match(await op.getByTestId('rc-decision-note').textContent(), /不予调阅/);

  assert.deepEqual(op.jsErrors, []);
  assert.deepEqual(mgr.jsErrors, []);
  await op.context().close();
  await mgr.context().close();
});

test('footage from 9 days ago was overwritten: the form says so and from when footage is kept', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  await open(op, 'recordings');
  const from = Date.now() - 9 * 24 * HOUR;
  await op.getByTestId('rc-form-kind-view').click();
  await op.getByTestId('rc-form-requester_name').fill(`赵先生${stamp}`);
  await op.getByTestId('rc-form-purpose').fill('查看 9 天前车辆被划经过');
  await op.getByTestId('rc-form-cameras').fill('B1-12 车位');
  await op.getByTestId('rc-form-from').fill(siteLocal(from).input);
  await op.getByTestId('rc-form-to').fill(siteLocal(from + HOUR).input);
  const sent = op.waitForResponse(isPost('/api/v1/recordings'));
  await op.getByTestId('rc-form-submit').click();
  const res = await sent;
  assert.equal(res.status(), 409);
  const problem = await res.json();
  assert.equal(problem.type, '/problems/recording-overwritten');
  assert.ok(problem.oldest_kept, JSON.stringify(problem));
  const err = op.getByTestId('rc-form-error-from');
  await err.waitFor();
  const text = await err.textContent();
  assert.match(text, /已被覆盖/);
  assert.match(text, /保存 7 天，每日 01:00/);
  assert.ok(text.includes(siteLocal(Date.parse(problem.oldest_kept)).full), `${text} / ${problem.oldest_kept}`);
  assert.match(siteLocal(Date.parse(problem.oldest_kept)).full, / 01:00:00$/);
  assert.equal(await op.getByTestId('rc-form-banner').isVisible(), true);
  // The form keeps what was typed.
  assert.equal(await op.getByTestId('rc-form-requester_name').inputValue(), `赵先生${stamp}`);

  // The oldest footage still kept goes at the next cut: red on the list, less than 24 h left.
  const oldest = Date.parse(problem.oldest_kept);
  await op.getByTestId('rc-form-from').fill(siteLocal(oldest + 60 * 1000).input);
  await op.getByTestId('rc-form-to').fill(siteLocal(oldest + HOUR).input);
  const sent2 = op.waitForResponse(isPost('/api/v1/recordings'));
  await op.getByTestId('rc-form-submit').click();
  const res2 = await sent2;
  assert.equal(res2.status(), 201);
  const rec = await res2.json();
  assert.ok(Date.parse(rec.expires_at) - Date.now() < 24 * HOUR, rec.expires_at);
  assert.equal(siteLocal(Date.parse(rec.expires_at)).full.slice(11), '01:00:00');
  const row = rowOf(op, rec.id);
  await row.waitFor();
  assert.equal(await row.getByTestId('rc-expiry').getAttribute('data-level'), 'soon');
  assert.match(await row.getByTestId('rc-expiry').textContent(), /^录像将于 \d\d-\d\d 01:00 覆盖$/);
  assert.ok(Number(await op.getByTestId('rc-attn-soon').getAttribute('data-n')) >= 1);
  // Not needed after all: cancelled, with a reason (required).
  await row.getByTestId('rc-row-link').click();
  await op.getByTestId('page-recording').waitFor();
  assert.equal(await op.locator('[data-testid="rc-detail-badges"] [data-testid="rc-expiry"]').getAttribute('data-level'), 'soon');
  assert.match(await op.locator('[data-testid="rc-detail-badges"] [data-testid="rc-expiry"]').textContent(), /还剩/);
  await op.getByTestId('rc-cancel').click();
  await op.getByTestId('rc-cancel-submit').click();
  await op.getByTestId('rc-cancel-error').waitFor();
  assert.match(await op.getByTestId('rc-cancel-error').textContent(), /撤销须填写原因/);
  await op.getByTestId('rc-cancel-note').fill('申请人已自行和解，不再需要');
  const cancelled = op.waitForResponse(isPost(`/api/v1/recordings/${rec.id}/cancel`));
  await op.getByTestId('rc-cancel-submit').click();
  assert.equal((await cancelled).status(), 200);
  await op.waitForSelector('[data-testid="rc-detail-badges"] [data-testid="rc-state"][data-state="cancelled"]');
  assert.match(await op.getByTestId('rc-cancel-note-shown').textContent(), /自行和解/);
  assert.match(await op.getByTestId('rc-cancelled').textContent(), /operator/);
  assert.equal(await op.getByTestId('rc-step-decide').getAttribute('data-status'), 'skipped');
  assert.equal(await op.locator('[data-testid="rc-detail-badges"] [data-testid="rc-expiry"]').count(), 0);
  await op.getByTestId('rc-back').click();
  await op.getByTestId('page-recordings').waitFor();

  // More than 24 hours, or an end in the future: refused on the form, nothing sent.
  let posted = 0;
  op.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/recordings')) posted += 1; });
  const now = Date.now();
  await op.getByTestId('rc-form-from').fill(siteLocal(now - 30 * HOUR).input);
  await op.getByTestId('rc-form-to').fill(siteLocal(now - 2 * HOUR).input);
  await op.getByTestId('rc-form-submit').click();
  await op.getByTestId('rc-form-error-to').waitFor();
  assert.match(await op.getByTestId('rc-form-error-to').textContent(), /24 小时/);
  await op.getByTestId('rc-form-from').fill(siteLocal(now - HOUR).input);
  await op.getByTestId('rc-form-to').fill(siteLocal(now + 3 * HOUR).input);
  await op.getByTestId('rc-form-submit').click();
  await op.waitForFunction(() => /不能晚于当前时间/.test(document.querySelector('[data-testid="rc-form-error-to"]')?.textContent || ''));
  assert.equal(posted, 0);
  assert.deepEqual(op.jsErrors, []);
  await op.context().close();
});

test('the guard has no recordings page and the API refuses; the auditor only reads', async () => {
  const guard = await newPage(browser);
  await login(guard, 'guard');
  assert.equal(await guard.getByTestId('nav-recordings').count(), 0);
  await guard.goto(`${BASE}/#/recordings`);
  await guard.getByTestId('page-unavailable').waitFor();
  assert.equal((await guard.request.get(`${BASE}/api/v1/recordings`)).status(), 403);
  const post = await guard.request.post(`${BASE}/api/v1/recordings`, { data: { kind: 'view', requester_name: 'x', purpose: 'x', cameras: 'x',
    from: new Date(Date.now() - 2 * HOUR).toISOString(), to: new Date(Date.now() - HOUR).toISOString() } });
  assert.equal(post.status(), 403);
  assert.equal((await post.json()).type, '/problems/forbidden');
  assert.deepEqual(guard.jsErrors, []);
  await guard.context().close();

  const aud = await newPage(browser, { lang: 'en' });
  await login(aud, 'auditor');
  await open(aud, 'recordings');
  assert.equal((await aud.getByTestId('nav-recordings').textContent()).trim(), 'Recordings');
  assert.equal(await aud.getByTestId('page-title').textContent(), 'Recording access register');
  await aud.getByTestId('rc-readonly').waitFor();
  assert.equal(await aud.getByTestId('rc-form').count(), 0);
  await aud.getByTestId('rc-tab-all').click();
  const first = aud.getByTestId('rc-row').first();
  await first.waitFor();
  await first.getByTestId('rc-row-link').click();
  await aud.getByTestId('page-recording').waitFor();
  await aud.getByTestId('rc-readonly').waitFor();
  assert.equal(await aud.getByTestId('rc-reveal').count(), 0);
  assert.equal(await aud.locator('[data-testid$="-form"]').count(), 0);
  assert.deepEqual(aud.jsErrors, []);
  await aud.context().close();
});

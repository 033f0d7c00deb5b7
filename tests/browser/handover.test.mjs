// 交接班 Shift handover (S2, R3.1). The operator signs out: the R3.1 question
// must be answered yes or no, a wrong password is refused on the field, then
// the handover waits for its incoming signature — first on the page, and as a
// banner on every page. The operator cannot sign it in (the page says so; the
// API refuses). The shift leader, in a second browser, sees the banner, follows
// it, is refused a wrong password and signs in: both signatures on one screen,
// the banner gone in both browsers, the handover in the history (signed, not
// changeable) and in the duty log. A second handover, signed out with a handle
// not in the automatic position, is forced by the shift leader with a reason
// (required); the operator has no force action, the manager only reads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const NOTE = `3 号监视器偶有闪屏，已报工程部 ${stamp}`;
const NOTE2 = `B1 排烟风机手柄在手动位置，工程部检修中 ${stamp}`;
const REASON = `接班值班员病假未到岗，已电话报告保安主管 ${stamp}`;

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

async function open(page, id) {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
}

// Signs a handover out on the page: answer R3.1, a note, the password.
async function signOut(page, { controls, note, password = PASSWORD }) {
  await page.getByTestId(controls ? 'hv-controls-yes' : 'hv-controls-no').check();
  if (note) await page.getByTestId('hv-note-input').fill(note);
  await page.getByTestId('hv-out-password').fill(password);
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/handovers'));
  await page.getByTestId('hv-start-submit').click();
  return res;
}

test('operator signs out; the shift leader sees the pending banner and signs in; both signatures on one screen', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  // In the 值班 section, right after the duty log.
  const navs = await op.locator('.nav-section', { has: op.getByTestId('nav-duty-log') }).locator('.nav-item').evaluateAll((a) => a.map((x) => x.dataset.page));
  assert.deepEqual(navs.slice(0, 2), ['duty-log', 'handover']);
  assert.equal((await op.getByTestId('nav-handover').textContent()).trim(), '交接班');
  await open(op, 'handover');
  await live(op);
  assert.equal(await op.getByTestId('page-title').textContent(), '交接班');
  await op.getByTestId('hv-start').waitFor();
  assert.equal(await op.getByTestId('hv-pending').count(), 0);
  assert.equal(await op.getByTestId('handover-banner').count(), 0);
  // The preview: what a handover now would carry.
  await op.getByTestId('hv-preview').waitFor();
  assert.ok(await op.locator('[data-testid="hv-preview"] [data-testid="hv-count"]').count() >= 4);
  await op.getByTestId('hv-preview').getByTestId('hv-list-devices').waitFor();
  // Both signature places on the form: the operator's own, and the incoming one to come.
  const form = op.getByTestId('hv-start');
  assert.equal(await form.getByTestId('hv-sig-out-who').getAttribute('data-username'), 'operator');
  assert.match(await form.getByTestId('hv-sig-in').textContent(), /接班人用本人账号登录并签名/);

  // The R3.1 question has no default: unanswered, nothing is sent.
  let posted = 0;
  op.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/handovers')) posted += 1; });
  assert.equal(await op.getByTestId('hv-controls-yes').isChecked(), false);
  assert.equal(await op.getByTestId('hv-controls-no').isChecked(), false);
  await op.getByTestId('hv-out-password').fill(PASSWORD);
  await op.getByTestId('hv-start-submit').click();
  await op.getByTestId('hv-error-controls').waitFor();
  assert.match(await op.getByTestId('hv-error-controls').textContent(), /控制手柄/);
  assert.equal(posted, 0);

  // A wrong password: the server refuses the signature, shown on the field.
  let res = await signOut(op, { controls: true, note: NOTE, password: 'not-my-password' });
  assert.equal(res.status(), 400);
  assert.equal((await res.json()).errors[0].field, 'password');
  await op.getByTestId('hv-error-outPassword').waitFor();
  assert.match(await op.getByTestId('hv-error-outPassword').textContent(), /密码错误/);
  assert.equal(await op.getByTestId('hv-out-password').getAttribute('aria-invalid'), 'true');
  assert.equal(await op.getByTestId('hv-note-input').inputValue(), NOTE, 'the form keeps the note');

  // The right password: pending, first on the page.
  await op.getByTestId('hv-out-password').fill(PASSWORD);
  const started = op.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/handovers'));
  await op.getByTestId('hv-start-submit').click();
  res = await started;
  assert.equal(res.status(), 201);
  const ho = await res.json();
  assert.equal(ho.state, 'pending');
  assert.equal(ho.controls_auto, true);
  const pend = op.getByTestId('hv-pending');
  await pend.waitFor();
  assert.equal(await pend.getAttribute('data-id'), String(ho.id));
  assert.equal(await pend.getByTestId('hv-sig-out-who').getAttribute('data-username'), 'operator');
  assert.match(await pend.getByTestId('hv-sig-out-time').textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  assert.equal(await pend.getByTestId('hv-controls').getAttribute('data-value'), 'true');
  assert.match(await pend.getByTestId('hv-note').textContent(), new RegExp(NOTE));
  assert.ok(await pend.locator('[data-testid="hv-summary"] [data-testid="hv-count"]').count() >= 4);
  // The same operator cannot sign it in: the page says so, and the server refuses.
  await pend.getByTestId('hv-sign-self').waitFor();
  assert.equal(await pend.getByTestId('hv-sign-form').count(), 0);
  assert.equal(await pend.getByTestId('hv-force-open').count(), 0, 'the operator may not force a handover');
  const self = await op.request.post(`${BASE}/api/v1/handovers/${ho.id}/sign`, { data: { password: PASSWORD } });
  assert.equal(self.status(), 400);
  assert.match((await self.json()).detail, /same person/);
  // The banner is on every page.
  const banner = op.getByTestId('handover-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /交接班待接班签名/);
  await open(op, 'duty-log');
  assert.equal(await banner.isVisible(), true);
  assert.match(await banner.textContent(), new RegExp(`交接班 #${ho.id}`));

  // The shift leader, in a browser of its own: the banner on the start page.
  const lead = await newPage(browser);
  await login(lead, 'shift_leader');
  await live(lead);
  const lb = lead.getByTestId('handover-banner');
  await lb.waitFor();
  assert.equal(await lb.getAttribute('href'), '#/handover');
  await lb.click();
  await lead.getByTestId('page-handover').waitFor();
  const lp = lead.getByTestId('hv-pending');
  await lp.waitFor();
  assert.equal(await lp.getAttribute('data-id'), String(ho.id));
  // Wrong password: refused on the field.
  await lp.getByTestId('hv-sign-password').fill('wrong-password');
  const refused = lead.waitForResponse((r) => r.url().endsWith(`/api/v1/handovers/${ho.id}/sign`));
  await lp.getByTestId('hv-sign-submit').click();
  assert.equal((await refused).status(), 400);
  await lead.getByTestId('hv-error-signPassword').waitFor();
  assert.match(await lead.getByTestId('hv-error-signPassword').textContent(), /密码错误/);
  assert.equal(await lead.getByTestId('hv-pending').count(), 1, 'still pending');
  // Nobody trained is rostered now: the incoming shift is below the minimum
  // (S1). Signing is refused with the problem type below-minimum, said in the
  // console's language; the shift leader overrides with a reason and their
  // password, and the override shows on the handover.
  await lp.getByTestId('hv-below').waitFor();
  assert.match(await lp.getByTestId('hv-below-text').textContent(), /最少需 2 人/);
  await lead.getByTestId('hv-sign-password').fill(PASSWORD);
  const below = lead.waitForResponse((r) => r.url().endsWith(`/api/v1/handovers/${ho.id}/sign`));
  await lp.getByTestId('hv-sign-submit').click();
  const br = await below;
  assert.equal(br.status(), 409);
  assert.equal((await br.json()).type, '/problems/below-minimum');
  await lead.getByTestId('hv-form-error').waitFor();
  assert.match(await lead.getByTestId('hv-form-error').textContent(), /须值班长批准/);
  // The reason is required.
  await lp.getByTestId('hv-override-password').fill(PASSWORD);
  await lp.getByTestId('hv-override-submit').click();
  await lead.getByTestId('hv-error-overrideReason').waitFor();
  const OVR = `夜班缺一人，主管顶岗 ${stamp}`;
  await lp.getByTestId('hv-override-reason').fill(OVR);
  await lp.getByTestId('hv-override-password').fill(PASSWORD);
  const overridden = lead.waitForResponse((r) => r.url().endsWith(`/api/v1/handovers/${ho.id}/override`));
  await lp.getByTestId('hv-override-submit').click();
  assert.equal((await overridden).status(), 200);
  await lp.getByTestId('hv-override-done').waitFor();
  assert.equal(await lp.getByTestId('hv-override-reason-text').textContent(), OVR);
  // The right password: signed.
  await lead.getByTestId('hv-sign-password').fill(PASSWORD);
  const signed = lead.waitForResponse((r) => r.url().endsWith(`/api/v1/handovers/${ho.id}/sign`));
  await lead.getByTestId('hv-sign-submit').click();
  assert.equal((await signed).status(), 200);
  // Both signatures on one screen.
  const done = lead.getByTestId('hv-done');
  await done.waitFor();
  assert.equal(await done.getAttribute('data-state'), 'signed');
  assert.equal(await done.getByTestId('hv-sig-out-who').getAttribute('data-username'), 'operator');
  assert.equal(await done.getByTestId('hv-sig-in-who').getAttribute('data-username'), 'shift_leader');
  assert.match(await done.getByTestId('hv-sig-out-who').textContent(), /值班员 王静/);
  assert.match(await done.getByTestId('hv-sig-in-who').textContent(), /班长 李强/);
  assert.match(await done.getByTestId('hv-sig-in-time').textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  // No handover pending any more: the form again, and no banner — in both browsers.
  await lead.getByTestId('hv-start').waitFor();
  await lb.waitFor({ state: 'detached' });
  await banner.waitFor({ state: 'detached' });
  // The history: signed, not changeable; opened, both signatures.
  const item = lead.locator(`[data-testid="hv-item"][data-id="${ho.id}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-state'), 'signed');
  assert.match(await item.getByTestId('hv-immutable').textContent(), /已签名，不可更改/);
  assert.equal(await item.evaluate((d) => d.open), true, 'the one just signed is open');
  assert.equal(await item.getByTestId('hv-sig-in-who').getAttribute('data-username'), 'shift_leader');
  assert.equal(await item.getByTestId('hv-sig-out-who').getAttribute('data-username'), 'operator');
  // The server agrees; the duty log says it.
  const api = await (await lead.request.get(`${BASE}/api/v1/handovers/${ho.id}`)).json();
  assert.equal(api.state, 'signed');
  assert.equal(api.incoming, 'shift_leader');
  assert.ok(api.in_signed_at && api.out_signed_at);
  await open(lead, 'duty-log');
  await lead.locator('[data-testid="duty-entry"]', { has: lead.getByTestId('duty-text').filter({ hasText: `交接班 #${ho.id}：接班人已签名，完成接班` }) }).waitFor();
  await lead.locator('[data-testid="duty-entry"]', { has: lead.getByTestId('duty-text').filter({ hasText: `交接班 #${ho.id}：交班人已签名` }) }).waitFor();
  // The override is in the log too, said in zh-CN (the server writes it in English).
  const ovrEntry = lead.locator('[data-testid="duty-entry"]', { has: lead.getByTestId('duty-text').filter({ hasText: OVR }) });
  await ovrEntry.waitFor();
  assert.match((await ovrEntry.getByTestId('duty-text').textContent()).trim(),
    new RegExp(`^交接班 #${ho.id}：经 shift_leader 批准，低于最低值班人数接班（排班持证值班员 [01]/2 人），理由：${OVR}$`));
  // The operator's page, live: it is in the history too.
  await open(op, 'handover');
  await op.locator(`[data-testid="hv-item"][data-id="${ho.id}"][data-state="signed"]`).waitFor();
  assert.equal(op.jsErrors.length, 0, op.jsErrors.join('\n'));
  assert.equal(lead.jsErrors.length, 0, lead.jsErrors.join('\n'));
  await op.context().close();
  await lead.context().close();
});

test('a second handover, a handle not in automatic, is forced by the shift leader with a reason', async () => {
  const op = await newPage(browser);
  await login(op, 'operator', PASSWORD, '#/handover');
  await op.getByTestId('hv-start').waitFor();
  await live(op);
  // 否: the form warns that the duty log will say so.
  await op.getByTestId('hv-controls-no').check();
  await op.getByTestId('hv-controls-no-warning').waitFor();
  const res = await signOut(op, { controls: false, note: NOTE2 });
  assert.equal(res.status(), 201);
  const ho = await res.json();
  assert.equal(ho.controls_auto, false);
  await op.getByTestId('hv-pending').waitFor();
  assert.equal(await op.getByTestId('hv-pending').getByTestId('hv-controls').getAttribute('data-value'), 'false');
  await op.getByTestId('handover-banner-controls').waitFor();

  // The manager reads it but can neither sign nor force.
  const mgr = await newPage(browser, { lang: 'en' });
  await login(mgr, 'manager', PASSWORD, '#/handover');
  await mgr.getByTestId('hv-pending').waitFor();
  assert.match(await mgr.getByTestId('handover-banner').textContent(), /Handover awaiting the incoming signature/);
  await mgr.getByTestId('hv-sign-readonly').waitFor();
  assert.equal(await mgr.getByTestId('hv-force-open').count(), 0);
  await mgr.context().close();

  // The shift leader forces it: the reason is required.
  const lead = await newPage(browser);
  await login(lead, 'shift_leader', PASSWORD, '#/handover');
  const lp = lead.getByTestId('hv-pending');
  await lp.waitFor();
  await live(lead);
  await lp.getByTestId('hv-force-open').click();
  await lp.getByTestId('hv-force-form').waitFor();
  let posted = 0;
  lead.on('request', (r) => { if (r.url().endsWith(`/api/v1/handovers/${ho.id}/force`)) posted += 1; });
  await lp.getByTestId('hv-force-submit').click();
  await lead.getByTestId('hv-error-reason').waitFor();
  assert.match(await lead.getByTestId('hv-error-reason').textContent(), /必须填写原因/);
  assert.equal(posted, 0);
  await lp.getByTestId('hv-force-reason-input').fill(REASON);
  const forced = lead.waitForResponse((r) => r.url().endsWith(`/api/v1/handovers/${ho.id}/force`));
  await lp.getByTestId('hv-force-submit').click();
  assert.equal((await forced).status(), 200);
  const done = lead.getByTestId('hv-done');
  await done.waitFor();
  assert.equal(await done.getAttribute('data-state'), 'forced');
  assert.equal(await done.getByTestId('hv-sig-out-who').getAttribute('data-username'), 'operator');
  assert.equal(await done.getByTestId('hv-sig-in-who').getAttribute('data-username'), 'shift_leader');
  assert.equal(await done.getByTestId('hv-force-reason').textContent(), REASON);
  const item = lead.locator(`[data-testid="hv-item"][data-id="${ho.id}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-state'), 'forced');
  assert.equal(await item.getByTestId('hv-immutable').count(), 1);
  assert.match(await item.getByTestId('hv-state').textContent(), /强制交接/);
  // Gone from the operator's screen too; the server and the duty log agree.
  await op.getByTestId('handover-banner').waitFor({ state: 'detached' });
  await op.getByTestId('hv-start').waitFor();
  const api = await (await lead.request.get(`${BASE}/api/v1/handovers/${ho.id}`)).json();
  assert.equal(api.state, 'forced');
  assert.equal(api.forced_by, 'shift_leader');
  assert.equal(api.force_reason, REASON);
  // A forced handover cannot be signed afterwards.
  const late = await lead.request.post(`${BASE}/api/v1/handovers/${ho.id}/sign`, { data: { password: PASSWORD } });
  assert.equal(late.status(), 409);
  assert.equal((await late.json()).type, '/problems/handover-closed');
  await open(lead, 'duty-log');
  await lead.locator('[data-testid="duty-entry"]', { has: lead.getByTestId('duty-text').filter({ hasText: `交接班 #${ho.id}：强制交接，原因：${REASON}` }) }).waitFor();
  await lead.locator('[data-testid="duty-entry"]', { has: lead.getByTestId('duty-text').filter({ hasText: '未确认全部控制手柄处于自动位置' }) }).first().waitFor();
  assert.equal(op.jsErrors.length, 0, op.jsErrors.join('\n'));
  assert.equal(lead.jsErrors.length, 0, lead.jsErrors.join('\n'));
  await op.context().close();
  await lead.context().close();
});

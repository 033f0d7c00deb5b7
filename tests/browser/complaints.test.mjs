// 投诉与咨询 Complaints and inquiries (R3.4.7, S7). The operator takes a noise
// complaint in (the required fields say so first), opens it, assigns it (an
// unknown user is refused on the field), cannot record the return visit
// before the result (the step is locked; the API says 400), gives the result
// back (待回访) and records the return visit with 4 stars → closed; the list,
// the state tabs and the statistics show it, and the duty log says each step
// in Chinese. A major complaint shows that it escalates, and the duty log says
// it was escalated to the supervisor and the manager. Contact data stays
// masked: the operator has no 显示 (and the API refuses), the manager reveals
// it (audited) and hides it again.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const DESC = `楼上每晚 23 点后拖动家具，噪音很大 ${stamp}`;
const RESULT = `已联系 1301 住户，承诺 22 点后不再拖动家具 ${stamp}`;
const VISIT = `住户表示已明显改善 ${stamp}`;
const MAJOR = `地库 B2 消防通道被大量杂物堵塞 ${stamp}`;
const NAME = '张伟明';
const PHONE = '13812345678';

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

async function open(page, id) {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
}

const rowByDesc = (page, text) => page.locator('[data-testid="cp-row"]', { has: page.getByTestId('cp-desc').filter({ hasText: text }) });

async function takeIn(page, { channel = 'phone', unit, name, phone, category, desc, urgency = 'normal' }) {
  await page.getByTestId(`cp-form-channel-${channel}`).click();
  await page.getByTestId('cp-form-unit').fill(unit);
  await page.getByTestId('cp-form-contact_name').fill(name);
  if (phone) await page.getByTestId('cp-form-contact_phone').fill(phone);
  await page.getByTestId('cp-form-category').selectOption(category);
  await page.getByTestId('cp-form-description').fill(desc);
  await page.getByTestId(`cp-form-urgency-${urgency}`).click();
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/complaints'));
  await page.getByTestId('cp-form-submit').click();
  const res = await created;
  assert.equal(res.status(), 201);
  return res.json();
}

test('operator takes a complaint in, assigns it, gives the result back, and the return visit with 4 stars closes it', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  // In the 值班 section, after the duty log and the handover.
  const navs = await page.locator('.nav-section', { has: page.getByTestId('nav-duty-log') }).locator('.nav-item').evaluateAll((a) => a.map((x) => x.dataset.page));
  assert.deepEqual(navs.slice(0, 3), ['duty-log', 'handover', 'complaints']);
  assert.equal((await page.getByTestId('nav-complaints').textContent()).trim(), '投诉与咨询');
  await open(page, 'complaints');
  await live(page);
  assert.equal(await page.getByTestId('page-title').textContent(), '投诉与咨询');
  await page.waitForSelector('[data-testid="cp-tab-closed"][data-n]');
  const closedBefore = Number(await page.getByTestId('cp-tab-closed').getAttribute('data-n'));

  // Nothing filled in: the required fields say so; nothing is sent.
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/complaints')) posted += 1; });
  await page.getByTestId('cp-form-submit').click();
  await page.getByTestId('cp-form-error-unit').waitFor();
  for (const f of ['contact_name', 'category', 'description']) assert.equal(await page.getByTestId(`cp-form-error-${f}`).isVisible(), true, f);
  assert.equal(await page.getByTestId('cp-form-error-contact_phone').isVisible(), false);
  assert.equal(posted, 0);
  // Normal urgency: no escalation note; the time allowed follows the category.
  assert.equal(await page.getByTestId('cp-major-warning').isVisible(), false);
  await page.getByTestId('cp-form-category').selectOption('security');
  assert.match(await page.getByTestId('cp-form-due').textContent(), /8 小时/);

  const c = await takeIn(page, { channel: 'intercom', unit: '3-2-1201', name: NAME, phone: PHONE, category: 'noise', desc: DESC });
  assert.equal(c.state, 'open');
  assert.equal(c.masked, true);
  assert.notEqual(c.contact_name, NAME);
  const row = page.locator(`[data-testid="cp-row"][data-id="${c.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'open');
  assert.equal(await row.getAttribute('data-overdue'), 'false');
  assert.match(await row.getByTestId('cp-state').textContent(), /待处理/);
  assert.match(await row.getByTestId('cp-due').textContent(), /后到期/);
  assert.match(await row.getByTestId('cp-category').textContent(), /噪音扰民/);
  assert.match(await row.getByTestId('cp-channel').textContent(), /可视对讲/);
  // The list shows the contact masked.
  const contact = await row.getByTestId('cp-contact').textContent();
  assert.ok(!contact.includes(NAME) && !contact.includes(PHONE), contact);
  assert.match(contact, /138\*+5678/);
  assert.equal(await page.getByTestId('cp-form-description').inputValue(), '', 'the form is cleared');

  // One complaint: its workflow.
  await row.getByTestId('cp-row-link').click();
  await page.getByTestId('page-complaint').waitFor();
  assert.equal(await page.getByTestId('page-title').textContent(), `投诉 #${c.id}`);
  assert.equal(await page.getByTestId('cp-description').textContent(), DESC);
  assert.equal(await page.getByTestId('cp-step-intake').getAttribute('data-status'), 'done');
  assert.equal(await page.getByTestId('cp-step-assign').getAttribute('data-status'), 'current');
  // The operator may not reveal the contact: no 显示, and the server agrees.
  assert.equal(await page.getByTestId('cp-reveal').count(), 0);
  assert.match(await page.getByTestId('cp-pii-note').textContent(), /无权查看住户个人信息/);
  assert.notEqual(await page.getByTestId('cp-contact-name').textContent(), NAME);
  assert.equal((await page.request.get(`${BASE}/api/v1/complaints/${c.id}?reveal=1`)).status(), 403);

  // No return visit before the result: the step is locked, the API says 400.
  assert.equal(await page.getByTestId('cp-visit-form').count(), 0);
  assert.match(await page.getByTestId('cp-visit-locked').textContent(), /反馈结果后/);
  const early = await page.request.post(`${BASE}/api/v1/complaints/${c.id}/return-visit`, { data: { satisfaction: 5 } });
  assert.equal(early.status(), 400);
  assert.equal((await early.json()).errors[0].field, 'state');

  // Assign: an unknown user is refused on the field; then the shift leader.
  await page.getByTestId('cp-assign-input').fill('nobody-here');
  await page.getByTestId('cp-assign-submit').click();
  await page.getByTestId('cp-assign-error').waitFor();
  assert.match(await page.getByTestId('cp-assign-error').textContent(), /“nobody-here”不是在职用户/);
  await page.getByTestId('cp-assign-input').fill('shift_leader');
  await page.getByTestId('cp-assign-submit').click();
  await page.waitForSelector('[data-testid="cp-detail-badges"] [data-testid="cp-state"][data-state="in_progress"]');
  assert.match(await page.getByTestId('cp-assignee-now').textContent(), /shift_leader/);
  // Who assigned it and when (R3.4.7): the operator, now.
  assert.match(await page.getByTestId('cp-assigned-by').textContent(), /（\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? 由 .*operator.* 指派）/);
  assert.equal(await page.getByTestId('cp-step-assign').getAttribute('data-status'), 'done');
  assert.equal(await page.getByTestId('cp-step-resolve').getAttribute('data-status'), 'current');

  // The result given back to the resident: required, then 待回访.
  await page.getByTestId('cp-resolve-submit').click();
  await page.getByTestId('cp-resolve-error').waitFor();
  await page.getByTestId('cp-result-input').fill(RESULT);
  await page.getByTestId('cp-resolve-submit').click();
  await page.waitForSelector('[data-testid="cp-detail-badges"] [data-testid="cp-state"][data-state="resolved"]');
  assert.match(await page.locator('[data-testid="cp-detail-badges"] [data-testid="cp-state"]').textContent(), /待回访/);
  assert.equal(await page.getByTestId('cp-result').textContent(), RESULT);
  assert.match(await page.locator('[data-testid="cp-step-visit"] [data-testid="cp-due"]').textContent(), /回访 .*后到期/);

  // The return visit: a satisfaction is required; 4 stars and a note close it.
  await page.getByTestId('cp-visit-submit').click();
  await page.getByTestId('cp-visit-error').waitFor();
  await page.getByTestId('cp-star-4').click();
  assert.equal(await page.getByTestId('cp-visit-stars-label').textContent(), '满意');
  assert.equal(await page.getByTestId('cp-star-4').getAttribute('aria-checked'), 'true');
  await page.getByTestId('cp-visit-note').fill(VISIT);
  const visited = page.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${c.id}/return-visit`));
  await page.getByTestId('cp-visit-submit').click();
  assert.equal((await visited).status(), 200);
  await page.waitForSelector('[data-testid="cp-detail-badges"] [data-testid="cp-state"][data-state="closed"]');
  assert.equal(await page.getByTestId('cp-satisfaction').getAttribute('data-value'), '4');
  assert.equal(await page.getByTestId('cp-visit-note-shown').textContent(), VISIT);
  assert.equal(await page.getByTestId('cp-step-visit').getAttribute('data-status'), 'done');
  const api = await (await page.request.get(`${BASE}/api/v1/complaints/${c.id}`)).json();
  assert.equal(api.state, 'closed');
  assert.equal(api.satisfaction, 4);
  assert.equal(api.return_visit_by, 'operator');
  assert.equal(api.result_by, 'operator');

  // Back on the list: under 已关闭, with its stars; the statistics count it.
  await page.getByTestId('cp-back').click();
  await page.getByTestId('page-complaints').waitFor();
  await page.waitForSelector(`[data-testid="cp-tab-closed"][data-n="${closedBefore + 1}"]`);
  await page.getByTestId('cp-tab-closed').click();
  await page.waitForSelector(`[data-testid="cp-row"][data-id="${c.id}"][data-state="closed"]`);
  assert.equal(await page.locator(`[data-testid="cp-row"][data-id="${c.id}"] [data-testid="cp-stars"]`).getAttribute('data-value'), '4');
  assert.match(page.url(), /#\/complaints\?state=closed$/);
  const stat = page.locator('[data-testid="cp-stats-row"][data-category="noise"]');
  await stat.waitFor();
  assert.ok(Number(await stat.locator('td[data-col="closed"]').textContent()) >= 1);
  assert.match(await stat.locator('td[data-col="avg_hours_to_result"]').textContent(), /\d+ (小时|分钟)/);
  assert.equal(await stat.locator('td[data-col="avg_satisfaction"] [data-testid="cp-stars"]').count(), 1);

  // The duty log says each step in Chinese.
  await open(page, 'duty-log');
  const text = (s) => page.locator('[data-testid="duty-entry"]', { has: page.getByTestId('duty-text').filter({ hasText: s }) });
  await text(`投诉 #${c.id}（噪音扰民，一般），房号 3-2-1201`).waitFor();
  await text(`投诉 #${c.id} 已向住户反馈处理结果`).waitFor();
  await text(`投诉 #${c.id} 已回访，关闭`).waitFor();
  assert.equal(page.jsErrors.length, 0, page.jsErrors.join('\n'));
  await page.context().close();
});

test('a major complaint escalates at once; the duty log says so; operator cannot reveal the contact, the manager can', async () => {
  const page = await newPage(browser);
  await login(page, 'operator', undefined, '#/complaints');
  await page.getByTestId('page-complaints').waitFor();
  await live(page);
  // Choosing 重大 says where it goes and the hour allowed.
  await page.getByTestId('cp-form-urgency-major').click();
  await page.getByTestId('cp-major-warning').waitFor();
  assert.match(await page.getByTestId('cp-major-warning').textContent(), /立即上报保安主管和管理处经理/);
  assert.match(await page.getByTestId('cp-form-due').textContent(), /1 小时/);
  const c = await takeIn(page, { channel: 'walk_in', unit: '1-1-0102', name: '李秀英', phone: '13900001111', category: 'security', desc: MAJOR, urgency: 'major' });
  assert.equal(c.urgency, 'major');
  await page.getByTestId('toast').filter({ hasText: `重大投诉 #${c.id}` }).waitFor();
  const row = page.locator(`[data-testid="cp-row"][data-id="${c.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-urgency'), 'major');
  assert.match(await row.getByTestId('cp-urgency').textContent(), /重大/);
  await row.getByTestId('cp-row-link').click();
  await page.getByTestId('cp-escalated').waitFor();
  assert.match(await page.getByTestId('cp-escalated').textContent(), /已上报保安主管和管理处经理/);
  assert.equal(await page.getByTestId('cp-reveal').count(), 0);

  // The duty log: the system's entry of the escalation.
  await open(page, 'duty-log');
  const esc = page.locator('[data-testid="duty-entry"]', { has: page.getByTestId('duty-text').filter({ hasText: `投诉 #${c.id} 已上报保安主管和管理处经理（重大）` }) });
  await esc.waitFor();
  assert.equal(await esc.getAttribute('data-category'), 'complaint');
  assert.equal(await esc.getAttribute('data-auto'), 'true');
  assert.equal(await esc.getByTestId('duty-system-tag').count(), 1);
  assert.equal(page.jsErrors.length, 0, page.jsErrors.join('\n'));
  await page.context().close();

  // The manager (resident.pii), in English: Show reveals, audited; Hide masks again.
  const mgr = await newPage(browser, { lang: 'en' });
  await login(mgr, 'manager', undefined, `#/complaints/${c.id}`);
  await mgr.getByTestId('page-complaint').waitFor();
  assert.equal(await mgr.getByTestId('page-title').textContent(), `Complaint #${c.id}`);
  const name = mgr.getByTestId('cp-contact-name');
  await name.waitFor();
  assert.notEqual(await name.textContent(), '李秀英');
  assert.match(await mgr.getByTestId('cp-contact-phone').textContent(), /139\*+1111/);
  const revealed = mgr.waitForResponse((r) => r.url().endsWith(`/api/v1/complaints/${c.id}?reveal=1`));
  await mgr.getByTestId('cp-reveal').click();
  assert.equal((await revealed).status(), 200);
  await mgr.waitForSelector('[data-testid="cp-contact-panel"][data-revealed="true"]');
  assert.equal(await name.textContent(), '李秀英');
  assert.equal(await mgr.getByTestId('cp-contact-phone').textContent(), '13900001111');
  assert.match(await mgr.getByTestId('cp-pii-note').textContent(), /recorded in the audit trail/);
  const audit = await (await mgr.request.get(`${BASE}/api/v1/audit?action=complaint.reveal&actor=manager`)).json();
  assert.ok(audit.items.some((a) => a.object === `complaint:${c.id}`), 'the reveal is audited');
  await mgr.getByTestId('cp-hide').click();
  await mgr.waitForSelector('[data-testid="cp-contact-panel"][data-revealed="false"]');
  assert.notEqual(await name.textContent(), '李秀英');
  // The manager handles complaints too: the workflow forms are there.
  await mgr.getByTestId('cp-assign-form').waitFor();
  assert.equal(mgr.jsErrors.length, 0, mgr.jsErrors.join('\n'));
  await mgr.context().close();
});

test('the guard has no complaints page; the auditor only reads', async () => {
  const guard = await newPage(browser);
  await login(guard, 'guard');
  await guard.getByTestId('nav').waitFor();
  assert.equal(await guard.getByTestId('nav-complaints').count(), 0);
  await guard.goto(`${BASE}/#/complaints`);
  await guard.getByTestId('page-unavailable').waitFor();
  await guard.context().close();

  const aud = await newPage(browser);
  await login(aud, 'auditor', undefined, '#/complaints');
  await aud.getByTestId('page-complaints').waitFor();
  await aud.getByTestId('cp-readonly').waitFor();
  assert.equal(await aud.getByTestId('cp-form').count(), 0);
  await aud.locator('[data-testid="cp-row"]').first().getByTestId('cp-row-link').click();
  await aud.getByTestId('cp-workflow').waitFor();
  assert.equal(await aud.getByTestId('cp-assign-form').count() + await aud.getByTestId('cp-resolve-form').count(), 0);
  assert.equal(await aud.getByTestId('cp-reveal').count(), 0);
  assert.equal(aud.jsErrors.length, 0, aud.jsErrors.join('\n'));
  await aud.context().close();
});

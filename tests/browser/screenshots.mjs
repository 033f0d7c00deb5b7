// Saves PNGs of the console's main screens, in zh-CN and en, at 1440x900 (the
// whole incident page also at 1440x2300), to
// docs/screenshots/NAME.LANG.png. Run through: tests/browser/run.sh VIGILD screenshots

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, PASSWORD, launch, sendDc09, dc09Body } from './lib.mjs';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
fs.mkdirSync(outDir, { recursive: true });

// --- A populated alarm queue --------------------------------------------------
// Maps a few account/zone pairs to demo devices (as admin), sends real DC-09
// frames to the receiver, and moves some incidents along (as operator), so the
// alarm console and the incident page show a realistic shift.

async function apiSession(user) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  await res.arrayBuffer();
  if (!res.ok || !cookie) throw new Error(`login as ${user}: HTTP ${res.status}`);
  return async (method, p, body) => {
    const r = await fetch(`${BASE}/api/v1/${p}`, {
      method, headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
    });
    const j = await r.json().catch(() => null);
    if (!r.ok) throw new Error(`${method} ${p}: HTTP ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
}

async function populateAlarms() {
  const admin = await apiSession('admin');
  const op = await apiSession('operator');
  const devices = (await admin('GET', 'devices?limit=500')).items;
  const dev = (code) => { const d = devices.find((x) => x.code === code); if (!d) throw new Error(`no demo device ${code}`); return d.id; };
  const maps = [
    ['6001', '023', 'SD-B2-F3'], ['6001', '015', 'SD-B1-F5'], ['6002', '102', 'IR-P2'],
    ['6002', '201', 'IR-G01'], ['6003', '021', 'ELC-2-1'], ['6002', '301', 'GT-S'],
  ];
  for (const [account, zone, code] of maps) await admin('PUT', 'alarm-map', { account, zone, device_id: dev(code) });
  let seq = 100;
  const send = async (account, code, zone) => {
    const { reply } = await sendDc09(dc09Body({ seq: ++seq, account, code, zone }));
    if (!reply.includes('"ACK"')) throw new Error(`no ACK for ${account} ${code}${zone}: ${JSON.stringify(reply)}`);
  };
  const find = async (account, zone) => (await op('GET', 'incidents?open=1&limit=100')).items.find((i) => i.account === account && i.zone === zone);
  const move = (id, to, extra = {}) => op('POST', `incidents/${id}/transition`, { to, ...extra });
  const stepDone = (id, step, extra = {}) => op('POST', `incidents/${id}/steps`, { step, status: 'done', ...extra });

  // Fire on 1号楼5层: acknowledged, guard sent, verified real; first steps done.
  await send('6001', 'FA', '015');
  const fireB = await find('6001', '015');
  await move(fireB.id, 'acknowledged');
  await stepDone(fireB.id, 'locate');
  const contacts = (await op('GET', 'contacts?limit=100')).items;
  const leader = contacts.find((c) => c.role === 'shift_leader');
  await stepDone(fireB.id, 'notify_leader');
  if (leader) await op('POST', `incidents/${fireB.id}/calls`, { contact_id: leader.id });
  await move(fireB.id, 'dispatched', { note: '已通知1号楼巡逻岗保安前往5层' });
  await stepDone(fireB.id, 'dispatch_guard');
  await move(fireB.id, 'verified', { verdict: 'real', note: '保安到场确认：5层电井冒烟，有明火' });
  await stepDone(fireB.id, 'watch_cameras');
  await stepDone(fireB.id, 'confirm');
  // Garage infrared: acknowledged and a guard dispatched.
  await send('6002', 'BA', '201');
  const garage = await find('6002', '201');
  await move(garage.id, 'acknowledged');
  await move(garage.id, 'dispatched');
  // Elevator controller trouble: acknowledged.
  await send('6003', 'YT', '021');
  await move((await find('6003', '021')).id, 'acknowledged');
  // Waiting in the queue: a new fire (3 repeats), perimeter intrusion, gate tamper, an unmapped alarm.
  await send('6002', 'TA', '301');
  await send('7001', 'GA', '009');
  await send('6002', 'BA', '102');
  for (let i = 0; i < 3; i++) await send('6001', 'FA', '023');
  return { fire: (await find('6001', '023')).id, fireHandled: fireB.id };
}

// 值班日志: what the operator writes over a shift, one entry corrected, besides
// the automatic entries the incidents above wrote.
async function populateDutyLog(ids) {
  const op = await apiSession('operator');
  const add = (category, text, extra = {}) => op('POST', 'duty-log', { category, text, ...extra });
  await add('handover', '接班：设备运行正常，1号楼5层电井烟感报警处置中，交班人已说明情况。');
  await add('routine', '巡查监控画面：各出入口、地下车库画面正常，录像存储正常。');
  const visitor = await add('visitor', '访客：2号楼 1203 住户亲属来访，已可视对讲核实，门岗放行。');
  await add('visitor', '更正：应为 2号楼 1302 住户亲属，门岗登记本已同步更正。', { amends_id: visitor.id });
  await add('alarm', '1号楼5层电井冒烟，保安确认有明火，已通知班长并拨打 119，疏散5层住户。', { incident_id: ids.fireHandled });
  await add('equipment', '南门门禁终端读卡偶有失败，已报修，工程部已接单。');
  await add('complaint', '3号楼住户投诉夜间车库出口道闸噪声大，已记录并转管理处。');
}

// 岗位交办: what the center passed to the posts over the shift — done, in
// progress (one for the fire incident) and still waiting.
async function populateHandoffs(ids) {
  const op = await apiSession('operator');
  const guard = await apiSession('guard');
  const areas = (await op('GET', 'areas?limit=500')).items;
  const area = (name) => { const a = areas.find((x) => x.name === name); if (!a) throw new Error(`no demo area ${name}`); return a.id; };
  const pass = (name, text, extra = {}) => op('POST', 'handoffs', { area_id: area(name), text, ...extra });
  const take = (ho) => guard('POST', `handoffs/${ho.id}/take`);
  const done = (ho, result) => guard('POST', `handoffs/${ho.id}/done`, { result });
  const east = await pass('东门门岗', '东门外有一名可疑人员徘徊约 10 分钟，请上前询问并留意其去向。');
  await take(east);
  await done(east, '已到场询问，系 3号楼住户亲属在等人，已电话核实并登记。');
  const fire = await pass('1号楼5层', '请携带灭火器到 1号楼5层电井，确认火情并引导住户从楼梯疏散。', { incident_id: ids.fireHandled });
  await take(fire);
  const garage = await pass('地下车库B1', '车库 B1 出口道闸旁有人翻越栏杆，请巡逻岗前往查看。');
  await take(garage);
  await pass('南门门岗', '南门外电动车乱停，堵住消防通道，请清理并劝离。');
  await pass('小区周界', '周界北侧摄像机画面中有人靠近围墙，请巡逻查看。');
}

// 监控室出入登记 and 报警专线记录: two visitors in the room now, two who have
// left; uses of the fire telephone and the alarm line — emergencies, one
// non-emergency reviewed by the supervisor and two still flagged.
async function populateRegister(ids) {
  const op = await apiSession('operator');
  const sup = await apiSession('supervisor');
  const enter = (name, organisation, purpose, authorised_by) => op('POST', 'room-entries', { name, organisation, purpose, authorised_by });
  const a = await enter('周明', '安泰消防工程公司', '年度检测消防报警主机及联动控制器', 'supervisor');
  await op('POST', `room-entries/${a.id}/out`);
  const b = await enter('吴建国', '管理处', '调取 B1 车库出口 21:00–22:00 录像（车辆剐蹭纠纷）', 'manager');
  await op('POST', `room-entries/${b.id}/out`);
  await enter('刘洋', '海康威视售后', '更换 3 号监视器并校准画面分割', 'supervisor');
  await enter('郑丽', '', '交接夜班钥匙和对讲机', 'shift_leader');
  const use = (body) => op('POST', 'line-uses', body);
  await use({ line: 'fire_phone', direction: 'out', caller: '值班员 王静', number: '119', reason: '1号楼5层电井冒烟，保安确认有明火，报火警并说明小区地址和入口', emergency: true, incident_id: ids.fireHandled });
  await use({ line: 'alarm_line', direction: 'in', caller: '区消防支队指挥中心', number: '96119', reason: '回电核实火警地址，告知消防车已出动', emergency: true, incident_id: ids.fireHandled });
  const r = await use({ line: 'alarm_line', direction: 'out', caller: '值班员 王静', number: '66881234', reason: '用报警专线通知工程部来修门禁', emergency: false });
  await sup('POST', `line-uses/${r.id}/review`, { note: '已提醒：工程报修请用普通电话，专线保持畅通' });
  await use({ line: 'alarm_line', direction: 'in', caller: '快递员', number: '13800005678', reason: '快递员误拨专线询问取件地址，已告知门岗电话', emergency: false });
  await use({ line: 'fire_phone', direction: 'out', caller: '值班员 王静', number: '119', reason: '消防维保人员测试时误触拨号，已向 119 说明并致歉', emergency: false });
}

// name, user to sign in as (null = login screen), route, extra steps
const SCREENS = [
  { name: 'login', user: null },
  { name: 'alarms', user: 'operator', route: '#/alarms', ready: '[data-testid="alarm-row"]' },
  { name: 'incident', user: 'operator', route: () => `#/incidents/${ids.fireHandled}`, ready: '[data-testid="checklist-step"]' },
  { name: 'incident-full', user: 'operator', route: () => `#/incidents/${ids.fireHandled}`, ready: '[data-testid="checklist-step"]', viewport: { width: 1440, height: 2300 } },
  { name: 'incidents', user: 'shift_leader', route: '#/incidents', ready: '[data-testid="incident-row"]' },
  { name: 'overview', user: 'operator', route: '#/overview', ready: '[data-testid="status-breakdown"]' },
  { name: 'areas', user: 'operator', route: '#/areas', ready: '[data-testid="device-row"]' },
  { name: 'contacts', user: 'operator', route: '#/contacts', ready: '[data-testid="contact-row"]' },
  { name: 'residents', user: 'manager', route: '#/residents', ready: '[data-testid="resident-row"]',
    after: async (page) => {
      const btn = page.getByTestId('resident-reveal').nth(1);
      if (await btn.count()) { await btn.click(); await page.getByTestId('resident-revealed').first().waitFor(); }
    } },
  { name: 'duty-log', user: 'operator', route: '#/duty-log', ready: '[data-testid="duty-entry"][data-amended="true"]',
    // The operator's own entries and a correction, below the incidents' automatic ones.
    after: async (page) => { await page.locator('[data-testid="duty-entry"][data-amended="true"]').evaluate((e) => e.scrollIntoView({ block: 'center' })); } },
  // The shift leader both hands off and takes up: the form, 接收 and 回报结果 on one screen.
  { name: 'handoffs', user: 'shift_leader', route: '#/handoffs?view=all', ready: '[data-testid="handoff-row"][data-state="done"]' },
  { name: 'room-entries', user: 'operator', route: '#/room-entries', ready: '[data-testid="re-in-row"]' },
  // The supervisor reviews the flagged uses: 审阅 on each of them.
  { name: 'line-uses', user: 'supervisor', route: '#/line-uses', ready: '[data-testid="lu-row"][data-state="flagged"]' },
  { name: 'users', user: 'admin', route: '#/users', ready: '[data-testid="user-row"]' },
  { name: 'audit', user: 'auditor', route: '#/audit', ready: '[data-testid="audit-row"]',
    after: async (page) => { await page.getByTestId('audit-verify').click(); await page.getByTestId('audit-verify-result').waitFor(); } },
];

async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading"]'), null, { timeout: 10000 }).catch(() => {});
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.waitForTimeout(300);
}

const ids = await populateAlarms();
await populateDutyLog(ids);
await populateHandoffs(ids);
// Complaints and shift handovers: populated, and their screens added (screenshots-duty.mjs).
SCREENS.push(...await (await import('./screenshots-duty.mjs')).default(apiSession));
await populateRegister(ids);
// Roster, training and attendance: a week populated, their screens added (screenshots-roster.mjs).
SCREENS.push(...await (await import('./screenshots-roster.mjs')).default(apiSession));
// Equipment care: check sheets, tickets, camera health, reports, retention (screenshots-equipment.mjs).
SCREENS.push(...await (await import('./screenshots-equipment.mjs')).default(apiSession));
// Escalation checks run every 5 s: let the confirmed fire reach the supervisor and manager.
await new Promise((r) => setTimeout(r, 5500));
const browser = await launch();
let failed = 0;
try {
  for (const lang of ['zh-CN', 'en']) {
    for (const s of SCREENS) {
      const context = await browser.newContext({ viewport: s.viewport || { width: 1440, height: 900 }, locale: lang, deviceScaleFactor: 1 });
      await context.addInitScript((l) => localStorage.setItem('vigil.lang', l), lang);
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      try {
        if (s.user) {
          const res = await page.request.post(`${BASE}/api/v1/session`, { data: { username: s.user, password: PASSWORD } });
          if (!res.ok()) throw new Error(`login as ${s.user}: HTTP ${res.status()}`);
          await page.goto(`${BASE}/${typeof s.route === 'function' ? s.route() : s.route}`);
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

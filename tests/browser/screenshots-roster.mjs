// Screenshots of 排班与值守 / 培训记录 / 考勤, for screenshots.mjs: the current
// site week of three 8-hour shifts for three pairs (four operators and a shift
// leader are added as admin), a relief operator whose fire-alarm training has
// expired, a 12-hour slot, a night left with one person, and the trainings —
// all as the shift leader through the API. Returns the screens to save.
export default async function populateRoster(apiSession) {
  const admin = await apiSession('admin');
  const sl = await apiSession('shift_leader');
  const tz = (await sl('GET', 'me')).site?.timezone || 'Asia/Shanghai';
  const parts = (ms) => Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const at = (ymd, hour) => { // site wall-clock time → instant
    const [y, m, d] = ymd.split('-').map(Number);
    const wall = Date.UTC(y, m - 1, d, hour);
    const p = parts(wall);
    return new Date(wall - (Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute) - wall)).toISOString();
  };
  const day = (ms) => { const p = parts(ms); return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`; };
  const addDays = (ymd, n) => { const [y, m, d] = ymd.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10); };
  const today = day(Date.now());
  const monday = addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
  for (const [username, display_name, role] of [['op_zhang', '值班员 张伟', 'operator'], ['op_liu', '值班员 刘芳', 'operator'], ['op_chen', '值班员 陈杰', 'operator'],
    ['leader_huang', '班长 黄磊', 'shift_leader'], ['op_zhao', '值班员 赵敏', 'operator']]) {
    await admin('POST', 'users', { username, display_name, role, password: 'roster-demo-password' });
  }
  const months = (n) => new Date(Date.now() - n * 30 * 86400000).toISOString();
  const train = (username, course, ago, valid = 12) => sl('POST', 'training', { username, course, attended_at: months(ago), valid_months: valid });
  for (const [u, ago] of [['shift_leader', 4], ['operator', 3], ['op_zhang', 7], ['op_liu', 11.4], ['op_chen', 2], ['leader_huang', 6]]) {
    await train(u, 'system_operation', ago < 11 ? ago : 5);
    await train(u, 'fire_knowledge', ago);
  }
  await train('operator', 'security_awareness', 1, 24);
  await train('shift_leader', 'security_awareness', 9, 24);
  await train('op_zhao', 'system_operation', 2);
  await train('op_zhao', 'fire_knowledge', 14);
  const teams = [['shift_leader', 'operator'], ['leader_huang', 'op_zhang'], ['op_liu', 'op_chen']];
  for (let i = 0; i < 7; i++) {
    const d = addDays(monday, i);
    for (let s = 0; s < 3; s++) {
      for (const u of teams[(i + s) % 3]) {
        const from = s * 8; let who = u; let to = from + 8; let note;
        if (i === 3 && s === 2 && u === 'op_chen') continue;                   // Thursday night: called in sick
        if (i === 5 && s === 0 && u === 'op_liu') { who = 'op_zhao'; note = '替班（刘芳请假）'; }
        if (i === 3 && u === 'op_zhang' && s === 1) { to = 20; note = '加班至 20:00（陈杰病假）'; }
        await sl('POST', 'roster', { username: who, start: at(d, from), end: at(d, to), note });
      }
    }
  }
  return [
    // The shift leader draws up the roster: the week, the coverage strip and the form.
    { name: 'roster', user: 'shift_leader', route: '#/roster', ready: '[data-testid="roster-slot"]' },
    // The supervisor both reads and records training: the form beside the table.
    { name: 'training', user: 'supervisor', route: '#/training', ready: '[data-testid="training-cell"]' },
    // The operator clocks in: the state, the answer and today's report with it.
    { name: 'attendance', user: 'operator', route: '#/attendance', ready: '[data-testid="attendance-row"]',
      after: async (page) => {
        const clock = async (which) => { await page.getByTestId(`clock-${which}`).click(); await page.waitForSelector(`[data-testid="clock-state"][data-state="${which}"]`); };
        await clock('in');
        // The second language finds the operator in already (409): out and in again for the same picture.
        if (await page.locator('[data-testid="clock-msg"][data-kind="conflict"]').count()) { await clock('out'); await clock('in'); }
        await page.waitForTimeout(4000);   // the toasts fade
      } },
  ];
}

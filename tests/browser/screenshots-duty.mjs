// Screens of 投诉与咨询 complaints, 录像调阅 recordings and 交接班 shift handover for
// screenshots.mjs: populates a shift's complaints (closed with stars, 待回访, in
// progress, a major one escalated, open ones), recording requests (a police lend
// lent out, one viewed, one awaiting the manager) and two past handovers (one signed, one forced),
// and returns the SCREENS entries. The handover screens make their own
// pending handover: the shift leader sees it waiting (sign-in box, 强制交接),
// then signs it in on the page (both signatures on one screen), so no
// handover is left pending for the other screens.

import { PASSWORD } from './lib.mjs';

export default async function dutyScreens(apiSession) {
  const op = await apiSession('operator');
  const lead = await apiSession('shift_leader');
  const sup = await apiSession('supervisor');

  // --- Complaints ---------------------------------------------------------------
  const take = (body) => op('POST', 'complaints', body);
  const a = await take({ channel: 'intercom', unit: '3-2-1201', contact_name: '张伟明', contact_phone: '13812345678', category: 'noise',
    description: '楼上 1301 每晚 23 点后拖动家具，噪音很大，影响老人休息' });
  await op('POST', `complaints/${a.id}/assign`, { assignee: 'shift_leader' });
  await lead('POST', `complaints/${a.id}/resolve`, { result: '已上门与 1301 住户沟通，对方承诺 22 点后不再拖动家具，并加装桌椅脚垫' });
  await op('POST', `complaints/${a.id}/return-visit`, { satisfaction: 4, note: '住户表示近三晚已明显改善' });
  const b = await take({ channel: 'phone', unit: '2-1-0302', contact_name: '王芳', contact_phone: '13600002222', category: 'parking',
    description: '自家车位被外来车辆占用（车牌 沪A·3K729），无法停车' });
  await op('POST', `complaints/${b.id}/resolve`, { result: '已联系车主挪车，并通知门岗加强外来车辆登记' });
  await op('POST', `complaints/${b.id}/return-visit`, { satisfaction: 5 });
  const c = await take({ channel: 'walk_in', unit: '1-2-0801', contact_name: '刘建国', contact_phone: '13788889999', category: 'facilities',
    description: '1 号楼 2 单元电梯按钮失灵，8 楼按键按下无反应' });
  await op('POST', `complaints/${c.id}/assign`, { assignee: 'operator' });
  await op('POST', `complaints/${c.id}/resolve`, { result: '已通知电梯维保单位，当日下午更换 8 楼按键板，经测试正常' });
  const d = await take({ channel: 'phone', unit: '3-1-1502', contact_name: '陈静', contact_phone: '13511112222', category: 'hygiene',
    description: '3 号楼北侧垃圾桶两天未清运，气味很大' });
  await op('POST', `complaints/${d.id}/assign`, { assignee: 'shift_leader' });
  await take({ channel: 'intercom', unit: '2-2-1101', contact_name: '周强', contact_phone: '13922223333', category: 'facilities', urgency: 'urgent',
    description: '卫生间天花板漏水，疑似楼上水管破裂' });
  await take({ channel: 'phone', unit: '1-1-0102', contact_name: '李秀英', contact_phone: '13900001111', category: 'security', urgency: 'major',
    description: '地库 B2 消防通道被大量装修垃圾和杂物堵塞，消防车道无法通行' });
  await take({ channel: 'other', unit: '3-3-0601', contact_name: '吴敏', category: 'service',
    description: '咨询：快递柜取件码失效后如何取件' });

  // --- Past handovers -------------------------------------------------------------
  const h1 = await op('POST', 'handovers', { password: PASSWORD, controls_auto: true, note: '夜班正常；3 号监视器偶有闪屏，已报工程部' });
  // The demo roster is empty: the incoming shift is below the minimum, so the shift leader
  // signs with an override and its reason (S1).
  await lead('POST', `handovers/${h1.id}/sign`, { password: PASSWORD, override_reason: '排班表尚未录入，班长确认两名值班员在岗' });
  const h2 = await op('POST', 'handovers', { password: PASSWORD, controls_auto: false, note: 'B1 排烟风机手柄在手动位置，工程部检修中' });
  await sup('POST', `handovers/${h2.id}/force`, { reason: '接班值班员病假未到岗，已电话报告管理处经理，由班长顶岗', override_reason: '人手不足，主管确认由班长顶岗至 08:00' });

  // --- Recording access register (R3.4.3) -------------------------------------------
  const mgr = await apiSession('manager');
  const areas = (await op('GET', 'areas?limit=500')).items;
  const garage = areas.find((x) => x.kind === 'garage');
  const ago = (h) => new Date(Date.now() - h * 3600 * 1000).toISOString();
  const police = await op('POST', 'recordings', { kind: 'lend', requester_name: '李警官', requester_org: '城关派出所', requester_id: '110101198805203214',
    phone: '13912345678', purpose: '调查 B1 车库车辆被剐蹭案件，需拷贝录像作为证据', area_id: garage ? garage.id : undefined, cameras: 'B1 入口、B1-12 车位枪机',
    from: ago(20), to: ago(18) });
  await mgr('POST', `recordings/${police.id}/decide`, { approve: true, note: '同意，核验警官证后拷贝，登记 U 盘编号' });
  await op('POST', `recordings/${police.id}/lend`, { medium: 'usb', copy_ref: 'U-07', due_back: new Date(Date.now() + 2 * 86400000).toISOString() });
  const viewed = await op('POST', 'recordings', { kind: 'view', requester_name: '吴建国', requester_org: '管理处', purpose: '核查南门道闸被撞经过',
    cameras: '南门门岗 1 号枪机', from: ago(30), to: ago(29) });
  await mgr('POST', `recordings/${viewed.id}/decide`, { approve: true });
  await op('POST', `recordings/${viewed.id}/view`, { note: '已在监控中心陪同查看，未拷贝' });
  const asked = await op('POST', 'recordings', { kind: 'view', requester_name: '王芳', requester_org: '2-1-0302 住户', requester_id: '310104199203154428',
    phone: '13600002222', purpose: '查看自家电动车在车棚被挪动的经过', cameras: '3 号楼车棚半球', from: ago(10), to: ago(8) });

  const lastPending = async () => {
    const list = await op('GET', 'handovers?pending=1');
    return list.items[0] || null;
  };

  return [
    { name: 'complaints', user: 'operator', route: '#/complaints', ready: '[data-testid="cp-stats-row"]' },
    // The manager on the 待回访 one: the contact revealed, the return-visit form with stars.
    { name: 'complaint', user: 'manager', route: `#/complaints/${c.id}`, ready: '[data-testid="cp-visit-form"]',
      after: async (page) => {
        await page.getByTestId('cp-reveal').click();
        await page.waitForSelector('[data-testid="cp-contact-panel"][data-revealed="true"]');
        await page.getByTestId('cp-star-5').click();
      } },
    // 录像调阅: the register (a police lend out, a request awaiting the manager, one viewed) and
    // the manager deciding the resident's request, her contact shown in full.
    { name: 'recordings', user: 'operator', route: '#/recordings?state=all', ready: '[data-testid="rc-row"]' },
    { name: 'recording', user: 'manager', route: `#/recordings/${asked.id}`, ready: '[data-testid="rc-decide-form"]',
      after: async (page) => {
        await page.getByTestId('rc-reveal').click();
        await page.waitForSelector('[data-testid="rc-contact-panel"][data-revealed="true"]');
      } },
    // A handover waiting for the incoming signature, as the shift leader sees it.
    { name: 'handover-pending', user: 'shift_leader', route: '#/handover', ready: '[data-testid="hv-start"], [data-testid="hv-pending"]',
      after: async (page) => {
        if (!(await lastPending())) {
          await op('POST', 'handovers', { password: PASSWORD, controls_auto: true, note: '2 号楼 5 层烟感报警已复位，待工程部明早更换探头；监控室内有消防维保人员' });
        }
        await page.getByTestId('hv-pending').waitFor();
        await page.getByTestId('handover-banner').waitFor();
      } },
    // The shift leader signs it in: both signatures on one screen.
    { name: 'handover', user: 'shift_leader', route: '#/handover', ready: '[data-testid="hv-pending"]',
      after: async (page) => {
        await page.getByTestId('hv-sign-password').fill(PASSWORD);
        await page.getByTestId('hv-sign-submit').click();
        await page.getByTestId('hv-done').waitFor();
        await page.getByTestId('hv-item').first().waitFor();
        await page.waitForTimeout(3800);   // the toast fades
      } },
  ];
}

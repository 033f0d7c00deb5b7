// Screenshots of equipment care, for screenshots.mjs: the equipment page, the check calendar,
// the fire equipment daily check on a tablet (1024x768), fault tickets (the list and one
// ticket with its timeline), camera health, the daily report and the retention policy. The
// demo already holds filled sheets, tickets in several states and cameras with problems; the
// daily report is the day so far. Returns the screens to save.
export default async function populateEquipment(apiSession) {
  const op = await apiSession('operator');
  const templates = (await op('GET', 'checks/templates')).items;
  const daily = templates.find((x) => x.code === 'fire_daily') || templates[0];
  const tickets = (await op('GET', 'tickets?limit=50')).items;
  const shown = tickets.find((x) => x.state === 'assigned') || tickets[0];
  return [
    { name: 'equipment', user: 'operator', route: '#/equipment', ready: '[data-testid="eq-device"]' },
    { name: 'checks', user: 'operator', route: '#/checks', ready: '[data-testid="ck-calendar"]' },
    { name: 'check-fill', user: 'operator', route: `#/checks/${daily.id}`, ready: '[data-testid="fill-form"]', viewport: { width: 1024, height: 768 } },
    { name: 'tickets', user: 'operator', route: '#/tickets', ready: '[data-testid="ticket-row"]' },
    { name: 'ticket', user: 'engineer', route: `#/tickets/${shown.id}`, ready: '[data-testid="tk-timeline"]' },
    { name: 'cameras', user: 'operator', route: '#/cameras', ready: '[data-testid="cam-card"]' },
    { name: 'reports', user: 'manager', route: '#/reports', ready: '[data-testid="report-sheet"]' },
    { name: 'retention', user: 'admin', route: '#/retention', ready: '[data-testid="ret-policy-table"]' },
  ];
}

// 设备维护 Equipment (#/equipment, S4): every device with its state, its open
// fault tickets and its downtime over the last 30 days (from the tickets'
// reported → verified intervals); devices needing repair first. Reporting a
// fault (ticket.write) opens a ticket and puts the device in fault.

import { t, tEnum } from '../i18n.js';
import * as api from '../api.js';
import { h, mount, pageHeader, loadingState, errorBanner, emptyState, statusBadge, toast } from '../ui.js';
import { ticketStateBadge, duration } from '../equipment-ui.js';
import { ticketTitle } from '../equipment-text.js';

const DAYS = 30;

export default function equipmentPage(el, ctx) {
  let destroyed = false;
  const listHost = h('div', loadingState());
  const formHost = h('div');
  mount(el, pageHeader(t('eq.equipmentTitle'), t('eq.equipmentSubtitle')),
    h('div.eq-grid', h('section.panel', { testid: 'eq-devices' }, listHost), h('aside', formHost)));

  async function load() {
    try {
      const from = new Date(Date.now() - DAYS * 86400000).toISOString();
      const [devs, tks] = await Promise.all([
        api.listAll('devices'),
        ctx.can('ticket.read') ? api.listAll('tickets', { state: 'open' }) : Promise.resolve({ items: [] }),
      ]);
      const devices = devs.items;
      const tickets = tks.items;
      const open = new Map();
      for (const tk of tickets) if (tk.device_id) {
        if (!open.has(tk.device_id)) open.set(tk.device_id, []);
        open.get(tk.device_id).push(tk);
      }
      const down = new Map();
      if (ctx.can('ticket.read')) {
        const recent = await api.list('tickets', { limit: 500 });
        const ids = [...new Set(recent.items.filter((x) => x.device_id && x.downtime_ms > 0).map((x) => x.device_id))];
        await Promise.all(ids.map(async (d) => {
          const r = await api.get(`${api.API}/devices/${d}/downtime`, { from });
          down.set(d, r.downtime_ms);
        }));
      }
      if (destroyed) return;
      render(devices, open, down);
      renderForm(devices);
    } catch (err) {
      if (!destroyed) mount(listHost, errorBanner(err, load));
    }
  }

  function render(devices, open, down) {
    if (!devices.length) { mount(listHost, emptyState(t('eq.noDevices'))); return; }
    const rank = (d) => (open.has(d.id) ? 0 : d.status === 'normal' ? 2 : 1);
    const sorted = [...devices].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
    mount(listHost, h('div.eq-rows', sorted.map((d) => h('div.eq-row', { testid: 'eq-device', dataset: { code: d.code || '', status: d.status } },
      h('div.eq-name', h('strong', d.name), h('span.eq-area', `${tEnum('deviceKind', d.kind)} · ${d.area_name || ''}`)),
      statusBadge(d.status),
      h('span.eq-down', { title: t('eq.downtime30') }, down.has(d.id) ? duration(down.get(d.id)) : ''),
      h('div.eq-tickets', (open.get(d.id) || []).map((tk) => h('a.eq-ticket', { href: `#/tickets/${tk.id}`, testid: 'eq-ticket' },
        `#${tk.id} ${ticketTitle(tk.title, tk.title_en)}`, ticketStateBadge(tk.state))))))));
  }

  function renderForm(devices) {
    if (!ctx.can('ticket.write')) { mount(formHost); return; }
    const dev = h('select.select.eq-touch', { testid: 'eq-report-device' },
      h('option', { value: '' }, t('eq.siteWide')), devices.map((d) => h('option', { value: d.id }, `${d.name} (${d.code || d.id})`)));
    const title = h('input.input.eq-touch', { testid: 'eq-report-title', maxlength: 200 });
    const detail = h('textarea.input', { testid: 'eq-report-detail', rows: 3 });
    const err = h('div.field-error', { testid: 'eq-report-error', hidden: true });
    const btn = h('button.btn.btn-primary.eq-touch', { type: 'submit', testid: 'eq-report-submit' }, t('eq.reportFault'));
    mount(formHost, h('form.panel.eq-report', { testid: 'eq-report', onsubmit: async (e) => {
      e.preventDefault();
      btn.disabled = true;
      err.hidden = true;
      const body = { title: title.value.trim() };
      if (dev.value) body.device_id = Number(dev.value);
      if (detail.value.trim()) body.detail = detail.value.trim();
      try {
        const tk = await api.post(`${api.API}/tickets`, body);
        toast(t('eq.reportedToast', { id: tk.id }));
        location.hash = `#/tickets/${tk.id}`;
      } catch (ex) {
        btn.disabled = false;
        const fe = ex.fieldErrors ? ex.fieldErrors() : {};
        err.textContent = Object.values(fe)[0] || ex.title;
        err.hidden = false;
      }
    } }, h('h2', t('eq.reportFault')),
    h('label.tk-field', h('span', t('eq.device')), dev),
    h('label.tk-field', h('span', t('eq.field.title')), title),
    h('label.tk-field', h('span', t('eq.detail')), detail), btn, err));
  }

  load();
  return {
    onEvent(ev) { if (ev.type === 'ticket' || ev.type === 'device.status') load(); },
    destroy() { destroyed = true; },
  };
}

// Vigil console: bootstrap, login screen, application shell, hash routing.

import { t, lang, setLang, onLangChange, tEnum, LANGS } from './i18n.js';
import * as api from './api.js';
import { h, mount, icon, loadingState, errorBanner, emptyState, setTimeZone, timeZone, formatTime, formatDate } from './ui.js';
import { LiveStream } from './stream.js';
import { PAGES } from './pages/index.js';
import * as alarmCenter from './alarm-center.js';
import * as siren from './siren.js';
import * as handoffCenter from './handoff-center.js';
import * as handoverCenter from './handover-center.js';

const root = document.getElementById('root');

const state = {
  user: null,
  site: null,
  screen: 'boot',          // boot | login | app
  loginNotice: null,       // {kind, text}
  stream: null,
  live: 'offline',
  events: [],              // recent live events, newest first (for the overview feed)
  page: null,              // {id, instance}
  clockTimer: 0,
};

const eventListeners = new Set();

export function can(perm) {
  return !!(state.user && Array.isArray(state.user.permissions) && state.user.permissions.includes(perm));
}

function allowedPages() {
  return PAGES.filter((p) => !p.perm || can(p.perm));
}

// --- Language switch --------------------------------------------------------

function langSwitch() {
  return h('div.lang-switch', { testid: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
    LANGS.map((l) => h('button.lang-opt', {
      type: 'button',
      dataset: { lang: l },
      testid: `lang-${l}`,
      'aria-pressed': String(l === lang()),
      class: l === lang() ? 'active' : '',
      title: t(`lang.${l}.long`),
      onclick: () => setLang(l),
    }, t(`lang.${l}`))));
}

function brand(large = false) {
  return h(`div.brand${large ? '.brand-lg' : ''}`,
    icon('shield', 'brand-icon'),
    h('div.brand-text',
      h('span.brand-name', { testid: 'product-name' }, h('span.brand-zh', '维吉尔'), ' ', h('span.brand-en', 'Vigil')),
      large ? h('span.brand-tag', t('app.tagline')) : null));
}

// --- Login ---------------------------------------------------------------------

let lockTimer = 0;

function renderLogin(prefill = {}) {
  state.screen = 'login';
  document.title = `${t('login.submit')} · ${t('app.name')}`;
  clearInterval(lockTimer);
  const err = h('div.login-error', { testid: 'login-error', role: 'alert', hidden: true });
  const notice = state.loginNotice
    ? h(`div.login-notice.notice-${state.loginNotice.kind}`, { testid: 'login-notice', role: 'status' }, t(state.loginNotice.key))
    : null;
  const user = h('input.input', { id: 'login-username', name: 'username', autocomplete: 'username', testid: 'login-username',
    required: true, autocapitalize: 'none', spellcheck: 'false', value: prefill.username || '' });
  const pass = h('input.input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
    testid: 'login-password', required: true, value: prefill.password || '' });
  const submit = h('button.btn.btn-primary.btn-block', { type: 'submit', testid: 'login-submit' }, t('login.submit'));

  const showError = (text) => { err.textContent = text; err.hidden = false; };

  const form = h('form.login-form', { testid: 'login-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const username = user.value.trim();
    const password = pass.value;
    if (!username || !password) { showError(t('login.required')); (username ? pass : user).focus(); return; }
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      const res = await api.login(username, password);
      state.loginNotice = null;
      await startSession(res && res.user);
    } catch (ex) {
      submit.disabled = false;
      submit.textContent = t('login.submit');
      if (ex.status === 429) {
        let secs = parseInt((ex.headers && ex.headers.get('Retry-After')) || '', 10);
        if (Number.isFinite(secs) && secs > 0) {
          err.dataset.retryAfter = String(secs);
          const tick = () => {
            if (secs <= 0) { clearInterval(lockTimer); err.hidden = true; submit.disabled = false; return; }
            showError(t('login.lockedOut', { seconds: secs }));
            secs -= 1;
          };
          submit.disabled = true;
          clearInterval(lockTimer);
          tick();
          lockTimer = setInterval(tick, 1000);
        } else {
          showError(ex.problem && ex.problem.title ? ex.problem.title : t('login.lockedOutNoTime'));
        }
        err.dataset.type = ex.type || 'locked-out';
      } else {
        // 401 /problems/invalid-credentials: the server's own (localised) title.
        showError(ex.title);
        err.dataset.type = ex.type || '';
        pass.value = '';
        pass.focus();
      }
    }
  } },
  h('div.field', h('label', { for: 'login-username' }, t('login.username')), user),
  h('div.field', h('label', { for: 'login-password' }, t('login.password')), pass),
  err,
  submit);

  mount(root, h('div.login-screen', { testid: 'login-screen' },
    h('div.login-bg', { 'aria-hidden': 'true' }),
    h('div.login-top', langSwitch()),
    h('main.login-card',
      brand(true),
      h('h1.login-title', t('login.title')),
      h('p.login-sub', t('login.subtitle')),
      notice,
      form),
    h('footer.login-foot', t('login.footer'))));
  (prefill.username ? pass : user).focus();
}

// --- Session ----------------------------------------------------------------------

async function startSession(userFromLogin) {
  let meRes;
  try {
    meRes = await api.me();
  } catch (ex) {
    if (ex.status === 401) { showLogin(); return; }
    if (!userFromLogin) throw ex;
    meRes = { user: userFromLogin, site: null };
  }
  state.user = meRes.user || userFromLogin;
  state.site = meRes.site || null;
  setTimeZone((state.site && state.site.timezone) || 'Asia/Shanghai');
  state.events = [];
  if (can('incident.read')) alarmCenter.start();
  if (can('handoff.take')) handoffCenter.start();
  if (can('duty.read')) handoverCenter.start();
  startStream();
  renderShell();
  route();
}

function startStream() {
  if (state.stream) state.stream.stop();
  state.stream = new LiveStream({
    onState: (s) => { state.live = s; updateLiveIndicator(); alarmCenter.onStreamState(s); handoffCenter.onStreamState(s); },
    onEvent: (ev) => {
      alarmCenter.handleEvent(ev);
      handoffCenter.handleEvent(ev);
      handoverCenter.handleEvent(ev);
      state.events.unshift({ ...ev, at: new Date() });
      if (state.events.length > 50) state.events.length = 50;
      for (const fn of eventListeners) { try { fn(ev); } catch (e) { console.error(e); } }
    },
    onUnauthenticated: () => sessionExpired(),
  });
  state.stream.start();
}

function stopSession() {
  if (state.stream) { state.stream.stop(); state.stream = null; }
  alarmCenter.stop();
  handoffCenter.stop();
  handoverCenter.stop();
  destroyPage();
  clearInterval(state.clockTimer);
  clearInterval(state.healthTimer);
  state.user = null;
  state.site = null;
  state.events = [];
}

function showLogin(notice = null) {
  stopSession();
  state.loginNotice = notice;
  renderLogin();
}

function sessionExpired() {
  if (state.screen !== 'app') return;
  showLogin({ kind: 'warn', key: 'login.sessionExpired' });
}

async function doLogout() {
  const btn = root.querySelector('[data-testid="logout"]');
  if (btn) btn.disabled = true;
  await api.logout();
  showLogin({ kind: 'info', key: 'login.loggedOut' });
}

api.onUnauthenticated(() => sessionExpired());

// --- Shell -------------------------------------------------------------------------

function updateLiveIndicator() {
  const el = root.querySelector('[data-testid="live-indicator"]');
  if (!el) return;
  el.dataset.state = state.live;
  el.title = t(`live.title.${state.live}`);
  el.querySelector('.live-text').textContent = t(`live.${state.live}`);
}

// Top bar: unacknowledged-alarm pill and sound toggle; nav badge on 报警台.
function updateAlarmIndicators() {
  if (state.screen !== 'app') return;
  const c = alarmCenter.counts();
  const pill = root.querySelector('[data-testid="alarm-pill"]');
  if (pill) {
    pill.dataset.count = String(c.new);
    pill.dataset.level = c.new ? (c.topNew === 1 ? 'p1' : 'alert') : 'clear';
    pill.title = c.new ? t('top.alarmsTitle', { n: c.new }) : t('top.alarmsClear');
    pill.querySelector('.alarm-pill-text').textContent = c.new ? t('top.alarmsNew', { n: c.new }) : t('top.alarmsNone');
  }
  const badge = root.querySelector('[data-testid="nav-badge-alarms"]');
  if (badge) {
    badge.textContent = c.new ? String(c.new) : '';
    badge.hidden = c.new === 0;
    badge.classList.toggle('nav-badge-p1', c.topNew === 1);
  }
  const snd = root.querySelector('[data-testid="alarm-sound"]');
  if (snd) {
    const s = alarmCenter.soundState();
    snd.dataset.state = s;
    snd.dataset.alerts = String(alarmCenter.alertCount());
    snd.setAttribute('aria-pressed', String(s === 'muted'));
    snd.title = t(`sound.title.${s}`);
    mount(snd, icon(s === 'muted' ? 'volumeOff' : 'volume'), h('span.sound-text', t(`sound.${s}`)));
  }
}
alarmCenter.onChange(updateAlarmIndicators);

// Nav badge on 岗位交办 for those who take hand-offs up: how many wait for a guard.
function updateHandoffBadge() {
  const badge = root.querySelector('[data-testid="nav-badge-handoffs"]');
  if (!badge) return;
  const n = handoffCenter.isActive() ? handoffCenter.counts().waiting : 0;
  badge.textContent = n ? String(n) : '';
  badge.hidden = n === 0;
  badge.title = n ? t('handoffs.badgeTitle', { n }) : '';
}
handoffCenter.onChange(updateHandoffBadge);

function soundToggle() {
  const s = alarmCenter.soundState();
  if (s === 'blocked') { siren.unlock(); updateAlarmIndicators(); return; }
  if (s === 'unsupported') return;
  alarmCenter.setMuted(s !== 'muted');
}

function tickClock() {
  const el = root.querySelector('[data-testid="clock"]');
  if (!el) return;
  const now = new Date();
  el.querySelector('.clock-time').textContent = formatTime(now);
  el.querySelector('.clock-date').textContent = formatDate(now);
}

function navSections() {
  const pages = allowedPages();
  const sections = [];
  for (const p of pages) {
    let s = sections.find((x) => x.id === p.section);
    if (!s) { s = { id: p.section, pages: [] }; sections.push(s); }
    s.pages.push(p);
  }
  return sections;
}

function renderShell() {
  state.screen = 'app';
  const u = state.user;
  const site = state.site;
  clearInterval(state.clockTimer);
  const liveEl = h('div.live', { testid: 'live-indicator', dataset: { state: state.live }, title: t(`live.title.${state.live}`) },
    h('span.live-dot', { 'aria-hidden': 'true' }), h('span.live-text', t(`live.${state.live}`)));
  const topbar = h('header.topbar', { testid: 'topbar' },
    h('div.topbar-left', brand(false),
      site ? h('div.site', { title: site.address || '' }, h('span.site-sep', { 'aria-hidden': 'true' }), h('span.site-name', { testid: 'site-name' }, site.name)) : null),
    h('div.topbar-right',
      h('div.clock', { testid: 'clock', title: t('top.clockTitle', { tz: timeZone() }) },
        h('span.clock-time'), h('span.clock-date')),
      can('incident.read') ? h('a.alarm-pill', { href: '#/alarms', testid: 'alarm-pill', dataset: { count: '0', level: 'clear' } },
        icon('bell'), h('span.alarm-pill-text')) : null,
      can('incident.read') ? h('button.btn.btn-ghost.btn-sm.sound-toggle', { type: 'button', testid: 'alarm-sound', onclick: soundToggle }) : null,
      liveEl,
      h('div.user', { title: t('top.user') },
        h('span.avatar', { 'aria-hidden': 'true' }, (u.display_name || u.username || '?').slice(0, 1).toUpperCase()),
        h('div.user-text',
          h('span.user-name', { testid: 'user-name' }, u.display_name || u.username),
          h('span.user-role', { testid: 'user-role', dataset: { role: u.role } }, tEnum('role', u.role)))),
      langSwitch(),
      h('button.btn.btn-ghost.btn-sm.logout', { type: 'button', testid: 'logout', title: t('top.logout'), 'aria-label': t('top.logout'), onclick: doLogout }, icon('logout'), h('span', t('top.logout')))));

  const nav = h('nav.sidenav', { testid: 'nav', 'aria-label': t('nav.label') },
    navSections().map((s) => h('div.nav-section',
      h('div.nav-section-title', t(`nav.section.${s.id}`)),
      s.pages.map((p) => h('a.nav-item', { href: `#/${p.id}`, testid: `nav-${p.id}`, dataset: { page: p.id } },
        icon(p.icon), h('span', t(`nav.${p.id}`)),
        p.badge ? h('span.nav-badge', { testid: `nav-badge-${p.id}`, hidden: true }) : null)))),
    h('div.nav-foot', h('span.nav-foot-tz', timeZone())));

  const main = h('main.content', { id: 'content', testid: 'content', tabindex: '-1' });
  mount(root, h('div.shell', { testid: 'app-shell' }, topbar, h('div.body', nav, main)));
  tickClock();
  state.clockTimer = setInterval(tickClock, 1000);
  updateAlarmIndicators();
  updateHandoffBadge();
  handoverCenter.paint();
  checkHealth();
  clearInterval(state.healthTimer);
  state.healthTimer = setInterval(checkHealth, 10000);
}

// The store cannot commit (disk full, I/O error): say so on every screen until it recovers.
async function checkHealth() {
  let ok = true;
  try {
    const res = await fetch('/healthz', { credentials: 'same-origin', cache: 'no-store' });
    ok = res.ok && (await res.json()).status === 'ok';
  } catch (e) {
    ok = true; /* the live indicator already shows a lost connection */
  }
  const shell = root.querySelector('[data-testid="app-shell"]');
  if (!shell) return;
  let banner = shell.querySelector('[data-testid="store-banner"]');
  if (!ok && !banner) {
    banner = h('div.store-banner', { testid: 'store-banner', role: 'alert' }, icon('alert'), h('span', t('health.storeDown')));
    shell.insertBefore(banner, shell.children[1] || null);
  } else if (ok && banner) {
    banner.remove();
  }
}

// --- Routing --------------------------------------------------------------------

function destroyPage() {
  if (state.page && state.page.instance && state.page.instance.destroy) {
    try { state.page.instance.destroy(); } catch (e) { console.error(e); }
  }
  if (state.page && state.page.unsub) state.page.unsub();
  state.page = null;
}

// #/page, #/page?query, #/page/SUB (one record, e.g. #/incidents/12).
function currentRoute() {
  const m = /^#\/([\w-]+)(?:\/([\w-]+))?(?:\?(.*))?$/.exec(location.hash || '');
  return m ? { id: m[1], sub: m[2] || '', params: new URLSearchParams(m[3] || '') } : { id: '', sub: '', params: new URLSearchParams() };
}

function route() {
  if (state.screen !== 'app') return;
  const pages = allowedPages();
  const { id, sub, params } = currentRoute();
  const content = root.querySelector('#content');
  if (!content) return;
  if (!id) {
    if (pages.length) { location.replace(`#/${pages[0].id}`); return; }
  }
  destroyPage();
  for (const a of root.querySelectorAll('.nav-item')) {
    const on = a.dataset.page === id;
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (!pages.length) {
    mount(content, emptyState(t('app.noPages'), t('app.noPagesHint')));
    return;
  }
  const page = PAGES.find((p) => p.id === id && (!sub || p.detail));
  if (!page || (page.perm && !can(page.perm))) {
    const msg = page ? t('app.pageForbidden') : t('app.pageNotFound');
    mount(content, h('div.page', { testid: 'page-unavailable' },
      emptyState(msg),
      h('p.center', h('a.btn.btn-ghost', { href: `#/${pages[0].id}` }, t('app.backHome')))));
    return;
  }
  document.title = `${t(`nav.${page.id}`)} · ${t('app.name')}`;
  const view = sub ? page.detail : page;
  const ctx = {
    user: state.user,
    site: state.site,
    can,
    params,
    sub,
    events: () => state.events,
    live: () => state.live,
    setParams: (p) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
      const s = qs.toString();
      const hash = `#/${page.id}${sub ? '/' + sub : ''}${s ? '?' + s : ''}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
    },
  };
  const holder = { id: view.id, instance: null, unsub: null };
  state.page = holder;
  mount(content, h('div.page', { testid: `page-${view.id}` }, loadingState()));
  const pageEl = content.firstChild;
  try {
    holder.instance = view.render(pageEl, ctx) || null;
  } catch (e) {
    console.error(e);
    mount(pageEl, errorBanner({ title: t('common.error') }));
  }
  if (holder.instance && holder.instance.onEvent) {
    const fn = (ev) => holder.instance.onEvent(ev);
    eventListeners.add(fn);
    holder.unsub = () => eventListeners.delete(fn);
  }
  content.scrollTop = 0;
}

window.addEventListener('hashchange', route);

onLangChange(() => {
  if (state.screen === 'login') {
    const u = root.querySelector('[data-testid="login-username"]');
    const p = root.querySelector('[data-testid="login-password"]');
    renderLogin({ username: u ? u.value : '', password: p ? p.value : '' });
  } else if (state.screen === 'app') {
    renderShell();
    updateLiveIndicator();
    route();
  } else if (state.screen === 'error') {
    boot();
  }
});

// --- Boot -----------------------------------------------------------------------

async function boot() {
  document.documentElement.lang = lang();
  state.screen = 'boot';
  mount(root, h('div.boot', { testid: 'boot' }, loadingState(t('app.loading'))));
  try {
    await startSession(null);
  } catch (ex) {
    if (ex && ex.status === 401) { showLogin(); return; }
    state.screen = 'error';
    mount(root, h('div.boot', { testid: 'boot-error' },
      h('div.boot-card', brand(true),
        errorBanner(ex && ex.status ? ex : { title: t('app.bootError') }, () => boot()),
        h('div.login-top', langSwitch()))));
  }
}

boot();

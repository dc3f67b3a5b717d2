// The shell: hash router, nav bar, login gate, timezone setting. Pages are ES modules in pages/.
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { h, clear, uid } from './components/dom.js';
import { toast, showError } from './components/toast.js';
import { openModal } from './components/modal.js';

/** Nav order of the contract; admin only for administrators. */
const PAGES = [
  { name: 'streams', label: 'Streams' },
  { name: 'lake', label: 'Lake' },
  { name: 'sql', label: 'SQL' },
  { name: 'analyses', label: 'Analyses' },
  { name: 'discover', label: 'Discover' },
  { name: 'visualize', label: 'Visualize' },
  { name: 'dashboards', label: 'Dashboards' },
  { name: 'admin', label: 'Admin', admin: true },
];
const DEFAULT_PAGE = 'sql';
const TZ_KEY = 'tributary.timezone';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let cleanup = null;
let user = null;
let routeSeq = 0;

function timezone() {
  try {
    return localStorage.getItem(TZ_KEY) || 'UTC';
  } catch {
    return 'UTC';
  }
}

const ctx = {
  api,
  get user() { return user; },
  get isAdmin() { return isAdmin(user); },
  navigate(hash) {
    const target = hash.startsWith('#') ? hash : `#${hash}`;
    if (location.hash === target) route();
    else location.hash = target;
  },
  timezone,
  toast,
  showError,
};

/** The server evaluates the roles (GET /api/session → canAdminister); names alone can mislead. */
function isAdmin(u) {
  return Boolean(u && u.canAdminister);
}

function parseHash() {
  const full = (location.hash || '').replace(/^#\/?/, '');
  const q = full.indexOf('?');
  const raw = q < 0 ? full : full.slice(0, q);
  ctx.query = new URLSearchParams(q < 0 ? '' : full.slice(q + 1));
  const parts = raw.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return { page: parts[0] || '', params: parts.slice(1) };
}

async function loadUser() {
  try {
    const me = await api.get('/api/whoami');
    user = { name: me.name, roles: me.roles || [], kind: me.kind };
    if (me.csrfToken) setCsrfToken(me.csrfToken);
    try {
      const session = await api.get('/api/session');
      if (session && session.csrfToken) setCsrfToken(session.csrfToken);
      user.canAdminister = Boolean(session && session.canAdminister);
    } catch {
      // sessions may not exist (authentication off or an access key): nothing to do
    }
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      user = null;
      return false;
    }
    throw e;
  }
}

function renderNav(active) {
  clear(nav);
  if (!user) {
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const links = PAGES.filter((p) => !p.admin || isAdmin(user)).map((p) =>
    h('a', { href: `#/${p.name}`, class: p.name === active ? 'active' : '', 'aria-current': p.name === active ? 'page' : null }, p.label));
  const tzId = uid('tz');
  const zones = (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []).filter((z) => z !== 'UTC');
  const tz = h('select', { id: tzId, class: 'tz', title: 'Time zone for times shown in the UI' },
    h('option', { value: 'UTC' }, 'UTC'), zones.map((z) => h('option', { value: z }, z)));
  tz.value = timezone();
  tz.addEventListener('change', () => {
    localStorage.setItem(TZ_KEY, tz.value);
    toast(`Times are shown in ${tz.value}`);
    route();
  });
  const account = h('div', { class: 'account' },
    h('label', { for: tzId, class: 'muted' }, 'Time zone'), tz,
    user.kind === 'ANONYMOUS'
      ? h('span', { class: 'badge warn', title: 'The server runs with --no-auth' }, 'authentication off')
      : [
        h('span', { class: 'user', title: (user.roles || []).join(', ') }, user.name),
        user.kind === 'USER' ? h('button', { type: 'button', class: 'link', onclick: changePassword }, 'Change password') : null,
        h('button', { type: 'button', class: 'link', id: 'logout', onclick: logout }, 'Log out'),
      ]);
  nav.append(h('a', { href: '#/', class: 'brand' }, 'Tributary'), h('nav', { 'aria-label': 'Main' }, links), account);
}

async function logout() {
  try {
    await api.del('/api/session');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) toast(`Logout: ${e.message}`, 'error');
  }
  user = null;
  setCsrfToken(null);
  ctx.navigate('#/login');
}

function changePassword() {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  openModal({
    title: 'Change password',
    body(el) {
      for (const [label, input] of [['Current password', current], ['New password', next], ['Repeat new password', again]]) {
        input.id = uid('pw');
        el.append(h('div', { class: 'field' }, h('label', { for: input.id }, label), input));
      }
    },
    actions: [{
      label: 'Change password',
      primary: true,
      async onClick() {
        const box = current.closest('.modal-body');
        if (next.value !== again.value) {
          showError(box, new Error('The two new passwords differ.'));
          return false;
        }
        try {
          await api.post('/api/session/password', { current: current.value, new: next.value });
          toast('Password changed; your other sessions were logged out');
          return true;
        } catch (e) {
          showError(box, e);
          return false;
        }
      },
    }],
  });
}

async function mountPage(name, params) {
  const seq = ++routeSeq;
  if (cleanup) {
    try { cleanup(); } catch (e) { console.warn('page cleanup failed', e); }
    cleanup = null;
  }
  clear(main);
  main.className = `page page-${name}`;
  main.dataset.page = name;
  let mod;
  try {
    mod = await import(`./pages/${name}.js`);
  } catch (e) {
    if (seq !== routeSeq) return;
    const known = PAGES.some((p) => p.name === name) || name === 'login';
    main.append(h('section', { class: 'unavailable' },
      h('h1', {}, known ? 'Page not available' : 'No such page'),
      h('p', {}, known ? `The ${name} page is not part of this build.` : `There is no page '${name}'.`),
      h('p', {}, h('a', { href: `#/${DEFAULT_PAGE}` }, 'Go to the SQL workspace'))));
    return;
  }
  if (seq !== routeSeq) return;
  const page = mod.default;
  document.title = `${page.title || name} · Tributary`;
  try {
    const c = await page.mount(main, ctx, params);
    if (seq !== routeSeq) {
      if (typeof c === 'function') c();
      return;
    }
    cleanup = typeof c === 'function' ? c : null;
  } catch (e) {
    showError(main, e);
  }
}

async function route() {
  const { page, params } = parseHash();
  if (page === 'login') {
    if (user && user.kind === 'ANONYMOUS') return ctx.navigate(`#/${DEFAULT_PAGE}`);
    renderNav(null);
    return mountPage('login', params);
  }
  if (!user) {
    const ok = await loadUser();
    if (!ok) {
      const back = location.hash && !location.hash.startsWith('#/login') ? location.hash : '';
      sessionStorage.setItem('tributary.afterLogin', back);
      return ctx.navigate('#/login');
    }
  }
  if (!page) return ctx.navigate(`#/${DEFAULT_PAGE}`);
  const entry = PAGES.find((p) => p.name === page);
  renderNav(page);
  if (entry && entry.admin && !isAdmin(user)) {
    clear(main).append(h('section', {}, h('h1', {}, 'Administrators only'), h('p', {}, 'Ask an administrator for a role that may manage users or roles.')));
    return null;
  }
  return mountPage(page, params);
}

/** Called by the login page once a session exists. */
ctx.loggedIn = async function loggedIn(session) {
  if (session && session.csrfToken) setCsrfToken(session.csrfToken);
  user = null;
  await loadUser();
  const back = sessionStorage.getItem('tributary.afterLogin');
  sessionStorage.removeItem('tributary.afterLogin');
  ctx.navigate(back || `#/${DEFAULT_PAGE}`);
};

setUnauthorizedHandler(() => {
  // Only a session that existed can end; the first check before logging in is not news.
  if (user && user.kind !== 'ANONYMOUS' && parseHash().page !== 'login') {
    user = null;
    toast('Your session has ended: please log in again.', 'error');
    ctx.navigate('#/login');
  }
});


window.addEventListener('hashchange', route);
route().catch((e) => showError(main, e));

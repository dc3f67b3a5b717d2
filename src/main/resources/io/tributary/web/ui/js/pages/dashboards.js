// Dashboards: a 12-column grid of saved visuals (SQL and search), a global time range with
// auto-refresh, sharing, and a view-only mode.
import { h, clear, put, field } from '../components/dom.js';
import { showError, clearError } from '../components/toast.js';
import { openModal } from '../components/modal.js';
import { openShareDialog } from '../components/share.js';
import { confirmAction } from '../components/confirm.js';
import { createTimeRangePicker, describeRange } from '../components/timeRange.js';
import { renderVisual, fail } from '../visuals/index.js';
import { seg } from '../api.js';

const COLUMNS = 12;
const MAX_ROWS_SPAN = 12;

export default {
  title: 'Dashboards',
  async mount(el, ctx, params) {
    if (!params.length) return listPage(el, ctx);
    return dashboardPage(el, ctx, params[0]);
  },
};

async function listPage(el, ctx) {
  const newBtn = h('button', { type: 'button', class: 'primary new-dashboard' }, 'New dashboard');
  el.append(h('div', { class: 'dash-toolbar' }, h('h1', {}, 'Dashboards'), h('span', { class: 'spacer' }), newBtn));
  const cards = h('div', { class: 'cards dashboard-list' });
  el.append(cards);
  newBtn.addEventListener('click', () => {
    const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200, value: '' });
    openModal({
      title: 'New dashboard',
      body(b) { b.append(field('Name', name), h('p', { class: 'muted' }, 'Add charts from Analyses or Visualize with “Add to dashboard”, or here with “Add visual”.')); },
      actions: [{
        label: 'Create', primary: true,
        async onClick() {
          try {
            const d = await ctx.api.post('/api/dashboards', { name: name.value.trim(),
              body: { panels: [], timeRange: { from: 'now-24h', to: 'now' }, refreshSeconds: 0 } });
            ctx.navigate(`#/dashboards/${seg(d.id)}`);
            return true;
          } catch (e) {
            showError(name.closest('.modal-body'), e);
            return false;
          }
        },
      }],
    });
  });
  try {
    const list = await ctx.api.get('/api/dashboards');
    if (!list.length) cards.append(h('p', { class: 'muted empty' }, 'No dashboards yet. Create one, or add a chart to a new dashboard from Analyses.'));
    for (const d of list) {
      const panels = ((d.body || {}).panels || []).length;
      cards.append(h('div', { class: 'card', dataset: { id: d.id } },
        h('a', { href: `#/dashboards/${seg(d.id)}` }, d.name),
        h('span', { class: 'muted' }, `${panels} panel${panels === 1 ? '' : 's'} · owner ${d.owner}`),
        h('span', {}, h('span', { class: 'badge' }, d.access === 'viewer' ? 'view only' : d.access))));
    }
  } catch (e) {
    showError(el, e);
  }
}

/** CSS-grid auto-placement, done here so the stored x/y are exactly what is shown. */
export function pack(panels) {
  const rows = [];
  const free = (r, c, w, hgt) => {
    if (c + w > COLUMNS) return false;
    for (let y = r; y < r + hgt; y++) for (let x = c; x < c + w; x++) if (rows[y] && rows[y][x]) return false;
    return true;
  };
  let cr = 0;
  let cc = 0;
  return panels.map((p) => {
    const w = Math.min(COLUMNS, Math.max(1, p.w || 6));
    const hgt = Math.min(MAX_ROWS_SPAN, Math.max(1, p.h || 4));
    let r = cr;
    let c = cc;
    while (!free(r, c, w, hgt)) {
      c += 1;
      if (c + w > COLUMNS) { c = 0; r += 1; }
    }
    for (let y = r; y < r + hgt; y++) {
      rows[y] = rows[y] || [];
      for (let x = c; x < c + w; x++) rows[y][x] = true;
    }
    cr = r;
    cc = c + w;
    return { ...p, x: c, y: r, w, h: hgt };
  });
}

function ordered(panels) {
  return [...panels].sort((a, b) => (a.y || 0) - (b.y || 0) || (a.x || 0) - (b.x || 0));
}

async function dashboardPage(el, ctx, id) {
  let dash;
  try {
    dash = await ctx.api.get(`/api/dashboards/${seg(id)}`);
  } catch (e) {
    el.append(h('h1', {}, 'Dashboard'));
    showError(el, e.status === 404 ? Object.assign(new Error('This dashboard does not exist or is not shared with you.'), { status: 404 }) : e);
    return undefined;
  }
  const canEdit = dash.access === 'owner' || dash.access === 'co-owner';
  let editing = false;
  let panels = pack(ordered((dash.body && dash.body.panels) || []));
  let timeRange = { from: 'now-24h', to: 'now', ...(dash.body && dash.body.timeRange), refreshSeconds: (dash.body && dash.body.refreshSeconds) || 0 };
  const visuals = new Map(); // visual id → saved visual (or an Error)
  const drawn = new Map(); // panel index → {dispose}
  let timer = null;
  let refreshing = false;
  let generation = 0; // bumped by every re-layout: drawings for an older grid are thrown away
  let disposed = false;

  const grid = h('div', { class: 'grid view-only', 'aria-label': 'Dashboard panels' });
  const timeBox = h('div');
  const modeBtn = h('button', { type: 'button', class: 'mode-toggle', hidden: !canEdit }, 'Edit layout');
  const addBtn = h('button', { type: 'button', class: 'add-visual', hidden: true }, 'Add visual…');
  const shareBtn = h('button', { type: 'button', class: 'share', hidden: dash.access !== 'owner' }, 'Share…');
  const deleteBtn = h('button', { type: 'button', class: 'danger delete-dashboard', hidden: dash.access !== 'owner' }, 'Delete…');
  const refreshBtn = h('button', { type: 'button', class: 'refresh', title: 'Refresh now' }, '↻ Refresh');
  const modeBadge = h('span', { class: 'badge mode-badge' }, canEdit ? 'viewing' : 'view only');
  el.append(h('div', { class: 'dash-toolbar' },
    h('a', { href: '#/dashboards' }, '‹ Dashboards'), h('h1', { class: 'dash-name' }, dash.name), modeBadge,
    h('span', { class: 'spacer' }), timeBox, refreshBtn, addBtn, modeBtn, shareBtn, deleteBtn));
  el.append(grid);

  const picker = createTimeRangePicker(timeBox, {
    value: timeRange,
    onChange(v) {
      timeRange = v;
      schedule();
      refresh();
      if (canEdit) save({ quiet: true });
    },
  });

  async function save({ quiet } = {}) {
    try {
      const body = { ...(dash.body || {}), panels: panels.map(({ visual, x, y, w, h: hh }) => ({ visual, x, y, w, h: hh })),
        timeRange: { from: timeRange.from, to: timeRange.to }, refreshSeconds: timeRange.refreshSeconds || 0 };
      dash = await ctx.api.put(`/api/dashboards/${seg(dash.id)}`, { name: dash.name, body });
      if (!quiet) ctx.toast('Dashboard saved');
    } catch (e) {
      showError(el, e);
    }
  }

  async function loadVisuals() {
    const missing = [...new Set(panels.map((p) => p.visual))].filter((v) => !visuals.has(v));
    await Promise.all(missing.map(async (v) => {
      try {
        visuals.set(v, await ctx.api.get(`/api/visuals/${seg(v)}`));
      } catch (e) {
        visuals.set(v, e.status === 404 ? new Error('This visual was deleted or is not shared with you.') : e);
      }
    }));
  }

  function layout() {
    generation += 1;
    for (const d of drawn.values()) d.dispose();
    drawn.clear();
    clear(grid);
    grid.classList.toggle('view-only', !editing);
    if (!panels.length) {
      grid.append(h('p', { class: 'muted empty', style: { gridColumn: '1 / -1' } },
        canEdit ? 'This dashboard is empty. Choose “Edit layout”, then “Add visual…”, or add charts from Analyses.' : 'This dashboard is empty.'));
      return;
    }
    panels.forEach((p, i) => {
      const v = visuals.get(p.visual);
      const name = v instanceof Error || !v ? 'Visual' : (v.body && v.body.title) || v.name;
      const body = h('div', { class: 'panel-body' });
      const tool = (label, text, fn, disabled) => h('button', { type: 'button', 'aria-label': `${label}: ${name}`, title: label, disabled, onclick: fn }, text);
      const handle = h('button', { type: 'button', class: 'drag-handle', draggable: 'true', 'aria-label': `Drag to reorder: ${name}`, title: 'Drag to reorder' }, '⠿');
      const card = h('div', { class: 'panel-card', dataset: { index: String(i), visual: p.visual },
        style: { gridColumn: `${p.x + 1} / span ${p.w}`, gridRow: `${p.y + 1} / span ${p.h}` } },
      h('header', {}, editing ? handle : null, h('span', { class: 'title' }, name),
        editing ? h('span', { class: 'panel-tools' },
          tool('Move earlier', '←', () => move(i, -1), i === 0),
          tool('Move later', '→', () => move(i, 1), i === panels.length - 1),
          tool('Narrower', 'W−', () => resize(i, -1, 0), p.w <= 2),
          tool('Wider', 'W+', () => resize(i, 1, 0), p.w >= COLUMNS),
          tool('Shorter', 'H−', () => resize(i, 0, -1), p.h <= 2),
          tool('Taller', 'H+', () => resize(i, 0, 1), p.h >= MAX_ROWS_SPAN),
          tool('Remove from dashboard', '×', () => remove(i))) : null),
      body);
      handle.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/plain', String(i)); card.classList.add('dragging'); });
      handle.addEventListener('dragend', () => card.classList.remove('dragging'));
      card.addEventListener('dragover', (e) => { if (editing) { e.preventDefault(); card.classList.add('drop-target'); } });
      card.addEventListener('dragleave', () => card.classList.remove('drop-target'));
      card.addEventListener('drop', (e) => {
        e.preventDefault();
        card.classList.remove('drop-target');
        const from = Number(e.dataTransfer.getData('text/plain'));
        if (!Number.isNaN(from) && from !== i) reorder(from, i);
      });
      grid.append(card);
    });
    refresh({ force: true });
  }

  function relayout(focusLabel) {
    panels = pack(panels);
    layout();
    save({ quiet: true });
    if (focusLabel) {
      const b = grid.querySelector(`button[aria-label="${CSS.escape(focusLabel)}"]:not(:disabled)`);
      if (b) b.focus();
    }
  }
  function reorder(from, to) {
    const [p] = panels.splice(from, 1);
    panels.splice(to, 0, p);
    relayout();
  }
  function move(i, delta) {
    const name = (grid.querySelectorAll('.panel-card .title')[i] || {}).textContent;
    reorder(i, i + delta);
    const label = `${delta < 0 ? 'Move earlier' : 'Move later'}: ${name}`;
    const b = grid.querySelector(`button[aria-label="${CSS.escape(label)}"]:not(:disabled)`);
    if (b) b.focus();
  }
  function resize(i, dw, dh) {
    const name = (grid.querySelectorAll('.panel-card .title')[i] || {}).textContent;
    panels[i] = { ...panels[i], w: Math.min(COLUMNS, Math.max(2, panels[i].w + dw)), h: Math.min(MAX_ROWS_SPAN, Math.max(2, panels[i].h + dh)) };
    const label = dw > 0 ? 'Wider' : dw < 0 ? 'Narrower' : dh > 0 ? 'Taller' : 'Shorter';
    relayout(`${label}: ${name}`);
  }
  function remove(i) {
    panels.splice(i, 1);
    relayout();
  }

  async function refresh({ force = false } = {}) {
    // A timer tick skips while a refresh runs; a new layout always draws its panels.
    if ((refreshing && !force) || disposed) return;
    const gen = generation;
    refreshing = true;
    try {
      const cards = [...grid.querySelectorAll('.panel-card')];
      await Promise.all(cards.map(async (card) => {
        const i = Number(card.dataset.index);
        const body = card.querySelector('.panel-body');
        const v = visuals.get(panels[i].visual);
        const old = drawn.get(i);
        // The new drawing is laid out (hidden) over the old one and replaces it when ready,
        // so an auto-refresh does not flash empty panels.
        const layer = h('div', { class: 'panel-layer', style: old ? { visibility: 'hidden' } : {} });
        body.append(layer);
        let d;
        if (!v || v instanceof Error) {
          d = fail(layer, (v && v.message) || 'This visual could not be loaded.');
        } else {
          d = await renderVisual(layer, v.body, ctx, { timeRange: { from: timeRange.from, to: timeRange.to } });
        }
        if (disposed || gen !== generation) { d.dispose(); return; }
        if (old) {
          old.dispose();
          if (old.layer) old.layer.remove();
          layer.style.visibility = '';
        }
        drawn.set(i, { dispose: () => d.dispose(), layer });
      }));
    } finally {
      if (gen === generation) refreshing = false;
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    if (timeRange.refreshSeconds > 0) timer = setInterval(refresh, timeRange.refreshSeconds * 1000);
  }

  function setEditing(on) {
    editing = on;
    modeBtn.textContent = on ? 'Done' : 'Edit layout';
    modeBadge.textContent = on ? 'editing' : canEdit ? 'viewing' : 'view only';
    addBtn.hidden = !on;
    layout();
  }
  modeBtn.addEventListener('click', () => setEditing(!editing));
  refreshBtn.addEventListener('click', refresh);
  shareBtn.addEventListener('click', () => openShareDialog(ctx, 'dashboards', dash.id));
  deleteBtn.addEventListener('click', () => confirmAction({
    title: `Delete dashboard “${dash.name}”?`,
    text: 'The dashboard and its shares are removed for everyone. The visuals on it stay saved.',
    action: () => ctx.api.del(`/api/dashboards/${seg(dash.id)}`),
    after: () => { ctx.toast(`Deleted “${dash.name}”`); ctx.navigate('#/dashboards'); },
  }));
  addBtn.addEventListener('click', async () => {
    let list;
    try {
      list = await ctx.api.get('/api/visuals');
    } catch (e) {
      showError(el, e);
      return;
    }
    const choice = h('select', { name: 'visual' }, list.map((v) => h('option', { value: v.id }, `${v.name} (${(v.body || {}).source || '?'} · ${(v.body || {}).chart || '?'})`)));
    openModal({
      title: 'Add a visual',
      body(b) {
        if (!list.length) b.append(h('p', {}, 'There are no saved visuals yet: build one in Analyses or Visualize.'));
        else b.append(field('Visual', choice));
      },
      actions: list.length ? [{
        label: 'Add', primary: true,
        async onClick() {
          const v = list.find((x) => x.id === choice.value);
          visuals.set(v.id, v);
          panels.push({ visual: v.id, x: 0, y: 0, w: 6, h: 4 });
          relayout();
          return true;
        },
      }] : [],
    });
  });

  clearError(el);
  await loadVisuals();
  if (disposed) return undefined;
  put(grid);
  layout();
  schedule();
  el.dataset.range = describeRange(timeRange);
  return () => {
    disposed = true;
    clearInterval(timer);
    picker.dispose();
    for (const d of drawn.values()) d.dispose();
  };
}

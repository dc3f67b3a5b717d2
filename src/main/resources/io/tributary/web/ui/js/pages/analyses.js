// Analyses (the QuickSight side): pick a dataset, build charts from field wells, save them as
// visuals in an analysis, add them to dashboards.
import { h, clear, put, field } from '../components/dom.js';
import { renderTable } from '../components/dataTable.js';
import { showError, clearError } from '../components/toast.js';
import { openModal } from '../components/modal.js';
import { openShareDialog } from '../components/share.js';
import { confirmAction } from '../components/confirm.js';
import { seg } from '../api.js';
import { AGGREGATES, GRANULARITIES, CHARTS, sqlFor, runQuery, draw, relation } from '../visuals/sql.js';

const CHART_LABELS = { bar: 'Vertical bar', hbar: 'Horizontal bar', line: 'Line', area: 'Area', pie: 'Pie', scatter: 'Scatter', table: 'Table', kpi: 'KPI' };
const TIME_TYPE = /^(timestamp|date)/i;
const NUMERIC_TYPE = /^(tinyint|smallint|int|integer|bigint|float|double|real|decimal)/i;

export default {
  title: 'Analyses',
  async mount(el, ctx, params) {
    const q = ctx.query || new URLSearchParams();
    const fromElsewhere = q.has('sql') || q.has('savedQuery') || q.has('table');
    if (!params.length && !fromElsewhere) return listPage(el, ctx);
    return editor(el, ctx, params[0] === 'new' ? null : params[0]);
  },
};

async function listPage(el, ctx) {
  el.append(h('div', { class: 'dash-toolbar' }, h('h1', {}, 'Analyses'), h('span', { class: 'spacer' }),
    h('button', { type: 'button', class: 'primary', onclick: () => ctx.navigate('#/analyses/new') }, 'New analysis')));
  el.append(h('p', { class: 'muted' }, 'An analysis is a set of charts over your tables or saved queries. Save charts as visuals, then add them to dashboards.'));
  const analysesBox = h('div');
  const visualsBox = h('div');
  el.append(h('h2', {}, 'Your analyses'), analysesBox, h('h2', {}, 'Visuals'), visualsBox);
  try {
    const [analyses, visuals] = await Promise.all([ctx.api.get('/api/analyses'), ctx.api.get('/api/visuals')]);
    renderTable(analysesBox, [
      { name: 'name', label: 'Name' },
      { name: 'owner', label: 'Owner' },
      { name: 'access', label: 'Your access' },
      { name: 'body', label: 'Visuals', format: (b) => String(((b || {}).visuals || []).length) },
      { name: 'updated', label: 'Updated', format: (v) => (v || '').slice(0, 19).replace('T', ' ') },
    ], analyses, { pageSize: 20, emptyText: 'No analyses yet: choose “New analysis”.', onRowClick: (a) => ctx.navigate(`#/analyses/${seg(a.id)}`) });
    renderTable(visualsBox, [
      { name: 'name', label: 'Name' },
      { name: 'body', label: 'Chart', format: (b) => `${(b || {}).source || '?'} · ${CHART_LABELS[(b || {}).chart] || (b || {}).chart || '?'}` },
      { name: 'owner', label: 'Owner' },
      { name: 'access', label: 'Your access' },
    ], visuals, { pageSize: 20, emptyText: 'No visuals yet.' });
  } catch (e) {
    showError(el, e);
  }
}

function defaultVisual() {
  return { source: 'sql', chart: 'bar', title: '', dataset: null, database: 'default', x: null, values: [], group: null, timeField: null };
}

async function editor(el, ctx, id) {
  let analysis = { name: 'Untitled analysis', body: { visuals: [] } };
  let visuals = []; // [{id?, name, body, dirty}]
  let current = 0;
  let disposed = false;
  let drawn = null;
  let fields = []; // [{name, type}]
  let tables = []; // "db.table"
  let saved = []; // saved queries
  let previewSeq = 0;
  let previewTimer = null;

  if (id) {
    try {
      analysis = await ctx.api.get(`/api/analyses/${seg(id)}`);
      const ids = (analysis.body && analysis.body.visuals) || [];
      const loaded = await Promise.all(ids.map((v) => ctx.api.get(`/api/visuals/${seg(v)}`).catch(() => null)));
      visuals = loaded.filter(Boolean).map((v) => ({ id: v.id, name: v.name, body: v.body, dirty: false }));
    } catch (e) {
      showError(el, e);
      return undefined;
    }
  }
  const readOnly = id && analysis.access === 'viewer';
  if (!visuals.length) {
    const v = defaultVisual();
    const q = ctx.query || new URLSearchParams();
    if (q.get('sql')) v.dataset = { sql: q.get('sql') };
    if (q.get('savedQuery')) v.dataset = { savedQuery: q.get('savedQuery') };
    if (q.get('database')) v.database = q.get('database');
    if (q.get('table')) v.dataset = { table: q.get('table') };
    visuals.push({ name: 'Visual 1', body: v, dirty: true });
  }

  // Layout
  const nameInput = h('input', { type: 'text', name: 'analysis-name', value: analysis.name, 'aria-label': 'Analysis name', class: 'title-input', disabled: readOnly });
  const saveBtn = h('button', { type: 'button', class: 'primary', disabled: readOnly }, 'Save analysis');
  const shareBtn = h('button', { type: 'button', disabled: !id || analysis.access !== 'owner' }, 'Share…');
  const addDashBtn = h('button', { type: 'button', class: 'add-to-dashboard' }, 'Add to dashboard…');
  const deleteBtn = h('button', { type: 'button', class: 'danger delete-analysis', hidden: !id || analysis.access !== 'owner' }, 'Delete…');
  const visualTabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Visuals in this analysis' });
  const wells = h('div', { class: 'wells panel' });
  const preview = h('div', { class: 'visual-box visual', 'aria-live': 'polite' });
  const previewPanel = h('div', { class: 'panel' });
  const sqlBox = h('pre', { class: 'sql' });
  const status = h('div', { class: 'muted preview-status' });
  put(previewPanel, status, preview, h('details', {}, h('summary', {}, 'SQL this chart runs'), sqlBox));
  el.append(h('div', { class: 'dash-toolbar' }, h('h1', {}, 'Analysis'), nameInput, h('span', { class: 'spacer' }),
    readOnly ? h('span', { class: 'badge' }, 'view only') : null, addDashBtn, shareBtn, deleteBtn, saveBtn));
  el.append(visualTabs, h('div', { class: 'builder' }, wells, previewPanel));

  try {
    const [dbs, sq] = await Promise.all([ctx.api.get('/api/databases'), ctx.api.get('/api/saved-queries').catch(() => [])]);
    saved = sq;
    const lists = await Promise.all(dbs.map((d) => ctx.api.get(`/api/tables?database=${encodeURIComponent(d.name)}`).catch(() => [])));
    tables = lists.flat().map((t) => `${t.database}.${t.name}`);
  } catch (e) {
    showError(el, e);
  }

  const vis = () => visuals[current];
  const body = () => vis().body;

  function changed() {
    vis().dirty = true;
    renderTabs();
    schedulePreview();
  }

  function renderTabs() {
    clear(visualTabs);
    visuals.forEach((v, i) => {
      visualTabs.append(h('button', { type: 'button', role: 'tab', 'aria-selected': String(i === current),
        onclick: () => { current = i; loadFields().then(renderWells); renderTabs(); schedulePreview(); } },
      `${v.body.title || v.name}${v.dirty ? ' •' : ''}`));
    });
    if (!readOnly) {
      visualTabs.append(h('button', { type: 'button', class: 'add-visual', onclick: () => {
        const b = defaultVisual();
        b.dataset = body().dataset;
        b.database = body().database;
        visuals.push({ name: `Visual ${visuals.length + 1}`, body: b, dirty: true });
        current = visuals.length - 1;
        renderTabs();
        renderWells();
        schedulePreview();
      } }, '+ Visual'));
    }
  }

  async function loadFields() {
    const d = body().dataset;
    fields = [];
    if (!d) return;
    try {
      if (d.table) {
        const [db, t] = d.table.split('.');
        const info = await ctx.api.get(`/api/tables/${seg(db)}/${seg(t)}`);
        fields = [...(info.columns || []), ...(info.partitionKeys || [])].map((c) => ({ name: c.name, type: c.type }));
      } else {
        const { sql, database } = await sqlFor(ctx, { ...body(), x: null, values: [], dataset: d });
        const probe = `SELECT * FROM ${relation({ sql })} LIMIT 1`;
        const r = await runQuery(ctx, probe, database);
        fields = r.columns.map((c) => ({ name: c.name, type: c.type }));
      }
    } catch (e) {
      showError(wells, e);
    }
  }

  function fieldSelect(name, value, { allowNone = true, allowStar = false, filter } = {}) {
    const s = h('select', { name, disabled: readOnly });
    if (allowNone) s.append(h('option', { value: '' }, '(none)'));
    if (allowStar) s.append(h('option', { value: '*' }, '* (rows)'));
    for (const f of fields.filter(filter || (() => true))) s.append(h('option', { value: f.name }, `${f.name} · ${f.type}`));
    s.value = value || '';
    return s;
  }

  function renderWells() {
    clear(wells);
    const b = body();
    // Dataset
    const sourceKind = b.dataset ? (b.dataset.table ? 'table' : b.dataset.savedQuery ? 'savedQuery' : 'sql') : 'table';
    const kind = h('select', { name: 'dataset-kind', disabled: readOnly },
      h('option', { value: 'table' }, 'Table'), h('option', { value: 'savedQuery' }, 'Saved query'),
      b.dataset && b.dataset.sql ? h('option', { value: 'sql' }, 'SQL from the workspace') : null);
    kind.value = sourceKind;
    const pick = h('select', { name: 'dataset', disabled: readOnly });
    pick.append(h('option', { value: '' }, '— choose —'));
    if (sourceKind === 'table') tables.forEach((t) => pick.append(h('option', { value: t }, t)));
    if (sourceKind === 'savedQuery') saved.forEach((q) => pick.append(h('option', { value: q.id }, q.name)));
    if (sourceKind === 'table') pick.value = (b.dataset && b.dataset.table) || '';
    if (sourceKind === 'savedQuery') pick.value = (b.dataset && b.dataset.savedQuery) || '';
    kind.addEventListener('change', () => {
      if (kind.value === 'sql') return;
      b.dataset = null;
      fields = [];
      renderWells();
    });
    pick.addEventListener('change', async () => {
      b.dataset = !pick.value ? null : kind.value === 'table' ? { table: pick.value } : { savedQuery: pick.value };
      if (kind.value === 'savedQuery') {
        const q = saved.find((s) => s.id === pick.value);
        if (q) b.database = q.database;
      }
      b.x = null; b.values = []; b.group = null; b.timeField = null;
      await loadFields();
      // A sensible start: the first time field by month, counting rows.
      const time = fields.find((f) => TIME_TYPE.test(f.type));
      if (time) {
        b.x = { field: time.name, granularity: 'month' };
        b.timeField = time.name;
      }
      b.values = [{ field: '*', agg: 'count' }];
      renderWells();
      changed();
    });
    const datasetWell = h('div', { class: 'well' }, h('h3', {}, 'Dataset'), field('Source', kind),
      sourceKind === 'sql' ? h('pre', { class: 'sql' }, b.dataset.sql) : field(sourceKind === 'table' ? 'Table' : 'Saved query', pick));

    // Chart type
    const types = h('div', { class: 'chart-types', role: 'group', 'aria-label': 'Chart type' });
    for (const c of CHARTS) {
      types.append(h('button', { type: 'button', 'aria-pressed': String(b.chart === c), dataset: { chart: c }, disabled: readOnly,
        onclick: () => { b.chart = c; renderWells(); changed(); } }, CHART_LABELS[c]));
    }
    const title = h('input', { type: 'text', name: 'title', value: b.title || '', placeholder: 'Chart title', disabled: readOnly });
    title.addEventListener('change', () => { b.title = title.value.trim(); changed(); });

    // X axis
    const xField = fieldSelect('x-field', b.x && b.x.field);
    const gran = h('select', { name: 'granularity', disabled: readOnly }, h('option', { value: '' }, '(exact values)'),
      GRANULARITIES.map((g) => h('option', { value: g }, `per ${g}`)));
    gran.value = (b.x && b.x.granularity) || '';
    const xType = (fields.find((f) => f.name === (b.x && b.x.field)) || {}).type || '';
    const granField = field('Time granularity', gran);
    granField.hidden = !TIME_TYPE.test(xType);
    xField.addEventListener('change', () => {
      const f = fields.find((x) => x.name === xField.value);
      b.x = xField.value ? { field: xField.value, granularity: f && TIME_TYPE.test(f.type) ? 'month' : null } : null;
      if (f && TIME_TYPE.test(f.type) && !b.timeField) b.timeField = f.name;
      renderWells();
      changed();
    });
    gran.addEventListener('change', () => { b.x = { ...b.x, granularity: gran.value || null }; changed(); });

    // Values
    const valuesWell = h('div', { class: 'well values-well' }, h('h3', {}, 'Values'));
    (b.values || []).forEach((v, i) => {
      const f = fieldSelect(`value-field-${i}`, v.field, { allowNone: false, allowStar: true });
      const agg = h('select', { name: `value-agg-${i}`, 'aria-label': 'Aggregation', disabled: readOnly }, AGGREGATES.map((a) => h('option', { value: a }, a)));
      agg.value = v.agg;
      f.setAttribute('aria-label', `Value ${i + 1} field`);
      f.addEventListener('change', () => {
        v.field = f.value;
        if (v.field === '*' && v.agg !== 'count') v.agg = 'count';
        const ft = (fields.find((x) => x.name === v.field) || {}).type || '';
        if (v.field !== '*' && v.agg === 'count' && NUMERIC_TYPE.test(ft)) v.agg = 'sum';
        renderWells();
        changed();
      });
      agg.addEventListener('change', () => { v.agg = agg.value; changed(); });
      const remove = h('button', { type: 'button', class: 'small', 'aria-label': `Remove value ${i + 1}`, disabled: readOnly,
        onclick: () => { b.values.splice(i, 1); renderWells(); changed(); } }, '×');
      valuesWell.append(h('div', { class: 'value-row' }, f, agg, remove));
    });
    valuesWell.append(h('button', { type: 'button', class: 'small add-value', disabled: readOnly || !fields.length, onclick: () => {
      const firstNumber = fields.find((f) => NUMERIC_TYPE.test(f.type) && !(b.values || []).some((v) => v.field === f.name));
      b.values = [...(b.values || []), firstNumber ? { field: firstNumber.name, agg: 'sum' } : { field: '*', agg: 'count' }];
      renderWells();
      changed();
    } }, '+ Add value'));

    const group = fieldSelect('group', b.group);
    group.addEventListener('change', () => { b.group = group.value || null; changed(); });
    const timeField = fieldSelect('time-field', b.timeField, { filter: (f) => TIME_TYPE.test(f.type) });
    timeField.addEventListener('change', () => { b.timeField = timeField.value || null; changed(); });

    const raw = b.dataset && b.dataset.sql && !b.x && !(b.values || []).length;
    put(wells,
      datasetWell,
      h('div', { class: 'well' }, h('h3', {}, 'Chart'), types, field('Title', title)),
      raw ? h('p', { class: 'muted' }, 'Charting the query result as it is: the first column on the X axis, numeric columns as values. Pick fields below to aggregate instead.') : null,
      h('div', { class: 'well x-well' }, h('h3', {}, 'X axis'), field('Field', xField), granField),
      valuesWell,
      h('div', { class: 'well' }, h('h3', {}, 'Group / color'), field('Split into series by', group)),
      h('div', { class: 'well' }, h('h3', {}, 'Time filter'), field('Dashboard time range applies to', timeField)));
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, 250);
  }

  async function runPreview() {
    const seq = ++previewSeq;
    clearError(previewPanel);
    const b = body();
    if (!b.dataset) {
      if (drawn) { drawn.dispose(); drawn = null; }
      clear(preview).append(h('p', { class: 'muted empty' }, 'Choose a table or a saved query to start.'));
      clear(sqlBox);
      status.textContent = '';
      return;
    }
    try {
      const { sql, database } = await sqlFor(ctx, b, null);
      sqlBox.textContent = sql;
      status.textContent = 'Running…';
      preview.dataset.state = 'loading';
      const result = await runQuery(ctx, sql, database);
      if (seq !== previewSeq || disposed) return;
      if (drawn) drawn.dispose();
      drawn = draw(preview, b, result);
      status.textContent = `${result.rows.length} rows · ${result.execution.engineMillis} ms`;
    } catch (e) {
      if (seq !== previewSeq || disposed) return;
      status.textContent = '';
      preview.dataset.state = 'error';
      showError(previewPanel, e);
    }
  }

  async function saveVisual(v) {
    const payload = { name: v.body.title || v.name, body: v.body };
    if (v.id) {
      const r = await ctx.api.put(`/api/visuals/${seg(v.id)}`, payload);
      v.name = r.name;
    } else {
      const r = await ctx.api.post('/api/visuals', payload);
      v.id = r.id;
      v.name = r.name;
    }
    v.dirty = false;
    return v.id;
  }

  async function saveAll() {
    clearError(el);
    if (!visuals.some((v) => v.body.dataset)) {
      showError(el, new Error('Choose a dataset before saving.'));
      return false;
    }
    try {
      for (const v of visuals) if (v.dirty || !v.id) await saveVisual(v);
      let name = nameInput.value.trim();
      if (!name || name === 'Untitled analysis') {
        // A first save names the analysis after its first chart, unless the user chose a name.
        name = visuals[0].body.title || 'Untitled analysis';
        nameInput.value = name;
      }
      const payload = { name, body: { visuals: visuals.map((v) => v.id) } };
      if (id) {
        analysis = await ctx.api.put(`/api/analyses/${seg(id)}`, payload);
      } else {
        analysis = await ctx.api.post('/api/analyses', payload);
        id = analysis.id;
        history.replaceState(null, '', `#/analyses/${seg(id)}`);
      }
      shareBtn.disabled = false;
      deleteBtn.hidden = analysis.access !== 'owner';
      renderTabs();
      ctx.toast(`Saved “${analysis.name}”`);
      return true;
    } catch (e) {
      showError(el, e);
      return false;
    }
  }

  saveBtn.addEventListener('click', saveAll);
  shareBtn.addEventListener('click', () => openShareDialog(ctx, 'analyses', id));
  deleteBtn.addEventListener('click', () => confirmAction({
    title: `Delete analysis “${analysis.name}”?`,
    text: 'The analysis and its shares are removed for everyone. Its charts stay saved as visuals, and dashboards showing them are unchanged.',
    action: () => ctx.api.del(`/api/analyses/${seg(id)}`),
    after: () => { ctx.toast(`Deleted “${analysis.name}”`); ctx.navigate('#/analyses'); },
  }));
  addDashBtn.addEventListener('click', async () => {
    const v = vis();
    if (!v.body.dataset) {
      showError(el, new Error('Choose a dataset before adding the chart to a dashboard.'));
      return;
    }
    try {
      if (!readOnly && (v.dirty || !v.id)) await saveAll();
      if (!v.id) return;
      await addToDashboard(ctx, v.id, v.body.title || v.name);
    } catch (e) {
      showError(el, e);
    }
  });

  renderTabs();
  await loadFields();
  renderWells();
  schedulePreview();
  return () => {
    disposed = true;
    clearTimeout(previewTimer);
    if (drawn) drawn.dispose();
  };
}

/** "Add to dashboard": an existing dashboard the user can edit, or a new one. Exported for other pages. */
export async function addToDashboard(ctx, visualId, visualName) {
  let dashboards = [];
  try {
    dashboards = (await ctx.api.get('/api/dashboards')).filter((d) => d.access === 'owner' || d.access === 'co-owner');
  } catch (e) {
    ctx.toast(`Cannot list dashboards: ${e.message}`, 'error');
    return;
  }
  const choice = h('select', { name: 'dashboard' }, h('option', { value: '' }, 'A new dashboard'),
    dashboards.map((d) => h('option', { value: d.id }, d.name)));
  const newName = h('input', { type: 'text', name: 'dashboard-name', value: 'My dashboard', maxlength: 200 });
  const newField = field('New dashboard name', newName);
  choice.addEventListener('change', () => { newField.hidden = !!choice.value; });
  openModal({
    title: `Add “${visualName}” to a dashboard`,
    body(el) { el.append(field('Dashboard', choice), newField); },
    actions: [{
      label: 'Add', primary: true,
      async onClick() {
        try {
          let dash;
          if (choice.value) {
            const d = await ctx.api.get(`/api/dashboards/${seg(choice.value)}`);
            const panels = (d.body && d.body.panels) || [];
            const y = panels.reduce((m, p) => Math.max(m, (p.y || 0) + (p.h || 4)), 0);
            dash = await ctx.api.put(`/api/dashboards/${seg(d.id)}`, { name: d.name, body: { ...d.body, panels: [...panels, { visual: visualId, x: 0, y, w: 6, h: 4 }] } });
          } else {
            dash = await ctx.api.post('/api/dashboards', { name: newName.value.trim() || 'My dashboard',
              body: { panels: [{ visual: visualId, x: 0, y: 0, w: 6, h: 4 }], timeRange: { from: 'all', to: 'now' }, refreshSeconds: 0 } });
          }
          ctx.toast(`Added to “${dash.name}”`);
          ctx.navigate(`#/dashboards/${seg(dash.id)}`);
          return true;
        } catch (e) {
          showError(newName.closest('.modal-body'), e);
          return false;
        }
      },
    }],
  });
}


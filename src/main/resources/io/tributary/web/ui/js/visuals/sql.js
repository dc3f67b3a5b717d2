// SQL visuals: a chart over a table, a saved query or a SQL text, built as Athena-dialect SQL and
// run through /api/queries like any other query.
//
// Body (source "sql"):
// {"source":"sql","chart":"bar"|"hbar"|"line"|"area"|"pie"|"scatter"|"table"|"kpi","title":"…",
//  "dataset": {"table":"db.t"} | {"savedQuery":"<id>"} | {"sql":"SELECT …"},
//  "database": "default",                       // query context (optional)
//  "x": {"field":"invoicedate","granularity":"month"},   // optional; granularity: minute|hour|day|month
//  "values": [{"field":"price","agg":"sum"}],   // agg: sum|avg|count|min|max|distinct
//  "group": "country",                          // optional: one series per value
//  "timeField": "invoicedate",                  // optional: the dashboard time range applies to it
//  "limit": 1000}
// Without "x" and "values", the dataset's SQL is charted as it is: first column on X, the other
// numeric columns as series.
import { h, clear } from '../components/dom.js';
import { renderTable } from '../components/dataTable.js';
import { resolveRange } from '../components/timeRange.js';

export const AGGREGATES = ['sum', 'avg', 'count', 'min', 'max', 'distinct'];
export const GRANULARITIES = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
export const CHARTS = ['bar', 'hbar', 'line', 'area', 'pie', 'scatter', 'table', 'kpi'];
const MAX_ROWS = 1000;

/** "a""b" — a Trino/Athena quoted identifier. */
export function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

function quoteTable(name) {
  return String(name).split('.').map(quoteIdent).join('.');
}

function timestampLiteral(ms) {
  return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

export function valueAlias(v) {
  return v.field === '*' ? v.agg : `${v.agg}_${v.field}`.replace(/[^A-Za-z0-9_]/g, '_');
}

function aggregate(v) {
  const f = v.field === '*' || !v.field ? '*' : quoteIdent(v.field);
  switch (v.agg) {
    case 'sum': return `sum(${f})`;
    case 'avg': return `avg(${f})`;
    case 'count': return `count(${f})`;
    case 'min': return `min(${f})`;
    case 'max': return `max(${f})`;
    case 'distinct': return `count(DISTINCT ${f})`;
    default: throw new Error(`'${v.agg}' is not an aggregation: use one of ${AGGREGATES.join(', ')}`);
  }
}

function xExpression(x) {
  if (!x || !x.field) return null;
  if (x.granularity) {
    if (!GRANULARITIES.includes(x.granularity)) throw new Error(`'${x.granularity}' is not a granularity: use one of ${GRANULARITIES.join(', ')}`);
    return `date_trunc('${x.granularity}', ${quoteIdent(x.field)})`;
  }
  return quoteIdent(x.field);
}

/** The FROM clause source for a dataset; savedQuerySql resolves a saved query's text. */
export function relation(dataset, savedQuerySql) {
  if (!dataset) throw new Error('The visual has no dataset: pick a table or a saved query.');
  if (dataset.table) return quoteTable(dataset.table);
  const text = dataset.sql || savedQuerySql;
  if (!text) throw new Error('The visual\'s dataset has neither a table nor SQL.');
  return `(\n${text.trim().replace(/;\s*$/, '')}\n) AS src`;
}

/**
 * The SQL for a visual body. timeRange ({from,to}) filters body.timeField when both are present.
 * Returns null for a "raw" visual (no x and no values): its dataset SQL runs unchanged.
 */
export function buildSql(body, { timeRange, savedQuerySql, now } = {}) {
  const values = body.values || [];
  const xExpr = xExpression(body.x);
  const raw = !xExpr && values.length === 0;
  const from = relation(body.dataset, savedQuerySql);
  if (raw) {
    if (body.dataset.table) return `SELECT * FROM ${from} LIMIT ${body.limit || MAX_ROWS}`;
    return null;
  }
  const select = [];
  const groupBy = [];
  if (xExpr && body.chart !== 'kpi') {
    select.push(`${xExpr} AS ${quoteIdent('x')}`);
    groupBy.push(xExpr);
  }
  if (body.group && body.chart !== 'kpi' && body.chart !== 'pie') {
    select.push(`${quoteIdent(body.group)} AS ${quoteIdent('grp')}`);
    groupBy.push(quoteIdent(body.group));
  }
  const list = values.length ? values : [{ field: '*', agg: 'count' }];
  for (const v of list) select.push(`${aggregate(v)} AS ${quoteIdent(valueAlias(v))}`);
  let sql = `SELECT ${select.join(', ')}\nFROM ${from}`;
  if (body.timeField && timeRange) {
    const r = resolveRange(timeRange, now);
    const t = quoteIdent(body.timeField);
    sql += `\nWHERE ${t} >= ${timestampLiteral(r.fromMs)} AND ${t} < ${timestampLiteral(r.toMs)}`;
  }
  if (groupBy.length) sql += `\nGROUP BY ${groupBy.join(', ')}`;
  if (groupBy.length) sql += `\nORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}`;
  sql += `\nLIMIT ${Math.min(body.limit || MAX_ROWS, MAX_ROWS)}`;
  return sql;
}

/** Runs SQL through /api/queries and returns {columns, rows, execution}. */
export async function runQuery(ctx, sql, database = 'default', { signal } = {}) {
  let e = await ctx.api.post('/api/queries', { query: sql, database, wait: true, waitSeconds: 60 });
  while (e.state === 'QUEUED' || e.state === 'RUNNING') {
    if (signal && signal.aborted) throw new Error('cancelled');
    await new Promise((r) => setTimeout(r, 250));
    e = await ctx.api.get(`/api/queries/${encodeURIComponent(e.id)}`);
  }
  if (e.state !== 'SUCCEEDED') {
    const err = new Error(e.stateReason || `The query ${e.state.toLowerCase()}.`);
    err.execution = e;
    throw err;
  }
  const page = await ctx.api.get(`/api/queries/${encodeURIComponent(e.id)}/results?maxResults=${MAX_ROWS}`);
  return { columns: page.columns || e.columns || [], rows: page.rows || [], execution: e };
}

async function savedQueryText(ctx, id) {
  const list = await ctx.api.get('/api/saved-queries');
  const q = list.find((s) => s.id === id);
  if (!q) throw new Error(`The saved query ${id} behind this visual no longer exists (or is not shared with you).`);
  return q;
}

/** The SQL this body runs, resolving a saved query. */
export async function sqlFor(ctx, body, timeRange) {
  let savedQuerySql = null;
  let database = body.database || 'default';
  if (body.dataset && body.dataset.savedQuery) {
    const q = await savedQueryText(ctx, body.dataset.savedQuery);
    savedQuerySql = q.query;
    database = body.database || q.database || database;
  }
  const sql = buildSql(body, { timeRange, savedQuerySql }) || (body.dataset.sql || savedQuerySql);
  return { sql, database };
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|float|double|decimal|hugeint|number)/i;

function num(v) {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function formatX(v, granularity) {
  if (v === null || v === undefined) return '(null)';
  const s = String(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  switch (granularity) {
    case 'year': return m[1];
    case 'quarter': return `${m[1]} Q${Math.floor((Number(m[2]) - 1) / 3) + 1}`;
    case 'month': return `${m[1]}-${m[2]}`;
    case 'week': // the week's Monday
    case 'day': return `${m[1]}-${m[2]}-${m[3]}`;
    case 'hour': return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:00`;
    default: return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
  }
}

/** For a raw query's X values: 'month' when all are midnight on the 1st, 'day' when all are midnight. */
function impliedGranularity(values) {
  const ts = values.filter((v) => v !== null && v !== undefined).map(String);
  if (!ts.length || !ts.every((v) => /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v))) return null;
  const midnight = ts.every((v) => /^[ T]00:00(:00(\.0+)?)?$/.test(v.slice(10)));
  if (midnight && ts.every((v) => v.slice(8, 10) === '01')) return 'month';
  return midnight ? 'day' : null;
}

/** ECharts option for a result; exported for the analyses page's preview. */
export function chartOption(body, result) {
  const { columns, rows } = result;
  const names = columns.map((c) => c.name);
  let xIndex = 0;
  let seriesCols;
  let groupIndex = -1;
  if (body.x || (body.values && body.values.length)) {
    xIndex = names.indexOf('x');
    groupIndex = names.indexOf('grp');
    seriesCols = names.map((n, i) => i).filter((i) => i !== xIndex && i !== groupIndex);
  } else {
    seriesCols = columns.map((c, i) => i).filter((i) => i !== 0 && (NUMERIC.test(columns[i].type || '') || rows.some((r) => num(r[i]) !== null)));
  }
  const gran = (body.x && body.x.granularity) || impliedGranularity(rows.map((r) => r[xIndex >= 0 ? xIndex : 0]));
  const labelOf = (i) => {
    const v = (body.values || [])[seriesCols.indexOf(i)];
    return v ? `${v.agg}(${v.field})` : names[i];
  };
  const xs = [];
  const seen = new Map();
  for (const r of rows) {
    const k = xIndex >= 0 ? formatX(r[xIndex], gran) : '';
    if (!seen.has(k)) { seen.set(k, xs.length); xs.push(k); }
  }
  let series;
  if (groupIndex >= 0) {
    const groups = new Map();
    const col = seriesCols[0];
    for (const r of rows) {
      const g = r[groupIndex] === null ? '(null)' : String(r[groupIndex]);
      if (!groups.has(g)) groups.set(g, new Array(xs.length).fill(null));
      groups.get(g)[seen.get(xIndex >= 0 ? formatX(r[xIndex], gran) : '')] = num(r[col]);
    }
    series = [...groups.entries()].slice(0, 30).map(([g, data]) => ({ name: g, data }));
  } else {
    series = seriesCols.map((i) => ({ name: labelOf(i), data: rows.map((r) => num(r[i])) }));
  }
  const base = {
    animationDuration: 300,
    tooltip: { trigger: body.chart === 'pie' || body.chart === 'scatter' ? 'item' : 'axis', confine: true },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
  };
  switch (body.chart) {
    case 'pie':
      return { ...base, series: [{ type: 'pie', radius: ['30%', '65%'], top: 24, data: xs.map((x, i) => ({ name: x, value: series[0] ? series[0].data[i] : null })) }] };
    case 'scatter':
      return { ...base, xAxis: { type: 'category', data: xs }, yAxis: { type: 'value', scale: true },
        series: series.map((s) => ({ type: 'scatter', name: s.name, data: s.data, symbolSize: 8 })) };
    case 'hbar':
      return { ...base, yAxis: { type: 'category', data: xs, inverse: true }, xAxis: { type: 'value' },
        series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data })) };
    case 'line':
    case 'area':
      return { ...base, xAxis: { type: 'category', data: xs, boundaryGap: false }, yAxis: { type: 'value' },
        series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, showSymbol: xs.length < 60, areaStyle: body.chart === 'area' ? {} : undefined })) };
    case 'bar':
    default:
      return { ...base, xAxis: { type: 'category', data: xs }, yAxis: { type: 'value' },
        series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data })) };
  }
}

function formatNumber(v) {
  const n = num(v);
  if (n === null) return v === null || v === undefined ? '–' : String(v);
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Draws a fetched result into el; sets data-state to 'drawn' once the DOM or chart is ready. */
export function draw(el, body, result) {
  clear(el);
  el.classList.add('visual');
  if (body.chart === 'table') {
    const box = h('div', { class: 'visual-table' });
    el.append(box);
    renderTable(box, result.columns.map((c) => c.name), result.rows, { pageSize: 100 });
    el.dataset.state = 'drawn';
    return { dispose() {} };
  }
  if (body.chart === 'kpi') {
    const v = result.rows[0] ? result.rows[0][result.rows[0].length - 1] : null;
    const label = body.values && body.values[0] ? `${body.values[0].agg}(${body.values[0].field})` : (result.columns.at(-1) || {}).name;
    el.append(h('div', { class: 'kpi' }, h('div', { class: 'value' }, formatNumber(v)), h('div', { class: 'label' }, label || '')));
    el.dataset.state = 'drawn';
    return { dispose() {} };
  }
  const box = h('div', { class: 'chart' });
  el.append(box);
  const chart = window.echarts.init(box, null, { renderer: 'canvas' });
  chart.on('finished', () => { if (el.dataset.state !== 'error') el.dataset.state = 'drawn'; });
  chart.setOption(chartOption(body, result));
  el.dataset.bars = String(result.rows.length);
  const observer = new ResizeObserver(() => chart.resize());
  observer.observe(box);
  return { chart, dispose() { observer.disconnect(); chart.dispose(); } };
}

/** The contract's renderer: fetch and draw. */
export async function render(el, body, ctx, { timeRange } = {}) {
  el.dataset.state = 'loading';
  const { sql, database } = await sqlFor(ctx, body, timeRange);
  const result = await runQuery(ctx, sql, database);
  return draw(el, body, result);
}

// Search visuals: charts over the OpenSearch-compatible API (/api/search/{index}/_search).
//
// Body (kind `visuals`, source "search"):
//   {"source":"search", "chart":"bar"|"hbar"|"line"|"area"|"pie"|"table"|"kpi", "title":"…",
//    "index":"retail*",              index, alias or pattern
//    "timeField":"InvoiceDate",      date field; the time range applies to it (optional)
//    "query":"Country:France",       Lucene syntax (query_string); empty = all documents
//    "interval":"auto"|"1m"|"1h"|"1d"|"1w"|"1M"|…,  date histogram interval
//    "metric":{"agg":"count"|"sum"|"avg"|"min"|"max","field":"Quantity"},
//    "split":{"field":"Country","size":5},         optional terms breakdown (top N)
//    "timeRange":{"from":"now-7d","to":"now"}}     used when no dashboard range is given
// bar/line/area/table draw the metric per date bucket (one series per split term); pie and hbar
// draw the metric per split term; kpi draws the metric over the whole range.

import { resolveRange } from '../components/timeRange.js';

export const INTERVALS = ['auto', '1s', '10s', '30s', '1m', '5m', '10m', '30m', '1h', '3h', '12h', '1d', '1w', '1M', '1y'];
const FIXED_STEPS = [
    ['1s', 1e3], ['5s', 5e3], ['10s', 1e4], ['30s', 3e4], ['1m', 6e4], ['5m', 3e5], ['10m', 6e5], ['30m', 18e5],
    ['1h', 36e5], ['3h', 108e5], ['12h', 432e5], ['1d', 864e5], ['7d', 6048e5], ['30d', 2592e6], ['365d', 31536e6],
];
const UNIT_MS = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, M: 2592e6, y: 31536e6 };

/** The interval for about `target` buckets over [fromMs, toMs] (what Kibana calls "auto"). */
export function autoInterval(fromMs, toMs, target = 60) {
    const span = Math.max(1, toMs - fromMs);
    for (const [name, ms] of FIXED_STEPS) {
        if (span / ms <= target) return name;
    }
    return '365d';
}

/** The date_histogram interval clause for an interval name ("1w", "1M", "1y" are calendar intervals). */
export function intervalClause(interval, fromMs, toMs) {
    const name = !interval || interval === 'auto' ? autoInterval(fromMs, toMs) : interval;
    if (/^1[wMqy]$/.test(name)) return { calendar_interval: name };
    return { fixed_interval: name };
}

export function intervalMillis(clause) {
    const text = clause.fixed_interval || clause.calendar_interval;
    const m = /^(\d+)([smhdwMy])$/.exec(text);
    return m ? Number(m[1]) * UNIT_MS[m[2]] : 0;
}

/** The bool filter for a time range, a Lucene query and extra filter clauses. */
export function boolQuery({ timeField, fromMs, toMs, query, filters = [], mustNot = [] }) {
    const filter = [];
    if (timeField && Number.isFinite(fromMs) && Number.isFinite(toMs)) {
        filter.push({ range: { [timeField]: { gte: Math.floor(fromMs), lte: Math.ceil(toMs), format: 'epoch_millis' } } });
    }
    if (query && query.trim()) filter.push({ query_string: { query: query.trim(), default_operator: 'AND' } });
    filter.push(...filters);
    const bool = { filter };
    if (mustNot.length) bool.must_not = mustNot;
    return { bool };
}

export function searchPath(index, op = '_search') {
    return '/api/search/' + encodeURIComponent(index.trim()).replace(/%2C/g, ',').replace(/%2A/g, '*') + '/' + op;
}

/** Flattens a _mapping response into [{name, type, aggregatable}] over all matching indices. */
export function flattenMapping(mappingResponse) {
    const fields = new Map();
    const walk = (props, prefix) => {
        for (const [name, def] of Object.entries(props || {})) {
            const full = prefix ? prefix + '.' + name : name;
            if (def.properties) walk(def.properties, full);
            if (def.type && def.type !== 'object' && def.type !== 'nested') {
                if (!fields.has(full)) fields.set(full, { name: full, type: def.type, aggregatable: def.type !== 'text' });
            }
            for (const [sub, subDef] of Object.entries(def.fields || {})) {
                const subName = full + '.' + sub;
                if (!fields.has(subName)) fields.set(subName, { name: subName, type: subDef.type, aggregatable: subDef.type !== 'text' });
            }
        }
    };
    for (const index of Object.values(mappingResponse || {})) walk(index?.mappings?.properties, '');
    return [...fields.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);
export const isNumeric = (type) => NUMERIC.has(type);

function metricAgg(metric) {
    const agg = metric?.agg || 'count';
    if (agg === 'count') return null;
    if (!['sum', 'avg', 'min', 'max'].includes(agg)) throw new Error(`metric '${agg}' is not one of count, sum, avg, min, max`);
    if (!metric.field) throw new Error(`metric ${agg} needs a numeric field`);
    return { [agg]: { field: metric.field } };
}

const metricValue = (bucket, metric) => (metric && metric.agg && metric.agg !== 'count' ? bucket.m?.value ?? null : bucket.doc_count);

export function metricLabel(metric) {
    return !metric || !metric.agg || metric.agg === 'count' ? 'Count' : `${metric.agg}(${metric.field})`;
}

/** The _search body for a visual body over [fromMs, toMs], and how to read its answer. */
export function buildRequest(body, fromMs, toMs, timezone) {
    const m = metricAgg(body.metric);
    const sub = m ? { m } : undefined;
    const request = { size: 0, track_total_hits: true, query: boolQuery({ timeField: body.timeField, fromMs, toMs, query: body.query }) };
    const chart = body.chart || 'bar';
    const split = body.split?.field ? { terms: { field: body.split.field, size: Math.max(1, Math.min(50, Number(body.split.size) || 5)) } } : null;
    if (chart === 'kpi') {
        if (m) request.aggs = { m };
        return { request, mode: 'kpi' };
    }
    if (chart === 'pie' || chart === 'hbar' || !body.timeField) {
        if (!split) {
            throw new Error(chart === 'pie' || chart === 'hbar' ? `a ${chart === 'pie' ? 'pie' : 'horizontal bar'} chart shows terms: choose a split field`
                : `a ${chart} chart needs a time field, or a split field to chart terms instead`);
        }
        request.aggs = { split: { ...split, ...(sub ? { aggs: sub } : {}) } };
        return { request, mode: 'terms' };
    }
    const histogram = { date_histogram: { field: body.timeField, ...intervalClause(body.interval, fromMs, toMs), min_doc_count: 0,
        extended_bounds: { min: Math.floor(fromMs), max: Math.ceil(toMs) }, time_zone: timezone || 'UTC' } };
    if (sub) histogram.aggs = sub;
    request.aggs = split ? { split: { ...split, aggs: { h: histogram } } } : { h: histogram };
    return { request, mode: split ? 'split-histogram' : 'histogram' };
}

/** Reads a _search answer into {keys, series:[{name, data}]} or {value} for kpi. */
export function readResponse(body, mode, response) {
    const aggs = response.aggregations || {};
    const total = response.hits?.total?.value ?? 0;
    if (mode === 'kpi') return { value: body.metric?.agg && body.metric.agg !== 'count' ? aggs.m?.value ?? null : total, total };
    if (mode === 'terms') {
        const buckets = aggs.split?.buckets || [];
        return { keys: buckets.map((b) => b.key_as_string ?? String(b.key)), series: [{ name: metricLabel(body.metric), data: buckets.map((b) => metricValue(b, body.metric)) }], total };
    }
    if (mode === 'histogram') {
        const buckets = aggs.h?.buckets || [];
        return { keys: buckets.map((b) => b.key), series: [{ name: metricLabel(body.metric), data: buckets.map((b) => metricValue(b, body.metric)) }], total };
    }
    const keys = new Set();
    for (const s of aggs.split?.buckets || []) for (const b of s.h?.buckets || []) keys.add(b.key);
    const sorted = [...keys].sort((a, b) => a - b);
    const series = (aggs.split?.buckets || []).map((s) => {
        const byKey = new Map((s.h?.buckets || []).map((b) => [b.key, metricValue(b, body.metric)]));
        return { name: s.key_as_string ?? String(s.key), data: sorted.map((k) => byKey.get(k) ?? 0) };
    });
    return { keys: sorted, series, total };
}

const formatters = new Map();
/** `YYYY-MM-DD HH:mm:ss.SSS` in the given IANA zone. */
export function formatTime(ms, timezone = 'UTC', withMillis = true) {
    if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '';
    let f = formatters.get(timezone);
    if (!f) {
        f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
            minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
        formatters.set(timezone, f);
    }
    const parts = Object.fromEntries(f.formatToParts(new Date(Number(ms))).map((p) => [p.type, p.value]));
    const base = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
    return withMillis ? base + '.' + String(Math.floor(Number(ms)) % 1000).padStart(3, '0') : base;
}

export function formatNumber(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v !== 'number') return String(v);
    return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
}

/** Draws `data` (from readResponse) as an ECharts option into `target`; returns the chart instance. */
export function drawChart(target, body, data, timezone, onFinished) {
    const chart = body.chart || 'bar';
    const instance = echarts.init(target, null, { renderer: 'canvas' });
    let finished = false;
    instance.on('finished', () => {
        if (!finished) {
            finished = true;
            onFinished?.();
        }
    });
    const isTime = typeof data.keys[0] === 'number' && body.timeField && chart !== 'pie' && chart !== 'hbar';
    const labels = data.keys.map((k) => (isTime ? formatTime(k, timezone, false) : String(k)));
    let option;
    if (chart === 'pie') {
        option = { tooltip: { trigger: 'item' }, legend: { type: 'scroll', bottom: 0 },
            series: [{ type: 'pie', radius: ['30%', '65%'], data: labels.map((name, i) => ({ name, value: data.series[0].data[i] })) }] };
    } else {
        const type = chart === 'line' || chart === 'area' ? 'line' : 'bar';
        const horizontal = chart === 'hbar';
        const category = { type: 'category', data: labels };
        const value = { type: 'value' };
        option = {
            tooltip: { trigger: 'axis' },
            legend: data.series.length > 1 ? { type: 'scroll', top: 0 } : undefined,
            grid: { left: 60, right: 20, top: data.series.length > 1 ? 30 : 15, bottom: 30, containLabel: true },
            xAxis: horizontal ? value : category,
            yAxis: horizontal ? { ...category, inverse: true } : value,
            series: data.series.map((s) => ({ name: s.name, type, data: s.data, stack: data.series.length > 1 && type === 'bar' ? 'split' : undefined,
                areaStyle: chart === 'area' ? {} : undefined, showSymbol: labels.length < 60 })),
        };
    }
    option.animation = false;
    instance.setOption(option);
    return instance;
}

function drawTable(target, body, data, timezone) {
    const table = el('table', { class: 'search-visual-table' });
    const isTime = body.timeField && data.keys.length && typeof data.keys[0] === 'number';
    const head = el('tr', {}, el('th', { text: isTime ? body.timeField : body.split?.field || 'key' }));
    data.series.forEach((s) => head.append(el('th', { text: s.name })));
    table.append(el('thead', {}, head));
    const tbody = el('tbody');
    data.keys.forEach((k, i) => {
        const row = el('tr', {}, el('td', { text: isTime ? formatTime(k, timezone, false) : String(k) }));
        data.series.forEach((s) => row.append(el('td', { class: 'num', text: formatNumber(s.data[i]) })));
        tbody.append(row);
    });
    table.append(tbody);
    target.append(el('div', { class: 'search-visual-scroll' }, table));
}

/** Renders a search visual body into `el` (contract of js/visuals/index.js). */
export async function render(container, body, ctx, { timeRange } = {}) {
    container.dataset.state = 'loading';
    container.replaceChildren();
    let instance = null;
    let observer = null;
    const dispose = () => {
        observer?.disconnect();
        instance?.dispose();
        instance = null;
    };
    try {
        if (!body || !body.index) throw new Error('this search visual has no index');
        const range = resolveRange(timeRange || body.timeRange || { from: 'now-24h', to: 'now' });
        const timezone = ctx.timezone ? ctx.timezone() : 'UTC';
        let { request, mode } = buildRequest(body, range.fromMs, range.toMs, timezone);
        let response;
        try {
            response = await ctx.api.post(searchPath(body.index), request);
        } catch (err) {
            // A split on a text field (say "Country") means its keyword sub-field, as dynamic mappings create it.
            if (!body.split?.field || body.split.field.endsWith('.keyword') || !/Text fields are not optimised/.test(err.message || '')) throw err;
            body = { ...body, split: { ...body.split, field: body.split.field + '.keyword' } };
            ({ request, mode } = buildRequest(body, range.fromMs, range.toMs, timezone));
            response = await ctx.api.post(searchPath(body.index), request);
        }
        const data = readResponse(body, mode, response);
        container.replaceChildren();
        if (mode === 'kpi') {
            container.append(el('div', { class: 'search-kpi' }, el('div', { class: 'search-kpi-value', text: formatNumber(data.value) }),
                el('div', { class: 'search-kpi-label', text: metricLabel(body.metric) + ' · ' + formatNumber(data.total) + ' documents' })));
            container.dataset.state = 'drawn';
        } else if (body.chart === 'table') {
            drawTable(container, body, data, timezone);
            container.dataset.state = 'drawn';
        } else {
            const target = el('div', { class: 'search-visual-chart' });
            target.style.width = '100%';
            target.style.height = '100%';
            target.style.minHeight = '200px';
            container.append(target);
            instance = drawChart(target, body, data, timezone, () => {
                container.dataset.state = 'drawn';
            });
            if (typeof ResizeObserver !== 'undefined') {
                observer = new ResizeObserver(() => instance?.resize());
                observer.observe(target);
            }
        }
    } catch (err) {
        container.replaceChildren(el('div', { class: 'error', text: err.message || String(err) }));
        container.dataset.state = 'error';
    }
    return { dispose };
}

export default { render };

// Streams & pipeline: streams with their incoming rate, delivery streams, search sinks, schedules
// and analytics runs — the operational view of everything the pipeline declares.
import { formatNumber, formatTime } from '../visuals/search.js';

const STREAM_POLL_MS = 2000;
const PIPELINE_POLL_MS = 10000;
const HISTORY = 60;

function h(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
    return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small inline SVG line of the last rates (no chart library needed for 60 points). */
function sparkline(values, width = 140, height = 28) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `records per second, last ${values.length} samples`);
    const max = Math.max(1, ...values) * 1.25;
    const step = width / Math.max(1, values.length - 1);
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
    const base = document.createElementNS(SVG, 'line');
    for (const [k, v] of [['x1', 0], ['x2', width], ['y1', height - 1], ['y2', height - 1], ['stroke', '#d0d7e2']]) base.setAttribute(k, v);
    svg.append(base);
    if (points.length) {
        const line = document.createElementNS(SVG, 'polyline');
        line.setAttribute('points', points.join(' '));
        line.setAttribute('fill', 'none');
        line.setAttribute('stroke', 'currentColor');
        line.setAttribute('stroke-width', '1.5');
        svg.append(line);
    }
    return svg;
}

function bytes(n) {
    if (n === null || n === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = Number(n);
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
    }
    return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

function duration(ms) {
    if (ms === null || ms === undefined || ms < 0) return '';
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    if (ms < 3600000) return Math.round(ms / 60000) + ' min';
    return (ms / 3600000).toFixed(1) + ' h';
}

function table(id, headers, rows, empty) {
    if (!rows.length) return h('p', { class: 'muted', id, text: empty });
    return h('table', { class: 'data', id }, h('thead', {}, h('tr', {}, headers.map((t) => h('th', { text: t })))), h('tbody', {}, rows));
}

export function lakeLink(location) {
    return '#/lake/' + encodeURIComponent(location);
}

export default {
    title: 'Streams',
    async mount(el, ctx) {
        const tz = () => ctx.timezone();
        const time = (iso) => (iso ? formatTime(Date.parse(iso), tz(), false) : '');
        const history = new Map(); // stream → {last: {count, at}, rates: []}
        let streamTimer = null;
        let pipelineTimer = null;
        let disposed = false;

        const sections = {
            streams: h('div', { id: 'streams-table' }),
            delivery: h('div', { id: 'delivery-table' }),
            sinks: h('div', { id: 'sinks-table' }),
            schedules: h('div', { id: 'schedules-table' }),
            analytics: h('div', { id: 'analytics-runs' }),
        };
        const section = (title, body, help) => h('section', { class: 'panel' }, h('h2', { text: title }), help ? h('p', { class: 'muted', text: help }) : null, body);
        el.append(h('div', { class: 'streams-page' },
            section('Streams', sections.streams, 'Incoming records per second, sampled every 2 s.'),
            section('Delivery streams', sections.delivery, 'Into the lake: what is buffered, how far behind, and the last object written.'),
            section('Search sinks', sections.sinks, 'From streams into search indices.'),
            section('Schedules', sections.schedules),
            section('Analytics runs', sections.analytics)));

        function fail(target, err) {
            target.replaceChildren();
            ctx.showError(target, err);
        }

        async function pollStreams() {
            try {
                const list = await ctx.api.get('/api/streams');
                const described = await Promise.all(list.slice(0, 50).map((s) => ctx.api.get('/api/streams/' + encodeURIComponent(s.name)).catch(() => null)));
                if (disposed) return;
                const now = performance.now();
                const rows = list.map((s, i) => {
                    const d = described[i];
                    // Records ever appended = sum of shard end offsets; retention trimming does not lower it.
                    const total = d ? (d.shardList || []).reduce((sum, shard) => sum + (shard.endOffset || 0), 0) : null;
                    let entry = history.get(s.name);
                    if (!entry) {
                        entry = { last: null, rates: [] };
                        history.set(s.name, entry);
                    }
                    if (total !== null) {
                        if (entry.last && now > entry.last.at) {
                            const rate = Math.max(0, (total - entry.last.count) / ((now - entry.last.at) / 1000));
                            entry.rates.push(rate);
                            if (entry.rates.length > HISTORY) entry.rates.shift();
                        }
                        entry.last = { count: total, at: now };
                    }
                    const rate = entry.rates.length ? entry.rates[entry.rates.length - 1] : null;
                    return h('tr', { 'data-stream': s.name },
                        h('td', {}, h('strong', { text: s.name })),
                        h('td', { text: s.status }),
                        h('td', { class: 'num', text: `${s.openShards}/${s.shards}` }),
                        h('td', { class: 'num rate', 'data-rate': rate === null ? '' : String(rate), text: rate === null ? 'measuring…' : formatNumber(Math.round(rate * 10) / 10) + ' /s' }),
                        h('td', {}, sparkline(entry.rates)),
                        h('td', { class: 'num', text: total === null ? '' : formatNumber(total) }),
                        h('td', { class: 'num', text: formatNumber(s.retainedRecords) }),
                        h('td', { class: 'num', text: bytes(s.sizeBytes) }),
                        h('td', { text: s.retention }),
                        h('td', { class: 'nowrap', text: time(s.lastArrival) }));
                });
                for (const name of [...history.keys()]) if (!list.some((s) => s.name === name)) history.delete(name);
                sections.streams.replaceChildren(table('streams', ['Stream', 'Status', 'Open shards', 'Incoming', 'Recent', 'Records appended',
                    'Retained', 'Size', 'Retention', `Last arrival (${tz()})`], rows, 'No streams yet. Create one with `tributary streams create` or declare it in tributary.yaml.'));
            } catch (err) {
                fail(sections.streams, err);
            }
        }

        async function pollDelivery() {
            try {
                const list = await ctx.api.get('/api/delivery-streams');
                sections.delivery.replaceChildren(table('delivery', ['Delivery stream', 'Source', 'Destination', 'Format', 'Buffered', 'Lag', 'Delivered',
                    'Objects', 'Errors', 'Last object', `Last delivery (${tz()})`], list.map((d) => h('tr', { 'data-delivery': d.name },
                    h('td', {}, h('strong', { text: d.name })),
                    h('td', { text: d.sourceStream || d.source }),
                    h('td', {}, h('a', { href: lakeLink(d.destination), text: d.destination }), h('div', { class: 'muted small', text: d.prefix })),
                    h('td', { text: d.format + (d.compression && d.compression !== 'UNCOMPRESSED' ? ' · ' + d.compression : '') }),
                    h('td', { class: 'num', text: `${formatNumber(d.bufferedRecords)} (${bytes(d.bufferedBytes)})` }),
                    h('td', { class: 'num', text: duration(d.lagMillis) }),
                    h('td', { class: 'num', text: formatNumber(d.recordsDelivered) }),
                    h('td', { class: 'num', text: formatNumber(d.objectsWritten) }),
                    h('td', { class: 'num' + (d.errorRecords ? ' warn' : ''), text: formatNumber(d.errorRecords), title: d.lastError || '' }),
                    h('td', {}, d.lastObject ? h('a', { href: lakeLink(d.lastObject), text: d.lastObject.replace(/^s3:\/\/[^/]+\//, '') }) : ''),
                    h('td', { class: 'nowrap', text: time(d.lastDelivery) }))), 'No delivery streams.'));
            } catch (err) {
                fail(sections.delivery, err);
            }
        }

        async function pollSinks() {
            try {
                const list = await ctx.api.get('/api/sinks');
                sections.sinks.replaceChildren(table('sinks', ['Sink', 'Stream → index', 'State', 'Reads', 'Writes', 'Invalid', 'Index errors', 'Errors', 'Lag', 'Last error'],
                    list.map((s) => h('tr', { 'data-sink': s.name },
                        h('td', {}, h('strong', { text: s.name })),
                        h('td', {}, `${s.spec?.stream ?? ''} → `, h('a', { href: '#/discover', 'data-index': s.spec?.index ?? '', text: s.spec?.index ?? '', onclick: () => {
                            const saved = JSON.parse(localStorage.getItem('tributary.discover') || '{}');
                            localStorage.setItem('tributary.discover', JSON.stringify({ ...saved, index: s.spec?.index }));
                        } })),
                        h('td', { text: s.state }),
                        ...['reads', 'writes', 'invalid', 'index_errors', 'errors'].map((c) => h('td', { class: 'num' + (c !== 'reads' && c !== 'writes' && s.counters?.[c] ? ' warn' : ''),
                            text: formatNumber(s.counters?.[c] ?? 0) })),
                        h('td', { class: 'num', text: duration(s.lagMillis) }),
                        h('td', { class: 'small', text: s.lastError || '' }))), 'No search sinks.'));
            } catch (err) {
                fail(sections.sinks, err);
            }
        }

        async function pollSchedules() {
            try {
                const list = await ctx.api.get('/api/schedules');
                sections.schedules.replaceChildren(table('schedules', ['Schedule', 'Expression', 'Task', 'Enabled', `Next (${tz()})`, 'Last run', 'Message', ''],
                    list.map((s) => h('tr', { 'data-schedule': s.name },
                        h('td', {}, h('strong', { text: s.name })),
                        h('td', {}, h('code', { text: s.expression })),
                        h('td', { text: s.task + (s.parameters?.job ? ' · ' + s.parameters.job : '') }),
                        h('td', { text: s.enabled ? 'yes' : 'no' }),
                        h('td', { class: 'nowrap', text: time(s.nextFire) }),
                        h('td', { class: 'nowrap' }, s.lastRun ? h('span', { class: 'status status-' + String(s.lastRun.status).toLowerCase(), text: s.lastRun.status }) : 'never',
                            s.lastRun ? ' ' + time(s.lastRun.started || s.lastRun.scheduledFor) + (s.lastRun.durationMillis !== undefined ? ' · ' + duration(s.lastRun.durationMillis) : '') : ''),
                        h('td', { class: 'small', text: s.lastRun?.message || '' }),
                        h('td', {}, h('button', { type: 'button', class: 'small', text: 'Run now', onclick: async (e) => {
                            e.target.disabled = true;
                            try {
                                const r = await ctx.api.post('/api/schedules/' + encodeURIComponent(s.name) + '/runs', {});
                                ctx.toast(`Schedule ${s.name}: run ${r.runId} started`);
                                setTimeout(pollSchedules, 1500);
                            } catch (err) {
                                fail(sections.schedules, err);
                            }
                        } })))), 'No schedules.'));
            } catch (err) {
                fail(sections.schedules, err);
            }
        }

        async function pollAnalytics() {
            try {
                const runs = await ctx.api.get('/api/analytics/runs?limit=10');
                const outputUrl = (run, name) => '/api/analytics/runs/' + encodeURIComponent(run.id) + '/outputs/' + encodeURIComponent(name);
                const items = runs.map((run) => h('article', { class: 'analytics-run', 'data-run': run.id },
                    h('header', {}, h('strong', { text: run.job }), ' ', h('span', { class: 'status status-' + String(run.status).toLowerCase(), text: run.status }),
                        h('span', { class: 'muted', text: ` started ${time(run.started)}` + (run.ended ? `, ended ${time(run.ended)}` : '')
                            + (run.objectsRead !== undefined ? ` · ${formatNumber(run.objectsRead)} objects read` : '') })),
                    h('div', { class: 'small' }, 'Input ', h('a', { href: lakeLink(run.input), text: run.input }), ' → output ', h('a', { href: lakeLink(run.output), text: run.output })),
                    run.error ? h('div', { class: 'error', text: run.error }) : null,
                    run.outputs?.length ? h('ul', { class: 'outputs' }, run.outputs.map((name) => h('li', {},
                        h('a', { href: outputUrl(run, name), target: '_blank', rel: 'noopener', text: name }),
                        name.endsWith('.png') ? h('div', {}, h('img', { src: outputUrl(run, name), alt: `${run.job} ${name}`, loading: 'lazy', class: 'analytics-png' })) : null))) : null));
                let jobs = [];
                try {
                    jobs = await ctx.api.get('/api/analytics/jobs');
                } catch {
                    // the run list is what matters here; the job catalogue is a hint
                }
                sections.analytics.replaceChildren(
                    jobs.length ? h('p', { class: 'muted', text: 'Jobs: ' + jobs.map((j) => j.name + (j.description ? ' — ' + j.description : '')).join('; ') }) : null,
                    ...(items.length ? items : [h('p', { class: 'muted', text: 'No analytics runs yet.' })]));
            } catch (err) {
                fail(sections.analytics, err);
            }
        }

        // Streams, delivery and sinks move with every record; schedules and analytics runs change slowly.
        const pollFlow = () => Promise.all([pollStreams(), pollDelivery(), pollSinks()]);
        const pollPipeline = () => Promise.all([pollSchedules(), pollAnalytics()]);
        await Promise.all([pollFlow(), pollPipeline()]);
        streamTimer = setInterval(pollFlow, STREAM_POLL_MS);
        pipelineTimer = setInterval(pollPipeline, PIPELINE_POLL_MS);
        return () => {
            disposed = true;
            clearInterval(streamTimer);
            clearInterval(pipelineTimer);
        };
    },
};

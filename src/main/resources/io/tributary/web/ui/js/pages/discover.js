// Discover: documents of an index pattern over time, with a Lucene query bar, a histogram, a
// document table with expandable rows and a field list with top values and filters.
import { createTimeRangePicker, resolveRange } from '../components/timeRange.js';
import { boolQuery, flattenMapping, formatTime, formatNumber, intervalClause, intervalMillis, searchPath } from '../visuals/search.js';

const STORAGE = 'tributary.discover';
const PAGE_SIZE = 100;
const PREFERRED_TIME_FIELDS = ['@timestamp', 'timestamp', 'InvoiceDate', 'time', 'date'];

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

function loadState() {
    try {
        return JSON.parse(localStorage.getItem(STORAGE)) || {};
    } catch {
        return {};
    }
}

function summary(source, limit = 400) {
    const parts = [];
    for (const [k, v] of Object.entries(source || {})) {
        parts.push(k + ': ' + (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
    }
    const text = parts.join('  ·  ');
    return text.length > limit ? text.slice(0, limit) + '…' : text;
}

function valueAt(source, path) {
    if (source && Object.prototype.hasOwnProperty.call(source, path)) return source[path];
    return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), source);
}

export default {
    title: 'Discover',
    async mount(el, ctx) {
        const saved = loadState();
        const state = {
            index: saved.index || '',
            timeField: saved.timeField || '',
            query: saved.query || '',
            columns: saved.columns || [],
            filters: [],
            range: saved.range || { from: 'now-15m', to: 'now', refreshSeconds: 0 },
            fields: [],
        };
        let timer = null;
        let chart = null;
        let generation = 0;
        let disposed = false;
        const persist = () => localStorage.setItem(STORAGE, JSON.stringify({ index: state.index, timeField: state.timeField,
            query: state.query, columns: state.columns, range: state.range }));

        const indexInput = h('input', { id: 'discover-index', type: 'text', list: 'discover-indices', placeholder: 'index, alias or pattern such as retail*',
            value: state.index, autocomplete: 'off', size: 24 });
        const indexList = h('datalist', { id: 'discover-indices' });
        const timeSelect = h('select', { id: 'discover-time-field' });
        const queryInput = h('input', { id: 'discover-query', type: 'search', placeholder: 'Lucene query, e.g. Country:France AND Quantity:[10 TO *]',
            value: state.query, autocomplete: 'off' });
        const pickerHost = h('div', { class: 'discover-time-picker' });
        const form = h('form', { class: 'discover-bar toolbar', role: 'search' },
            h('label', { for: 'discover-index', text: 'Index pattern' }), indexInput, indexList,
            h('label', { for: 'discover-time-field', text: 'Time field' }), timeSelect,
            h('label', { for: 'discover-query', class: 'visually-hidden', text: 'Query' }), queryInput,
            h('button', { type: 'submit', class: 'primary', text: 'Search' }));
        const filterBar = h('div', { class: 'discover-filters' });
        const errorBox = h('div', { class: 'discover-error' });
        const fieldList = h('ul', { class: 'discover-field-list' });
        const fieldFilter = h('input', { type: 'search', placeholder: 'Filter fields', 'aria-label': 'Filter fields' });
        const hitsLabel = h('div', { class: 'discover-hits', id: 'discover-hits' });
        const chartBox = h('div', { class: 'discover-histogram', id: 'discover-histogram' });
        const tableBox = h('div', { class: 'discover-docs', id: 'discover-docs' });
        el.append(h('div', { class: 'discover-page' },
            h('div', { class: 'discover-top' }, form, pickerHost),
            filterBar, errorBox,
            h('div', { class: 'discover-body' },
                h('aside', { class: 'discover-sidebar' }, h('h3', { text: 'Fields' }), fieldFilter, fieldList),
                h('section', { class: 'discover-main' }, hitsLabel, chartBox, tableBox))));

        const onRangeChange = (value) => {
            state.range = value;
            persist();
            schedule();
            run();
        };
        const picker = createTimeRangePicker(pickerHost, { value: state.range, onChange: onRangeChange });

        function schedule() {
            clearInterval(timer);
            timer = null;
            const seconds = Number(state.range.refreshSeconds) || 0;
            if (seconds > 0) timer = setInterval(() => run({ quiet: true }), seconds * 1000);
        }

        function showError(err) {
            errorBox.replaceChildren();
            if (err) ctx.showError(errorBox, err);
        }

        async function loadIndices() {
            try {
                const [indices, aliases] = await Promise.all([
                    ctx.api.get('/api/search/_cat/indices?format=json'),
                    ctx.api.get('/api/search/_alias').catch(() => ({})),
                ]);
                const names = new Set();
                for (const i of indices || []) if (!String(i.index).startsWith('.')) names.add(i.index);
                for (const entry of Object.values(aliases || {})) for (const a of Object.keys(entry.aliases || {})) names.add(a);
                indexList.replaceChildren(...[...names].sort().map((n) => h('option', { value: n })));
                if (!state.index && names.size) {
                    state.index = [...names].sort()[0];
                    indexInput.value = state.index;
                }
            } catch (err) {
                showError(err);
            }
        }

        async function loadMapping() {
            state.fields = [];
            timeSelect.replaceChildren();
            if (!state.index) return;
            const mapping = await ctx.api.get(searchPath(state.index, '_mapping'));
            state.fields = flattenMapping(mapping);
            const dates = state.fields.filter((f) => f.type === 'date' || f.type === 'date_nanos').map((f) => f.name);
            timeSelect.append(h('option', { value: '', text: '(no time field)' }));
            dates.forEach((d) => timeSelect.append(h('option', { value: d, text: d })));
            if (!dates.includes(state.timeField)) {
                state.timeField = PREFERRED_TIME_FIELDS.find((p) => dates.includes(p)) || dates[0] || '';
            }
            timeSelect.value = state.timeField;
            renderFields();
        }

        function renderFilters() {
            filterBar.replaceChildren(...state.filters.map((f, i) => h('span', { class: 'chip' + (f.negate ? ' negate' : '') },
                (f.negate ? 'NOT ' : '') + f.field + ': ' + f.value,
                h('button', { type: 'button', class: 'chip-remove', 'aria-label': 'Remove filter ' + f.field, text: '×', onclick: () => {
                    state.filters.splice(i, 1);
                    renderFilters();
                    run();
                } }))));
        }

        function addFilter(field, value, negate) {
            state.filters.push({ field, value, negate });
            renderFilters();
            run();
        }

        function aggregatableName(field) {
            if (field.aggregatable) return field.name;
            const keyword = state.fields.find((f) => f.name === field.name + '.keyword' && f.aggregatable);
            return keyword ? keyword.name : null;
        }

        async function showTopValues(field, item) {
            const existing = item.querySelector('.discover-top-values');
            if (existing) {
                existing.remove();
                return;
            }
            const box = h('div', { class: 'discover-top-values', text: 'Loading…' });
            item.append(box);
            const aggField = aggregatableName(field);
            const columnButton = h('button', { type: 'button', class: 'small column-toggle', text: state.columns.includes(field.name) ? 'Remove column' : 'Add as column',
                onclick: () => {
                    toggleColumn(field.name);
                    columnButton.textContent = state.columns.includes(field.name) ? 'Remove column' : 'Add as column';
                } });
            if (!aggField) {
                box.replaceChildren(h('p', { class: 'muted', text: 'Not aggregatable (text field without a keyword sub-field).' }), columnButton);
                return;
            }
            try {
                const response = await ctx.api.post(searchPath(state.index), { size: 0, query: currentQuery(),
                    aggs: { top: { terms: { field: aggField, size: 5 } } } });
                const total = response.hits?.total?.value || 0;
                const buckets = response.aggregations?.top?.buckets || [];
                const list = h('ol', { class: 'top-values' }, buckets.map((b) => {
                    const value = b.key_as_string ?? String(b.key);
                    const pct = total ? Math.round((b.doc_count / total) * 1000) / 10 : 0;
                    return h('li', {}, h('span', { class: 'top-value', title: value, text: value }), h('span', { class: 'muted', text: ' ' + pct + '%' }),
                        h('button', { type: 'button', class: 'small', title: 'Filter for ' + value, 'aria-label': 'Filter for ' + value, text: '+',
                            onclick: () => addFilter(aggField, value, false) }),
                        h('button', { type: 'button', class: 'small', title: 'Filter out ' + value, 'aria-label': 'Filter out ' + value, text: '−',
                            onclick: () => addFilter(aggField, value, true) }));
                }));
                box.replaceChildren(h('div', { class: 'muted', text: `Top ${buckets.length} values in ${formatNumber(total)} documents` }), list, columnButton);
            } catch (err) {
                box.replaceChildren();
                ctx.showError(box, err);
            }
        }

        function toggleColumn(name) {
            const i = state.columns.indexOf(name);
            if (i >= 0) state.columns.splice(i, 1);
            else state.columns.push(name);
            persist();
            // Mark the field without redrawing the list, so an open top-values box stays open.
            for (const b of fieldList.querySelectorAll('button.field-name')) {
                b.parentElement.classList.toggle('selected', state.columns.includes(b.dataset.field));
            }
            renderDocs(lastHits);
        }

        function renderFields() {
            const needle = fieldFilter.value.trim().toLowerCase();
            fieldList.replaceChildren(...state.fields.filter((f) => !needle || f.name.toLowerCase().includes(needle)).map((f) => {
                const item = h('li', { class: state.columns.includes(f.name) ? 'selected' : '' });
                item.append(h('button', { type: 'button', class: 'field-name', 'data-field': f.name, title: f.type, onclick: () => showTopValues(f, item) },
                    h('span', { class: 'field-type', text: typeLetter(f.type) }), f.name));
                return item;
            }));
        }
        fieldFilter.addEventListener('input', renderFields);

        function typeLetter(type) {
            if (type === 'date' || type === 'date_nanos') return '◷';
            if (type === 'keyword') return 'k';
            if (type === 'text') return 't';
            if (type === 'boolean') return 'b';
            return '#';
        }

        function currentRange() {
            return resolveRange(state.range);
        }

        function currentQuery() {
            const { fromMs, toMs } = currentRange();
            return boolQuery({ timeField: state.timeField, fromMs, toMs, query: state.query,
                filters: state.filters.filter((f) => !f.negate).map((f) => ({ term: { [f.field]: f.value } })),
                mustNot: state.filters.filter((f) => f.negate).map((f) => ({ term: { [f.field]: f.value } })) });
        }

        let lastHits = [];
        const expanded = new Set();
        async function run({ quiet = false } = {}) {
            if (!state.index) {
                hitsLabel.textContent = 'Choose an index pattern to see its documents.';
                return;
            }
            const mine = ++generation;
            const { fromMs, toMs } = currentRange();
            const request = { size: PAGE_SIZE, track_total_hits: true, query: currentQuery() };
            let clause = null;
            if (state.timeField) {
                request.sort = [{ [state.timeField]: { order: 'desc' } }];
                clause = intervalClause('auto', fromMs, toMs);
                request.aggs = { histogram: { date_histogram: { field: state.timeField, ...clause, min_doc_count: 0,
                    extended_bounds: { min: Math.floor(fromMs), max: Math.ceil(toMs) }, time_zone: ctx.timezone() } } };
            }
            if (!quiet) tableBox.dataset.state = 'loading';
            try {
                const response = await ctx.api.post(searchPath(state.index), request);
                if (disposed || mine !== generation) return;
                showError(null);
                const total = response.hits?.total?.value ?? 0;
                const relation = response.hits?.total?.relation === 'gte' ? '≥ ' : '';
                hitsLabel.textContent = `${relation}${formatNumber(total)} hits` + (clause ? ` · interval ${clause.fixed_interval || clause.calendar_interval}` : '')
                    + ` · ${formatTime(fromMs, ctx.timezone(), false)} → ${formatTime(toMs, ctx.timezone(), false)} (${ctx.timezone()})`;
                hitsLabel.dataset.total = String(total);
                renderHistogram(response.aggregations?.histogram?.buckets || [], clause);
                lastHits = response.hits?.hits || [];
                renderDocs(lastHits);
                tableBox.dataset.state = 'drawn';
            } catch (err) {
                if (disposed || mine !== generation) return;
                showError(err);
                tableBox.dataset.state = 'error';
            }
        }

        function renderHistogram(buckets, clause) {
            if (!state.timeField) {
                chart?.dispose();
                chart = null;
                chartBox.hidden = true;
                return;
            }
            chartBox.hidden = false;
            if (!chart) {
                chart = echarts.init(chartBox);
                chart.on('click', (p) => {
                    const key = chart.__keys?.[p.dataIndex];
                    if (key === undefined) return;
                    zoomTo(key, key + chart.__step - 1);
                });
                chart.on('brushEnd', (p) => {
                    const area = p.areas?.[0];
                    if (!area || !area.coordRange) return;
                    const [a, b] = area.coordRange;
                    const keys = chart.__keys || [];
                    if (!keys.length) return;
                    const lo = keys[Math.max(0, Math.min(a, b))];
                    const hi = keys[Math.min(keys.length - 1, Math.max(a, b))] + chart.__step - 1;
                    zoomTo(lo, hi);
                });
            }
            const step = intervalMillis(clause);
            chart.__keys = buckets.map((b) => b.key);
            chart.__step = step;
            const tz = ctx.timezone();
            chart.setOption({
                animation: false,
                grid: { left: 50, right: 16, top: 28, bottom: 24 },
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                toolbox: { right: 10, top: 0, feature: { brush: { type: ['lineX', 'clear'], title: { lineX: 'Select a range to zoom', clear: 'Clear' } } } },
                brush: { xAxisIndex: 0, brushLink: 'all', outOfBrush: { colorAlpha: 0.3 } },
                xAxis: { type: 'category', data: buckets.map((b) => formatTime(b.key, tz, false)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ name: 'Count', type: 'bar', data: buckets.map((b) => b.doc_count), barCategoryGap: '10%', cursor: 'zoom-in' }],
            }, true);
            chart.resize();
            chartBox.dataset.buckets = String(buckets.filter((b) => b.doc_count > 0).length);
        }

        function zoomTo(fromMs, toMs) {
            state.range = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), refreshSeconds: state.range.refreshSeconds || 0 };
            picker.set(state.range);
            persist();
            run();
        }

        function renderDocs(hits) {
            const tz = ctx.timezone();
            const head = h('tr', {}, h('th', { class: 'expand-col', 'aria-label': 'Expand' }),
                state.timeField ? h('th', { text: state.timeField + ' (' + tz + ')' }) : null,
                state.columns.length ? state.columns.map((c) => h('th', {}, c,
                    h('button', { type: 'button', class: 'small link', 'aria-label': 'Remove column ' + c, text: '×', onclick: () => toggleColumn(c) })))
                    : h('th', { text: '_source' }));
            const body = h('tbody');
            for (const hit of hits) {
                const source = hit._source || {};
                const timeValue = state.timeField ? (hit.sort?.[0] ?? Date.parse(valueAt(source, state.timeField))) : null;
                const toggle = h('button', { type: 'button', class: 'small link', 'aria-expanded': 'false', 'aria-label': 'Show document ' + hit._id, text: '▸' });
                const row = h('tr', { class: 'doc-row', 'data-id': hit._id }, h('td', {}, toggle),
                    state.timeField ? h('td', { class: 'nowrap', text: typeof timeValue === 'number' && !Number.isNaN(timeValue) ? formatTime(timeValue, tz) : String(valueAt(source, state.timeField) ?? '') }) : null,
                    state.columns.length ? state.columns.map((c) => {
                        const v = valueAt(source, c);
                        return h('td', { text: v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v) });
                    }) : h('td', { class: 'doc-summary', text: summary(source) }));
                const detail = h('tr', { class: 'doc-detail', hidden: true }, h('td', { colspan: String(2 + Math.max(1, state.columns.length)) },
                    h('div', { class: 'muted', text: `_index: ${hit._index}  _id: ${hit._id}` }),
                    h('pre', { class: 'json', text: JSON.stringify(source, null, 2) })));
                const key = hit._index + '/' + hit._id;
                const show = (open) => {
                    detail.hidden = !open;
                    toggle.textContent = open ? '▾' : '▸';
                    toggle.setAttribute('aria-expanded', String(open));
                };
                // Expanded rows stay expanded when auto-refresh redraws the table.
                show(expanded.has(key));
                const flip = () => {
                    if (expanded.has(key)) expanded.delete(key);
                    else expanded.add(key);
                    show(expanded.has(key));
                };
                toggle.addEventListener('click', (e) => {
                    e.stopPropagation();
                    flip();
                });
                row.addEventListener('click', flip);
                body.append(row, detail);
            }
            const table = h('table', { class: 'discover-table data' }, h('thead', {}, head), body);
            tableBox.replaceChildren(hits.length ? table : h('p', { class: 'muted', text: 'No documents match in this time range. Widen the range or change the query.' }));
            if (hits.length === PAGE_SIZE) tableBox.append(h('p', { class: 'muted', text: `Showing the newest ${PAGE_SIZE} documents.` }));
        }

        form.addEventListener('submit', async (e) => {
            e.preventDefault();
            const index = indexInput.value.trim();
            state.query = queryInput.value;
            if (index !== state.index) {
                state.index = index;
                state.filters = [];
                renderFilters();
                try {
                    await loadMapping();
                } catch (err) {
                    // Nothing of the previous index may stay on screen as if it belonged to this one.
                    generation++;
                    renderFields();
                    lastHits = [];
                    tableBox.replaceChildren();
                    hitsLabel.textContent = '';
                    delete hitsLabel.dataset.total;
                    chartBox.hidden = true;
                    showError(err);
                    persist();
                    return;
                }
            }
            persist();
            run();
        });
        indexInput.addEventListener('change', () => form.requestSubmit());
        timeSelect.addEventListener('change', () => {
            state.timeField = timeSelect.value;
            persist();
            run();
        });

        const resize = () => chart?.resize();
        window.addEventListener('resize', resize);

        await loadIndices();
        try {
            await loadMapping();
        } catch (err) {
            showError(err);
        }
        schedule();
        await run();

        return () => {
            disposed = true;
            clearInterval(timer);
            window.removeEventListener('resize', resize);
            chart?.dispose();
            picker.dispose();
        };
    },
};

// Visualize over search: a metric (count/sum/avg/min/max) by date histogram, split by the top
// terms of a field, drawn as bar/line/area/pie/table/KPI and saved as a visual (source "search").
import { createTimeRangePicker } from '../components/timeRange.js';
import { INTERVALS, flattenMapping, isNumeric, render, searchPath } from '../visuals/search.js';

const CHARTS = [['bar', 'Bar'], ['line', 'Line'], ['area', 'Area'], ['hbar', 'Horizontal bar (by term)'], ['pie', 'Pie (by term)'],
    ['table', 'Table'], ['kpi', 'KPI']];
const AGGS = ['count', 'sum', 'avg', 'min', 'max'];

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

function field(id, label, control) {
    return h('div', { class: 'form-field' }, h('label', { for: id, text: label }), control);
}

function options(select, values, selected) {
    select.replaceChildren(...values.map(([value, text]) => h('option', { value, text })));
    if (selected !== undefined && values.some(([v]) => v === selected)) select.value = selected;
}

export default {
    title: 'Visualize',
    async mount(el, ctx, params = []) {
        const id = params[0] || null;
        let visual = null;
        let fields = [];
        let handle = null;
        let disposed = false;
        let body = { source: 'search', chart: 'bar', title: '', index: '', timeField: '', query: '', interval: 'auto',
            metric: { agg: 'count' }, timeRange: { from: 'now-24h', to: 'now' } };

        const name = h('input', { id: 'vis-name', type: 'text', required: true, maxlength: '200', placeholder: 'Name of the visual' });
        const index = h('input', { id: 'vis-index', type: 'text', list: 'vis-indices', required: true, placeholder: 'retail*', autocomplete: 'off' });
        const indexList = h('datalist', { id: 'vis-indices' });
        const timeField = h('select', { id: 'vis-time-field' });
        const query = h('input', { id: 'vis-query', type: 'search', placeholder: 'Lucene query (empty: all documents)', autocomplete: 'off' });
        const chart = h('select', { id: 'vis-chart' });
        options(chart, CHARTS);
        const agg = h('select', { id: 'vis-agg' });
        options(agg, AGGS.map((a) => [a, a]));
        const metricField = h('select', { id: 'vis-metric-field' });
        const interval = h('select', { id: 'vis-interval' });
        options(interval, INTERVALS.map((i) => [i, i === 'auto' ? 'auto' : i]));
        const splitField = h('select', { id: 'vis-split-field' });
        const splitSize = h('input', { id: 'vis-split-size', type: 'number', min: '1', max: '50', value: '5' });
        const pickerHost = h('div', { class: 'vis-time-picker' });
        const saveButton = h('button', { type: 'button', id: 'vis-save', class: 'primary', text: id ? 'Save' : 'Save visual' });
        const saveAsButton = id ? h('button', { type: 'button', id: 'vis-save-as', text: 'Save as new' }) : null;
        const errorBox = h('div', { class: 'vis-error' });
        const preview = h('div', { class: 'vis-preview', id: 'vis-preview' });
        const savedList = h('ul', { class: 'vis-saved' });

        const form = h('form', { class: 'vis-form', id: 'vis-form' },
            field('vis-name', 'Name', name),
            field('vis-index', 'Index pattern', h('span', {}, index, indexList)),
            field('vis-time-field', 'Time field', timeField),
            field('vis-query', 'Query', query),
            field('vis-chart', 'Chart', chart),
            h('fieldset', {}, h('legend', { text: 'Metric' }), field('vis-agg', 'Aggregation', agg), field('vis-metric-field', 'Field', metricField)),
            field('vis-interval', 'Interval', interval),
            h('fieldset', {}, h('legend', { text: 'Split by terms' }), field('vis-split-field', 'Field', splitField), field('vis-split-size', 'Top', splitSize)),
            h('div', { class: 'form-actions' }, h('button', { type: 'submit', id: 'vis-apply', text: 'Update chart' }), saveButton, saveAsButton));
        el.append(h('div', { class: 'vis-page' },
            h('aside', { class: 'vis-side' }, form, h('h3', { text: 'Saved search visuals' }), savedList),
            h('section', { class: 'vis-main' }, h('div', { class: 'toolbar' }, h('h2', { id: 'vis-title', text: id ? 'Visual' : 'New search visual' }), pickerHost),
                errorBox, preview)));

        let picker = null;

        function fillFieldSelects() {
            const dates = fields.filter((f) => f.type === 'date' || f.type === 'date_nanos').map((f) => [f.name, f.name]);
            options(timeField, [['', '(none)'], ...dates], body.timeField);
            if (!body.timeField && dates.length) {
                timeField.value = dates[0][0];
            }
            options(metricField, [['', '(choose a numeric field)'], ...fields.filter((f) => isNumeric(f.type)).map((f) => [f.name, f.name])], body.metric?.field || '');
            options(splitField, [['', '(no split)'], ...fields.filter((f) => f.aggregatable && f.type !== 'date').map((f) => [f.name, f.name])], body.split?.field || '');
        }

        async function loadFields() {
            fields = [];
            if (!index.value.trim()) {
                fillFieldSelects();
                return;
            }
            try {
                fields = flattenMapping(await ctx.api.get(searchPath(index.value, '_mapping')));
                errorBox.replaceChildren();
            } catch (err) {
                errorBox.replaceChildren();
                ctx.showError(errorBox, err);
            }
            fillFieldSelects();
        }

        function fromForm() {
            const next = { source: 'search', chart: chart.value, title: name.value.trim(), index: index.value.trim(), timeField: timeField.value,
                query: query.value, interval: interval.value, metric: agg.value === 'count' ? { agg: 'count' } : { agg: agg.value, field: metricField.value },
                timeRange: body.timeRange };
            if (splitField.value) next.split = { field: splitField.value, size: Math.max(1, Math.min(50, Number(splitSize.value) || 5)) };
            return next;
        }

        function toForm() {
            name.value = visual?.name || body.title || '';
            index.value = body.index || '';
            query.value = body.query || '';
            chart.value = body.chart || 'bar';
            agg.value = body.metric?.agg || 'count';
            interval.value = body.interval || 'auto';
            splitSize.value = String(body.split?.size || 5);
        }

        function syncEnabled() {
            metricField.disabled = agg.value === 'count';
        }

        async function draw() {
            body = fromForm();
            syncEnabled();
            handle?.dispose();
            handle = null;
            if (!body.index) {
                preview.replaceChildren(h('p', { class: 'muted', text: 'Choose an index pattern to chart.' }));
                return;
            }
            const h2 = await render(preview, body, ctx, { timeRange: body.timeRange });
            if (disposed) h2.dispose();
            else handle = h2;
        }

        async function save(asNew) {
            body = fromForm();
            if (!body.title) {
                ctx.showError(errorBox, new Error('Give the visual a name before saving.'));
                name.focus();
                return;
            }
            try {
                errorBox.replaceChildren();
                if (visual && !asNew) {
                    visual = await ctx.api.put('/api/visuals/' + encodeURIComponent(visual.id), { name: body.title, body });
                    ctx.toast(`Saved “${visual.name}”`);
                } else {
                    visual = await ctx.api.post('/api/visuals', { name: body.title, body });
                    ctx.toast(`Saved “${visual.name}”`);
                    ctx.navigate('#/visualize/' + encodeURIComponent(visual.id));
                    return;
                }
                loadSaved();
            } catch (err) {
                ctx.showError(errorBox, err);
            }
        }

        async function loadSaved() {
            try {
                const all = await ctx.api.get('/api/visuals');
                const mine = (all || []).filter((v) => v.body?.source === 'search');
                savedList.replaceChildren(...(mine.length ? mine.map((v) => h('li', {}, h('a', { href: '#/visualize/' + encodeURIComponent(v.id), text: v.name }),
                    h('span', { class: 'muted', text: ` ${v.body.chart || ''} · ${v.body.index || ''}` }))) : [h('li', { class: 'muted', text: 'None yet.' })]));
            } catch (err) {
                savedList.replaceChildren(h('li', { class: 'muted', text: 'Saved visuals unavailable: ' + err.message }));
            }
        }

        form.addEventListener('submit', (e) => {
            e.preventDefault();
            draw();
        });
        index.addEventListener('change', async () => {
            await loadFields();
            draw();
        });
        for (const control of [timeField, chart, agg, metricField, interval, splitField, splitSize]) control.addEventListener('change', draw);
        saveButton.addEventListener('click', () => save(false));
        saveAsButton?.addEventListener('click', () => save(true));

        // Indices and aliases for the pattern field's suggestions.
        try {
            const [indices, aliases] = await Promise.all([ctx.api.get('/api/search/_cat/indices?format=json'), ctx.api.get('/api/search/_alias').catch(() => ({}))]);
            const names = new Set((indices || []).map((i) => i.index).filter((n) => !String(n).startsWith('.')));
            for (const entry of Object.values(aliases || {})) for (const a of Object.keys(entry.aliases || {})) names.add(a);
            indexList.replaceChildren(...[...names].sort().map((n) => h('option', { value: n })));
            if (!id && names.size) body.index = [...names].sort()[0];
        } catch (err) {
            ctx.showError(errorBox, err);
        }
        if (id) {
            try {
                visual = await ctx.api.get('/api/visuals/' + encodeURIComponent(id));
                if (visual.body?.source !== 'search') {
                    ctx.showError(errorBox, new Error(`Visual “${visual.name}” is a SQL visual; open it from Analyses.`));
                    return () => {};
                }
                body = { ...body, ...visual.body };
                el.querySelector('#vis-title').textContent = visual.name;
                if (visual.access === 'viewer') {
                    saveButton.disabled = true;
                    saveButton.title = 'You can view this visual but not change it';
                }
            } catch (err) {
                ctx.showError(errorBox, err);
            }
        }
        toForm();
        picker = createTimeRangePicker(pickerHost, { value: { ...(body.timeRange || { from: 'now-24h', to: 'now' }), refreshSeconds: 0 }, onChange: (value) => {
            body.timeRange = { from: value.from, to: value.to };
            draw();
        } });
        await loadFields();
        syncEnabled();
        loadSaved();
        await draw();

        return () => {
            disposed = true;
            handle?.dispose();
            picker?.dispose();
        };
    },
};

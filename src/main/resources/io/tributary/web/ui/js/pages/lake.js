// Lake browser: buckets, one prefix level at a time, objects with size and time, a preview of an
// object's first rows (NDJSON as a table, other text as lines) and download.
import { formatNumber, formatTime } from '../visuals/search.js';

const PREVIEW_LINES = 50;
const MAX_OBJECTS_SHOWN = 1000;

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

function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = Number(n);
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
    }
    return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
}

const link = (location) => '#/lake/' + encodeURIComponent(location);
const query = (location) => '?location=' + encodeURIComponent(location);

/** s3://bucket/a/b/ → [['bucket', 's3://bucket/'], ['a', 's3://bucket/a/'], ['b', 's3://bucket/a/b/']] */
function crumbs(location) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
    if (!m) return [];
    const out = [[m[1], `s3://${m[1]}/`]];
    let path = `s3://${m[1]}/`;
    for (const part of m[2].split('/').filter(Boolean)) {
        path += part + '/';
        out.push([part, path]);
    }
    return out;
}

const baseName = (location) => location.replace(/\/$/, '').split('/').pop() + (location.endsWith('/') ? '/' : '');
const parentOf = (location) => location.replace(/[^/]+\/?$/, '');

export default {
    title: 'Lake',
    async mount(el, ctx, params = []) {
        const tz = () => ctx.timezone();
        const requested = params.length ? decodeURIComponent(params.join('/')) : '';
        const bucketList = h('ul', { class: 'lake-buckets', id: 'lake-buckets' });
        const pathBar = h('nav', { class: 'lake-path', 'aria-label': 'Location' });
        const gotoInput = h('input', { id: 'lake-goto', type: 'text', placeholder: 's3://bucket/prefix/', autocomplete: 'off' });
        const gotoForm = h('form', { class: 'toolbar' }, h('label', { for: 'lake-goto', text: 'Go to' }), gotoInput, h('button', { type: 'submit', text: 'Open' }));
        const listing = h('div', { id: 'lake-listing' });
        const preview = h('div', { id: 'lake-preview', class: 'lake-preview' });
        const errorBox = h('div');
        el.append(h('div', { class: 'lake-page' },
            h('aside', { class: 'lake-side' }, h('h3', { text: 'Buckets' }), bucketList),
            h('section', { class: 'lake-main' }, gotoForm, pathBar, errorBox, listing, preview)));

        gotoForm.addEventListener('submit', (e) => {
            e.preventDefault();
            const v = gotoInput.value.trim();
            if (v) ctx.navigate(link(v.startsWith('s3://') ? v : 's3://' + v));
        });

        function renderPath(location) {
            const parts = crumbs(location);
            pathBar.replaceChildren(h('a', { href: '#/lake', text: 'lake' }), ...parts.flatMap(([name, loc]) => [' / ', h('a', { href: link(loc), text: name })]));
            gotoInput.value = location;
        }

        async function showObject(location) {
            preview.replaceChildren(h('p', { class: 'muted', text: 'Loading preview…' }));
            preview.dataset.state = 'loading';
            const download = h('a', { href: '/api/lake/object' + query(location), download: baseName(location), class: 'button', id: 'lake-download', text: 'Download' });
            let info = null;
            try {
                info = await ctx.api.get('/api/lake/stat' + query(location));
            } catch (err) {
                preview.replaceChildren();
                ctx.showError(preview, err);
                preview.dataset.state = 'error';
                return;
            }
            const header = h('header', { class: 'toolbar' }, h('h3', { text: baseName(location) }),
                h('span', { class: 'muted', text: `${bytes(info.size)} · ${formatTime(Date.parse(info.lastModified), tz(), false)} (${tz()})` }), download);
            try {
                const result = location.endsWith('.parquet')
                    ? await ctx.api.get('/api/lake/rows' + query(location) + '&limit=' + PREVIEW_LINES)
                    : await ctx.api.get('/api/lake/preview' + query(location) + '&lines=' + PREVIEW_LINES);
                preview.replaceChildren(header, renderRows(result));
                preview.dataset.state = 'drawn';
            } catch (err) {
                preview.replaceChildren(header);
                ctx.showError(preview, err);
                preview.dataset.state = 'error';
            }
        }

        function renderRows(result) {
            const lines = result.lines || [];
            const rows = result.rows || null; // column-shaped previews (Parquet) come as objects
            const parsed = rows || lines.map((line) => {
                try {
                    const v = JSON.parse(line);
                    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
                } catch {
                    return null;
                }
            });
            const note = h('p', { class: 'muted', text: `First ${formatNumber(parsed.length)} rows` + (result.truncated ? ' (more in the object)' : '')
                + (result.compression && result.compression !== 'UNCOMPRESSED' ? ` · ${result.compression}` : '') + (result.format ? ` · ${result.format}` : '') });
            if (parsed.length && parsed.every((r) => r !== null)) {
                const columns = [];
                for (const r of parsed) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
                const cell = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
                return h('div', {}, note, h('div', { class: 'scroll-x' }, h('table', { class: 'data lake-rows', id: 'lake-rows' },
                    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))),
                    h('tbody', {}, parsed.map((r) => h('tr', {}, columns.map((c) => h('td', { text: cell(r[c]) }))))))));
            }
            return h('div', {}, note, h('pre', { class: 'lake-lines', id: 'lake-lines', text: lines.join('\n') }));
        }

        async function showListing(location) {
            renderPath(location);
            listing.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
            try {
                const result = await ctx.api.get('/api/lake/list' + query(location));
                const rows = [];
                const parent = parentOf(location);
                if (crumbs(location).length > 1) rows.push(h('tr', {}, h('td', {}, h('a', { href: link(parent), text: '..' })), h('td'), h('td')));
                for (const p of result.prefixes || []) {
                    rows.push(h('tr', { class: 'prefix' }, h('td', {}, h('a', { href: link(p), class: 'folder', text: '📁 ' + baseName(p) })), h('td'), h('td')));
                }
                const objects = result.objects || [];
                for (const o of objects.slice(0, MAX_OBJECTS_SHOWN)) {
                    rows.push(h('tr', { class: 'object', 'data-location': o.location },
                        h('td', {}, h('a', { href: link(o.location), class: 'object-link', text: baseName(o.location) })),
                        h('td', { class: 'num', text: bytes(o.size) }),
                        h('td', { class: 'nowrap', text: formatTime(Date.parse(o.lastModified), tz(), false) })));
                }
                listing.replaceChildren(rows.length ? h('table', { class: 'data lake-listing' },
                    h('thead', {}, h('tr', {}, h('th', { text: 'Name' }), h('th', { text: 'Size' }), h('th', { text: `Last modified (${tz()})` }))),
                    h('tbody', {}, rows)) : h('p', { class: 'muted', text: 'Nothing under this prefix.' }));
                if (objects.length > MAX_OBJECTS_SHOWN) {
                    listing.append(h('p', { class: 'muted', text: `Showing ${formatNumber(MAX_OBJECTS_SHOWN)} of ${formatNumber(objects.length)} objects; `
                        + 'type a longer prefix under Go to, or list them with `tributary lake ls`.' }));
                }
            } catch (err) {
                listing.replaceChildren();
                ctx.showError(listing, err);
            }
        }

        try {
            const buckets = await ctx.api.get('/api/lake/buckets');
            bucketList.replaceChildren(...buckets.map((b) => h('li', {}, h('a', { href: link(b.location), text: b.name }),
                b.immutable ? h('span', { class: 'badge', title: 'write-once, retention ' + b.retention, text: 'WORM' }) : null)));
            if (!requested) {
                if (buckets.length) await showListing(buckets[0].location);
                else listing.replaceChildren(h('p', { class: 'muted', text: 'No buckets yet.' }));
            }
        } catch (err) {
            ctx.showError(errorBox, err);
        }
        if (requested) {
            if (requested.endsWith('/') || /^s3:\/\/[^/]+$/.test(requested)) {
                await showListing(requested.endsWith('/') ? requested : requested + '/');
            } else {
                await showListing(parentOf(requested));
                await showObject(requested);
            }
        }
        return () => {};
    },
};

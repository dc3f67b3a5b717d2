// A data table with client-side paging. columns: ['name', …] or [{name, label, format(value,row)}].
import { h, clear } from './dom.js';

export function renderTable(el, columns, rows, { pageSize = 50, onRowClick, emptyText = 'No rows.' } = {}) {
  const cols = columns.map((c) => (typeof c === 'string' ? { name: c, label: c } : { label: c.name, ...c }));
  let page = 0;
  const pages = () => Math.max(1, Math.ceil(rows.length / pageSize));
  const cell = (c, row, i) => {
    const v = Array.isArray(row) ? row[i] : row[c.name];
    if (c.format) return c.format(v, row);
    return v === null || v === undefined ? h('span', { class: 'null' }, 'NULL') : String(v);
  };
  function draw() {
    clear(el);
    if (!rows.length) {
      el.append(h('p', { class: 'muted empty' }, emptyText));
      return;
    }
    const start = page * pageSize;
    const body = rows.slice(start, start + pageSize).map((row) => {
      const tr = h('tr', {}, cols.map((c, i) => h('td', {}, cell(c, row, i))));
      if (onRowClick) {
        tr.tabIndex = 0;
        tr.classList.add('clickable');
        tr.addEventListener('click', () => onRowClick(row));
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRowClick(row); });
      }
      return tr;
    });
    const table = h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, body));
    el.append(h('div', { class: 'table-scroll' }, table));
    if (rows.length > pageSize) {
      el.append(h('div', { class: 'pager' },
        h('button', { type: 'button', disabled: page === 0, onclick: () => { page -= 1; draw(); } }, '‹ Previous'),
        h('span', { class: 'muted' }, `Rows ${start + 1}–${Math.min(rows.length, start + pageSize)} of ${rows.length}`),
        h('button', { type: 'button', disabled: page >= pages() - 1, onclick: () => { page += 1; draw(); } }, 'Next ›')));
    }
  }
  draw();
  return { redraw: draw, setRows(r) { rows = r; page = 0; draw(); } };
}

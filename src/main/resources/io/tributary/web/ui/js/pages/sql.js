// The SQL workspace: catalog tree, editor with completion, run/cancel, results, history, saved queries.
import { h, clear, put, uid, formatBytes, formatMillis, field } from '../components/dom.js';
import { renderTable } from '../components/dataTable.js';
import { showError, clearError } from '../components/toast.js';
import { openModal } from '../components/modal.js';
import { seg } from '../api.js';

const DB_KEY = 'tributary.sql.database';
const TEXT_KEY = 'tributary.sql.text';
const PAGE_SIZE = 100;
const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'JOIN', 'LEFT JOIN', 'ON', 'AS', 'AND', 'OR',
  'NOT', 'IN', 'BETWEEN', 'LIKE', 'IS NULL', 'DISTINCT', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'date_trunc', 'timestamp',
  'CREATE EXTERNAL TABLE', 'CREATE TABLE', 'CREATE VIEW', 'MSCK REPAIR TABLE', 'SHOW TABLES', 'SHOW PARTITIONS', 'DESCRIBE', 'WITH'];

/** Line and column (1-based) from an error message such as "line 3:14: Column 'x' cannot be resolved". */
export function errorPosition(message) {
  const m = /line (\d+):(\d+)/.exec(message || '');
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

export default {
  title: 'SQL',
  async mount(el, ctx) {
    let database = localStorage.getItem(DB_KEY) || 'default';
    let running = null; // {id, stopped}
    let disposed = false;
    let errorMark = null;
    let errorLine = null;
    const catalog = {}; // "db.table" and "table" (current db) → [column names]

    const tree = h('ul', { class: 'tree', 'aria-label': 'Databases and tables' });
    const dbSelect = h('select', { id: uid('db'), 'aria-label': 'Current database' });
    const aside = h('aside', { class: 'panel' },
      h('div', { class: 'field' }, h('label', { for: dbSelect.id }, 'Database (query context)'), dbSelect),
      h('h2', {}, 'Tables'), tree);
    const editorBox = h('div', { class: 'editor-wrap' });
    const runBtn = h('button', { type: 'button', class: 'primary run-query', title: 'Ctrl+Enter' }, 'Run');
    const cancelBtn = h('button', { type: 'button', class: 'cancel-query', disabled: true }, 'Cancel');
    const saveBtn = h('button', { type: 'button', class: 'save-query' }, 'Save query…');
    const formatHint = h('span', { class: 'muted' }, 'Ctrl+Enter runs (the selection, if any); Ctrl+Space completes.');
    const status = h('div', { class: 'query-status', 'aria-live': 'polite' });
    const results = h('div', { class: 'results' });
    const tabs = {};
    const tabBar = h('div', { class: 'tabs', role: 'tablist' });
    const views = { results: h('div', { role: 'tabpanel' }, status, results), history: h('div', { role: 'tabpanel', hidden: true }),
      saved: h('div', { role: 'tabpanel', hidden: true }) };
    for (const [k, label] of [['results', 'Results'], ['history', 'Query history'], ['saved', 'Saved queries']]) {
      tabs[k] = h('button', { type: 'button', role: 'tab', 'aria-selected': k === 'results' ? 'true' : 'false', onclick: () => showTab(k) }, label);
      tabBar.append(tabs[k]);
    }
    const section = h('section', {},
      h('h1', {}, 'SQL workspace'),
      editorBox,
      h('div', { class: 'row' }, runBtn, cancelBtn, saveBtn, formatHint),
      tabBar, views.results, views.history, views.saved);
    el.append(h('div', { class: 'split' }, aside, section));

    const cm = window.CodeMirror(editorBox, {
      value: localStorage.getItem(TEXT_KEY) || `SELECT *\nFROM ${database === 'default' ? '' : database + '.'}\nLIMIT 10`,
      mode: 'text/x-sql',
      lineNumbers: true,
      matchBrackets: true,
      indentWithTabs: false,
      extraKeys: {
        'Ctrl-Enter': () => run(),
        'Cmd-Enter': () => run(),
        'Ctrl-Space': 'autocomplete',
        Tab: false,
        'Shift-Tab': false,
      },
      hintOptions: { completeSingle: false, tables: catalog, defaultTable: null },
    });
    cm.getInputField().setAttribute('aria-label', 'SQL editor');
    cm.on('change', () => {
      localStorage.setItem(TEXT_KEY, cm.getValue());
      clearMarks();
    });
    cm.on('inputRead', (editor, change) => {
      if (change.origin === '+input' && /^[A-Za-z_.]$/.test(change.text[0] || '')) {
        editor.showHint({ completeSingle: false, hint: hint });
      }
    });
    // sql-hint completes tables and columns; keywords come from the CodeMirror mode plus ours.
    function hint(editor, options) {
      const base = window.CodeMirror.hint.sql(editor, { ...options, tables: catalog });
      if (!base) return base;
      const cur = editor.getCursor();
      const token = editor.getTokenAt(cur);
      const word = (token.string || '').trim().toLowerCase();
      if (word && !word.includes('.')) {
        for (const k of KEYWORDS) {
          if (k.toLowerCase().startsWith(word) && !base.list.some((x) => (x.text || x) === k)) base.list.push(k);
        }
      }
      return base;
    }
    cm.setOption('hintOptions', { completeSingle: false, tables: catalog, hint });
    setTimeout(() => cm.refresh(), 0);

    function showTab(name) {
      for (const k of Object.keys(views)) {
        views[k].hidden = k !== name;
        tabs[k].setAttribute('aria-selected', String(k === name));
      }
      if (name === 'history') loadHistory();
      if (name === 'saved') loadSaved();
    }

    function clearMarks() {
      if (errorMark) { errorMark.clear(); errorMark = null; }
      if (errorLine !== null) { cm.removeLineClass(errorLine, 'background', 'error-line'); errorLine = null; }
    }

    function markError(message, offsetLine) {
      const pos = errorPosition(message);
      if (!pos) return;
      const line = Math.min(cm.lineCount() - 1, Math.max(0, pos.line - 1 + offsetLine));
      const text = cm.getLine(line) || '';
      const ch = Math.min(text.length, Math.max(0, pos.column - 1));
      const word = /^[\w"`.]+/.exec(text.slice(ch));
      const end = ch + (word ? word[0].length : 1);
      errorMark = cm.markText({ line, ch }, { line, ch: Math.max(end, ch + 1) }, { className: 'error-mark', title: message });
      errorLine = cm.addLineClass(line, 'background', 'error-line') && line;
      cm.setCursor({ line, ch });
      cm.scrollIntoView({ line, ch }, 60);
    }

    async function loadDatabases() {
      try {
        const dbs = await ctx.api.get('/api/databases');
        clear(dbSelect);
        const names = dbs.map((d) => d.name);
        if (!names.includes(database)) database = names.includes('default') ? 'default' : names[0] || 'default';
        for (const n of names) dbSelect.append(h('option', { value: n }, n));
        dbSelect.value = database;
        clear(tree);
        for (const d of dbs) {
          const list = h('ul', { hidden: true });
          const node = h('button', { type: 'button', class: `node${d.name === database ? ' current' : ''}`, 'aria-expanded': 'false' }, `▸ ${d.name}`);
          node.addEventListener('click', async () => {
            const open = list.hidden;
            list.hidden = !open;
            node.setAttribute('aria-expanded', String(open));
            node.textContent = `${open ? '▾' : '▸'} ${d.name}`;
            if (open && !list.childElementCount) await loadTables(d.name, list);
          });
          tree.append(h('li', {}, node, list));
          if (d.name === database || dbs.length <= 3) node.click();
        }
      } catch (e) {
        showError(aside, e);
      }
    }

    async function loadTables(db, list) {
      try {
        const tables = await ctx.api.get(`/api/tables?database=${encodeURIComponent(db)}`);
        if (!tables.length) list.append(h('li', { class: 'muted' }, 'No tables'));
        for (const t of tables) {
          const cols = [...(t.columns || []), ...(t.partitionKeys || [])];
          catalog[`${db}.${t.name}`] = cols.map((c) => c.name);
          if (db === database) catalog[t.name] = cols.map((c) => c.name);
          const colList = h('ul', { hidden: true }, cols.map((c) => h('li', { class: 'col' }, h('span', {}, c.name), h('span', { class: 'type' }, c.type))));
          const node = h('button', { type: 'button', class: 'node', title: `${t.kind}: insert ${db}.${t.name}`, 'aria-expanded': 'false' },
            `${t.kind === 'VIEW' ? '◇' : '▦'} ${t.name}`);
          node.addEventListener('click', () => {
            colList.hidden = !colList.hidden;
            node.setAttribute('aria-expanded', String(!colList.hidden));
          });
          const preview = h('button', { type: 'button', class: 'link small', title: `Preview ${db}.${t.name}` }, 'preview');
          preview.addEventListener('click', () => {
            cm.setValue(`SELECT *\nFROM ${db}.${t.name}\nLIMIT 10`);
            run();
          });
          list.append(h('li', { dataset: { table: `${db}.${t.name}` } }, h('div', { class: 'row' }, node, preview), colList));
        }
      } catch (e) {
        list.append(h('li', { class: 'error' }, e.message));
      }
    }

    dbSelect.addEventListener('change', () => {
      database = dbSelect.value;
      localStorage.setItem(DB_KEY, database);
      for (const k of Object.keys(catalog)) delete catalog[k];
      loadDatabases();
    });

    function setRunning(on) {
      runBtn.disabled = on;
      cancelBtn.disabled = !on;
    }

    function renderStatus(e) {
      put(clear(status),
        h('span', { class: `badge state-${e.state}`, dataset: { state: e.state } }, e.state),
        h('span', {}, `Engine time ${formatMillis(e.engineMillis)}`),
        h('span', {}, `Queued ${formatMillis(e.queueMillis)}`),
        h('span', {}, `Data scanned ${formatBytes(e.bytesScanned)}`),
        e.state === 'SUCCEEDED' ? h('span', {}, `${e.rows} rows`) : null,
        e.state === 'SUCCEEDED' && e.outputLocation
          ? h('a', { href: `/api/queries/${seg(e.id)}/results?format=csv`, download: `${e.id}.csv`, class: 'download' }, 'Download CSV') : null,
        e.state === 'SUCCEEDED' && (e.columns || []).length > 1
          ? h('button', { type: 'button', class: 'small chart-it',
            onclick: () => ctx.navigate(`#/analyses?sql=${encodeURIComponent(e.query)}&database=${encodeURIComponent(e.database)}`) }, 'Chart this result') : null,
        h('span', { class: 'muted', title: e.id }, `Query ${e.id.slice(0, 8)}`));
    }

    async function showResults(e) {
      clear(results);
      clearError(views.results);
      if (e.state === 'FAILED') {
        showError(views.results, new Error(e.stateReason || 'The query failed.'));
        return;
      }
      if (e.state !== 'SUCCEEDED') return;
      if (!e.outputLocation && !(e.columns || []).length) {
        results.append(h('p', { class: 'muted' }, `${e.statementType || 'Statement'} done.`));
        return;
      }
      const tokens = [null];
      let index = 0;
      async function page() {
        const token = tokens[index];
        const p = await ctx.api.get(`/api/queries/${seg(e.id)}/results?maxResults=${PAGE_SIZE}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
        if (p.nextToken && tokens.length === index + 1) tokens.push(p.nextToken);
        clear(results);
        const tableBox = h('div', { class: 'result-table' });
        results.append(tableBox);
        renderTable(tableBox, p.columns.map((c) => ({ name: c.name, label: `${c.name}` })), p.rows, { pageSize: PAGE_SIZE, emptyText: 'The query returned no rows.' });
        if (index > 0 || p.nextToken) {
          const first = index * PAGE_SIZE + 1;
          results.append(h('div', { class: 'pager' },
            h('button', { type: 'button', disabled: index === 0, onclick: () => { index -= 1; page(); } }, '‹ Previous'),
            h('span', { class: 'muted' }, `Rows ${first}–${first + p.rows.length - 1}${e.rows ? ` of ${e.rows}` : ''}`),
            h('button', { type: 'button', disabled: !p.nextToken, onclick: () => { index += 1; page(); } }, 'Next ›')));
        }
      }
      try {
        await page();
      } catch (err) {
        showError(views.results, err);
      }
    }

    async function run() {
      if (running) return;
      clearMarks();
      showTab('results');
      const selection = cm.getSelection();
      const text = selection.trim() ? selection : cm.getValue();
      const offsetLine = selection.trim() ? cm.getCursor('from').line : 0;
      if (!text.trim()) {
        showError(views.results, new Error('Write a query first.'));
        return;
      }
      clearError(views.results);
      clear(results);
      put(clear(status), h('span', { class: 'badge' }, 'SUBMITTING'));
      setRunning(true);
      const current = { id: null, stopped: false };
      running = current;
      try {
        let e = await ctx.api.post('/api/queries', { query: text, database });
        current.id = e.id;
        renderStatus(e);
        while ((e.state === 'QUEUED' || e.state === 'RUNNING') && !disposed) {
          await new Promise((r) => setTimeout(r, 300));
          e = await ctx.api.get(`/api/queries/${seg(e.id)}`);
          renderStatus(e);
        }
        if (disposed) return;
        if (e.state === 'FAILED') markError(e.stateReason, offsetLine);
        await showResults(e);
        if (/^(CREATE|DROP|ALTER|MSCK)/i.test(text.trim())) loadDatabases();
      } catch (err) {
        showError(views.results, err);
        if (err.message) markError(err.message, offsetLine);
      } finally {
        running = null;
        setRunning(false);
      }
    }

    async function cancel() {
      if (!running || !running.id) return;
      try {
        const e = await ctx.api.del(`/api/queries/${seg(running.id)}`);
        renderStatus(e);
      } catch (err) {
        showError(views.results, err);
      }
    }

    async function loadHistory() {
      const box = views.history;
      clear(box);
      try {
        const list = await ctx.api.get('/api/queries?limit=100');
        const tableBox = h('div');
        box.append(h('p', { class: 'muted' }, 'Your recent queries. Choose one to open it in the editor with its results.'), tableBox);
        renderTable(tableBox, [
          { name: 'state', label: 'State', format: (v) => h('span', { class: `badge state-${v}` }, v) },
          { name: 'query', label: 'Query', format: (v) => v.replace(/\s+/g, ' ').slice(0, 90) },
          { name: 'database', label: 'Database' },
          { name: 'submitted', label: 'Submitted', format: (v) => formatTime(v, ctx.timezone()) },
          { name: 'engineMillis', label: 'Engine time', format: formatMillis },
          { name: 'bytesScanned', label: 'Scanned', format: formatBytes },
        ], list, { pageSize: 25, emptyText: 'No queries yet.', onRowClick: (q) => {
          cm.setValue(q.query);
          showTab('results');
          renderStatus(q);
          showResults(q);
        } });
      } catch (e) {
        showError(box, e);
      }
    }

    async function loadSaved() {
      const box = views.saved;
      clear(box);
      try {
        const list = await ctx.api.get('/api/saved-queries');
        const tableBox = h('div');
        box.append(tableBox);
        renderTable(tableBox, [
          { name: 'name', label: 'Name' },
          { name: 'description', label: 'Description', format: (v) => v || '' },
          { name: 'database', label: 'Database' },
          { name: 'query', label: 'Query', format: (v) => v.replace(/\s+/g, ' ').slice(0, 80) },
          { name: 'id', label: '', format: (id, q) => h('span', { class: 'row small' },
            h('button', { type: 'button', onclick: (ev) => { ev.stopPropagation(); ctx.navigate(`#/analyses?savedQuery=${encodeURIComponent(id)}`); } }, 'Chart it'),
            h('button', { type: 'button', class: 'danger', onclick: (ev) => { ev.stopPropagation(); removeSaved(q); } }, 'Delete')) },
        ], list, { pageSize: 25, emptyText: 'No saved queries yet: write one and choose “Save query…”.', onRowClick: (q) => {
          cm.setValue(q.query);
          if (q.database && q.database !== database) { database = q.database; dbSelect.value = database; }
          showTab('results');
        } });
      } catch (e) {
        showError(box, e);
      }
    }

    async function removeSaved(q) {
      try {
        await ctx.api.del(`/api/saved-queries/${seg(q.id)}`);
        ctx.toast(`Deleted “${q.name}”`);
        loadSaved();
      } catch (e) {
        showError(views.saved, e);
      }
    }

    function save() {
      const name = h('input', { type: 'text', required: true, maxlength: 128, name: 'name' });
      const description = h('input', { type: 'text', maxlength: 1024, name: 'description' });
      openModal({
        title: 'Save query',
        body(body) {
          body.append(field('Name', name), field('Description (optional)', description),
            h('p', { class: 'muted' }, `Database: ${database}`));
        },
        actions: [{
          label: 'Save', primary: true,
          async onClick() {
            try {
              await ctx.api.post('/api/saved-queries', { name: name.value.trim(), description: description.value.trim() || null,
                database, query: cm.getValue() });
              ctx.toast(`Saved “${name.value.trim()}”`);
              return true;
            } catch (e) {
              showError(name.closest('.modal-body'), e);
              return false;
            }
          },
        }],
      });
    }

    runBtn.addEventListener('click', run);
    cancelBtn.addEventListener('click', cancel);
    saveBtn.addEventListener('click', save);
    await loadDatabases();
    cm.focus();
    return () => {
      disposed = true;
    };
  },
};

function formatTime(iso, zone) {
  try {
    return new Date(iso).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 19);
  } catch {
    return iso;
  }
}

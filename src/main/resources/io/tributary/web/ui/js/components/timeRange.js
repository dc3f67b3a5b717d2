// The time-range picker: quick ranges, an absolute range and auto-refresh.
// value: {from: 'now-15m' | 'all' | ISO, to: 'now' | ISO, refreshSeconds: 0 | 5 | 10 | 30 | 60}
// ('all' is the epoch: no lower bound, for data with historical timestamps.)
import { h, uid } from './dom.js';

export const QUICK_RANGES = [
  ['now-15m', 'Last 15 minutes'],
  ['now-1h', 'Last 1 hour'],
  ['now-24h', 'Last 24 hours'],
  ['now-7d', 'Last 7 days'],
  ['now-30d', 'Last 30 days'],
  ['now-1y', 'Last 1 year'],
  ['all', 'All time'],
];
export const REFRESH_CHOICES = [[0, 'Off'], [5, '5 s'], [10, '10 s'], [30, '30 s'], [60, '1 min']];
const UNIT_MS = { s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000, M: 2592000000, y: 31536000000 };

function resolvePoint(text, now) {
  if (!text || text === 'now') return now;
  if (text === 'all') return 0;
  const m = /^now-(\d+)([smhdwMy])$/.exec(text);
  if (m) return now - Number(m[1]) * UNIT_MS[m[2]];
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`'${text}' is not a time: use now, now-15m or an ISO date`);
  return t;
}

/** {fromMs, toMs} for a picker value at the current time. */
export function resolveRange(value, now = Date.now()) {
  const v = value || {};
  return { fromMs: resolvePoint(v.from || 'now-24h', now), toMs: resolvePoint(v.to || 'now', now) };
}

export function describeRange(value) {
  const q = QUICK_RANGES.find(([k]) => k === value.from && (value.to || 'now') === 'now');
  if (q) return q[1];
  return `${value.from} → ${value.to}`;
}

function toLocalInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

/** Renders the picker into el; onChange(value) on every change. Returns {value(), set(v), dispose()}. */
export function createTimeRangePicker(el, { value, onChange } = {}) {
  let current = { from: 'now-24h', to: 'now', refreshSeconds: 0, ...(value || {}) };
  const rangeId = uid('range');
  const refreshId = uid('refresh');
  const quick = h('select', { id: rangeId, class: 'time-quick' },
    QUICK_RANGES.map(([k, label]) => h('option', { value: k }, label)),
    h('option', { value: 'absolute' }, 'Absolute range…'));
  const fromIn = h('input', { type: 'datetime-local', 'aria-label': 'From' });
  const toIn = h('input', { type: 'datetime-local', 'aria-label': 'To' });
  const apply = h('button', { type: 'button' }, 'Apply');
  const absolute = h('span', { class: 'time-absolute', hidden: true }, fromIn, '→', toIn, apply);
  const refresh = h('select', { id: refreshId, class: 'time-refresh' },
    REFRESH_CHOICES.map(([s, label]) => h('option', { value: String(s) }, label)));
  const root = h('div', { class: 'time-range', role: 'group', 'aria-label': 'Time range' },
    h('label', { for: rangeId }, 'Time'), quick, absolute,
    h('label', { for: refreshId }, 'Refresh'), refresh);
  el.append(root);

  function show() {
    const isQuick = QUICK_RANGES.some(([k]) => k === current.from) && (current.to || 'now') === 'now';
    quick.value = isQuick ? current.from : 'absolute';
    absolute.hidden = isQuick;
    if (!isQuick) {
      const r = resolveRange(current);
      fromIn.value = toLocalInput(r.fromMs);
      toIn.value = toLocalInput(r.toMs);
    }
    refresh.value = String(current.refreshSeconds || 0);
  }
  const changed = () => { if (onChange) onChange({ ...current }); };
  quick.addEventListener('change', () => {
    if (quick.value === 'absolute') {
      const r = resolveRange(current);
      fromIn.value = toLocalInput(r.fromMs);
      toIn.value = toLocalInput(r.toMs);
      absolute.hidden = false;
      fromIn.focus();
      return;
    }
    current = { ...current, from: quick.value, to: 'now' };
    show();
    changed();
  });
  apply.addEventListener('click', () => {
    const f = Date.parse(fromIn.value);
    const t = Date.parse(toIn.value);
    if (Number.isNaN(f) || Number.isNaN(t) || f >= t) {
      apply.setCustomValidity('Pick a start before the end');
      apply.reportValidity();
      return;
    }
    apply.setCustomValidity('');
    current = { ...current, from: new Date(f).toISOString(), to: new Date(t).toISOString() };
    changed();
  });
  refresh.addEventListener('change', () => {
    current = { ...current, refreshSeconds: Number(refresh.value) };
    changed();
  });
  show();
  return {
    value: () => ({ ...current }),
    set(v) { current = { ...current, ...v }; show(); },
    dispose() { root.remove(); },
  };
}

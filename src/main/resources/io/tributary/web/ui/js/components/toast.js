// Toasts (short confirmations) and error banners (server errors in words).
import { h, clear } from './dom.js';

export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

/** Renders a visible .error element with the message in words into container (replacing an earlier one). */
export function showError(container, err) {
  if (!container) return null;
  const message = err && err.message ? err.message : String(err);
  const prefix = err && err.status ? `Error ${err.status}: ` : 'Error: ';
  let el = container.querySelector(':scope > .error');
  if (!el) {
    el = h('div', { class: 'error', role: 'alert' });
    container.prepend(el);
  }
  clear(el).append(h('span', {}, prefix + message), h('button', { class: 'link close', type: 'button', 'aria-label': 'Dismiss error', onclick: () => el.remove() }, '×'));
  return el;
}

export function clearError(container) {
  const el = container && container.querySelector(':scope > .error');
  if (el) el.remove();
}

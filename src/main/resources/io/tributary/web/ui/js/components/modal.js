// A modal dialog on the native <dialog> element: focus is trapped, Escape closes.
import { h } from './dom.js';

/**
 * openModal({title, body(el), actions:[{label, primary, onClick(close) → false keeps it open}]})
 * Returns {close, el}. Enter in a form field triggers the primary action.
 */
export function openModal({ title, body, actions = [], onClose }) {
  const content = h('div', { class: 'modal-body' });
  const form = h('form', { method: 'dialog', class: 'modal-form' });
  const footer = h('div', { class: 'modal-actions' });
  const dialog = h('dialog', { class: 'modal', 'aria-label': title }, h('h2', {}, title), form, footer);
  form.append(content);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    dialog.close();
    dialog.remove();
    if (onClose) onClose();
  };
  const list = actions.length ? actions : [{ label: 'Close', primary: true }];
  let primary = null;
  for (const a of list) {
    const b = h('button', { type: 'button', class: a.primary ? 'primary' : '' }, a.label);
    b.addEventListener('click', async () => {
      if (!a.onClick) return close();
      b.disabled = true;
      try {
        const keep = await a.onClick(close);
        if (keep !== false) close();
      } finally {
        b.disabled = false;
      }
    });
    if (a.primary) primary = b;
    footer.append(b);
  }
  if (!list.some((a) => a.label === 'Cancel' || a.label === 'Close')) {
    footer.append(h('button', { type: 'button', onclick: close }, 'Cancel'));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (primary) primary.click();
  });
  // Enter in any text field runs the primary action: a form with several fields and no submit
  // button has no implicit submission in HTML.
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing || e.target.tagName !== 'INPUT') return;
    if (['checkbox', 'radio', 'button', 'submit'].includes(e.target.type)) return;
    e.preventDefault();
    if (primary && !primary.disabled) primary.click();
  });
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  document.body.append(dialog);
  if (body) body(content, close);
  dialog.showModal();
  const first = content.querySelector('input, select, textarea, button');
  if (first) first.focus();
  return { close, el: content };
}

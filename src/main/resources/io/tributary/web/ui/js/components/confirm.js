// A confirmation dialog for destructive actions; the server's refusal is shown inside it.
import { h } from './dom.js';
import { openModal } from './modal.js';
import { showError } from './toast.js';

/** confirmAction({title, text, label, action: async () => …, after: async () => …}) */
export function confirmAction({ title, text, label = 'Delete', action, after }) {
  const box = h('div');
  openModal({
    title,
    body(c) { c.append(h('p', {}, text), box); },
    actions: [{
      label, primary: true,
      async onClick() {
        try {
          await action();
        } catch (e) {
          showError(box, e);
          return false;
        }
        if (after) await after();
        return true;
      },
    }],
  });
}

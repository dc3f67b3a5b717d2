// The share dialog for saved objects (dashboards, visuals, analyses): who else may see it.
import { h, uid } from './dom.js';
import { openModal } from './modal.js';

function names(list) {
  return (list || []).map((x) => (typeof x === 'string' ? x : x.name || x.user || x.username)).filter(Boolean);
}

/** kind: 'dashboards' | 'visuals' | 'analyses' | …; the API is /api/{kind}/{id}/shares. */
export async function openShareDialog(ctx, kind, id) {
  const path = `/api/${kind}/${encodeURIComponent(id)}`;
  let object;
  try {
    object = await ctx.api.get(path);
  } catch (e) {
    ctx.toast(`Cannot load what to share: ${e.message}`, 'error');
    return;
  }
  const shares = object.shares || {};
  const selected = new Set(names(shares.users || (Array.isArray(shares) ? shares : [])));
  const roles = new Set(names(shares.roles));
  let users = null;
  try {
    const list = await ctx.api.get('/api/users');
    users = names(Array.isArray(list) ? list : list.users).filter((u) => u !== object.owner);
  } catch {
    users = null; // not allowed to list users: type names instead
  }
  const rolesInput = h('input', { type: 'text', value: [...roles].join(', '), placeholder: 'role names, comma separated' });
  let textInput = null;
  openModal({
    title: `Share “${object.name || id}”`,
    body(el) {
      el.append(h('p', { class: 'muted' }, 'People you share with can view it; only the owner can change it.'));
      if (users && users.length) {
        const box = h('fieldset', { class: 'share-users' }, h('legend', {}, 'Users'));
        for (const u of users) {
          const cid = uid('share');
          const cb = h('input', { type: 'checkbox', id: cid, value: u, checked: selected.has(u) });
          cb.addEventListener('change', () => (cb.checked ? selected.add(u) : selected.delete(u)));
          box.append(h('div', { class: 'check' }, cb, h('label', { for: cid }, u)));
        }
        el.append(box);
      } else {
        textInput = h('input', { type: 'text', value: [...selected].join(', '), placeholder: 'user names, comma separated' });
        const lid = uid('share');
        textInput.id = lid;
        el.append(h('div', { class: 'field' }, h('label', { for: lid }, 'Share with users'), textInput));
      }
      const rid = uid('share');
      rolesInput.id = rid;
      el.append(h('div', { class: 'field' }, h('label', { for: rid }, 'Share with roles'), rolesInput));
    },
    actions: [{
      label: 'Save sharing',
      primary: true,
      async onClick() {
        const split = (s) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
        const body = {
          users: textInput ? split(textInput.value) : [...selected],
          roles: split(rolesInput.value),
        };
        try {
          await ctx.api.put(`${path}/shares`, body);
          ctx.toast('Sharing saved');
          return true;
        } catch (e) {
          ctx.toast(`Sharing not saved: ${e.message}`, 'error');
          return false;
        }
      },
    }],
  });
}

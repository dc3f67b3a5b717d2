// The share dialog for saved objects (dashboards, visuals, analyses): who else may see or edit it.
// API: PUT /api/{kind}/{id}/shares with [{"user":"bob","level":"viewer"|"co-owner"}].
import { h, uid } from './dom.js';
import { openModal } from './modal.js';
import { showError } from './toast.js';

const LEVELS = [['', 'No access'], ['viewer', 'Can view'], ['co-owner', 'Can edit']];

/** kind: 'dashboards' | 'visuals' | 'analyses'. Resolves to the saved shares, or null when cancelled. */
export async function openShareDialog(ctx, kind, id) {
  const path = `/api/${kind}/${encodeURIComponent(id)}`;
  let object;
  try {
    object = await ctx.api.get(path);
  } catch (e) {
    ctx.toast(`Cannot load what to share: ${e.message}`, 'error');
    return null;
  }
  const levels = new Map((object.shares || []).map((s) => [s.user, s.level]));
  let users = null;
  try {
    // Any logged-in person may read the names; a program's key may not, and then names are typed.
    const names = await ctx.api.get('/api/users/names');
    users = names.filter((u) => u && u !== object.owner);
  } catch {
    users = null;
  }
  const selects = new Map();
  let viewers = null;
  let editors = null;
  return new Promise((resolve) => {
    openModal({
      title: `Share “${object.name}”`,
      onClose: () => resolve(null),
      body(el) {
        el.append(h('p', { class: 'muted' }, `Owner: ${object.owner}. Viewers see it (and the visuals on a shared dashboard); editors can change it.`));
        if (users && users.length) {
          const box = h('fieldset', { class: 'share-users' }, h('legend', {}, 'People'));
          for (const u of [...new Set([...users, ...levels.keys()])]) {
            const sid = uid('share');
            const select = h('select', { id: sid, name: `share-${u}`, dataset: { user: u } },
              LEVELS.map(([v, label]) => h('option', { value: v }, label)));
            select.value = levels.get(u) || '';
            selects.set(u, select);
            box.append(h('div', { class: 'row share-row' }, h('label', { for: sid, class: 'spacer' }, u), select));
          }
          el.append(box);
        } else {
          const byLevel = (level) => [...levels].filter(([, l]) => l === level).map(([u]) => u).join(', ');
          viewers = h('input', { type: 'text', name: 'viewers', value: byLevel('viewer'), placeholder: 'user names, comma separated' });
          editors = h('input', { type: 'text', name: 'editors', value: byLevel('co-owner'), placeholder: 'user names, comma separated' });
          for (const [label, input] of [['Can view', viewers], ['Can edit', editors]]) {
            input.id = uid('share');
            el.append(h('div', { class: 'field' }, h('label', { for: input.id }, label), input));
          }
        }
      },
      actions: [{
        label: 'Save sharing',
        primary: true,
        async onClick(close) {
          const split = (s) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
          let shares;
          if (viewers) {
            shares = [...split(viewers.value).map((user) => ({ user, level: 'viewer' })),
              ...split(editors.value).map((user) => ({ user, level: 'co-owner' }))];
          } else {
            shares = [...selects].filter(([, s]) => s.value).map(([user, s]) => ({ user, level: s.value }));
          }
          try {
            const saved = await ctx.api.put(`${path}/shares`, shares);
            ctx.toast(shares.length ? `Shared with ${shares.map((s) => s.user).join(', ')}` : 'Not shared with anyone');
            resolve(saved);
            close();
            return true;
          } catch (e) {
            showError(document.querySelector('dialog.modal .modal-body'), e);
            return false;
          }
        },
      }],
    });
  });
}

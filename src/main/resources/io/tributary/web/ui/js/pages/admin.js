// Admin: users, roles (OpenSearch security format), role mappings to users and API keys, and API
// keys — all through the same REST API the CLI uses.
import { openModal } from '../components/modal.js';
import { formatTime } from '../visuals/search.js';

const SECURITY = '/_plugins/_security/api';
const CLUSTER_PERMISSIONS = [['cluster_monitor', 'monitor (read cluster state, metrics)'], ['cluster_manage', 'manage (users, roles, resources)'], ['cluster_all', 'all']];
const RESOURCE_TYPES = [['index', 'Search indices'], ['stream', 'Streams'], ['table', 'SQL tables (database.table)'], ['sink', 'Search sinks']];
const ACTION_GROUPS = ['read', 'write', 'crud', 'create_index', 'manage', 'all'];

function h(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
        else if (k === 'checked' || k === 'value') node[k] = v;
        else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
    return node;
}

let ids = 0;
function labelled(label, control) {
    if (!control.id) control.id = 'adm-' + ++ids;
    return h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control);
}

function checkboxes(name, choices, selected) {
    return h('div', { class: 'checkbox-group', role: 'group' }, choices.map(([value, label]) => {
        const id = 'adm-' + ++ids;
        return h('span', { class: 'checkbox' }, h('input', { type: 'checkbox', id, name, value, checked: selected.includes(value) }), h('label', { for: id, text: label }));
    }));
}

const checked = (root, name) => [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
const splitList = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const enc = encodeURIComponent;

export default {
    title: 'Admin',
    async mount(el, ctx) {
        if (!ctx.isAdmin) {
            el.append(h('p', { class: 'error', text: 'Admin needs the all_access role or the cluster_manage permission. Ask an administrator.' }));
            return () => {};
        }
        const tz = () => ctx.timezone();
        const time = (iso) => (iso ? formatTime(Date.parse(iso), tz(), false) : '');
        const data = { users: [], roles: {}, mappings: {}, keys: [] };
        const sections = { users: h('div', { id: 'admin-users' }), roles: h('div', { id: 'admin-roles' }), mappings: h('div', { id: 'admin-mappings' }),
            keys: h('div', { id: 'admin-keys' }), metrics: h('div', { id: 'admin-metrics' }) };
        const panel = (title, action, body) => h('section', { class: 'panel' }, h('div', { class: 'toolbar' }, h('h2', { text: title }), action), body);
        el.append(h('div', { class: 'admin-page' },
            panel('Users', h('button', { type: 'button', class: 'primary', id: 'admin-new-user', text: 'New user', onclick: () => userDialog() }), sections.users),
            panel('Roles', h('button', { type: 'button', class: 'primary', id: 'admin-new-role', text: 'New role', onclick: () => roleDialog() }), sections.roles),
            panel('Role mappings', null, sections.mappings),
            panel('API keys', h('button', { type: 'button', class: 'primary', id: 'admin-new-key', text: 'New API key', onclick: () => keyDialog() }), sections.keys),
            panel('Metrics', null, sections.metrics)));

        const fail = (target, err) => {
            target.replaceChildren();
            ctx.showError(target, err);
        };
        const table = (id, headers, rows) => h('table', { class: 'data', id }, h('thead', {}, h('tr', {}, headers.map((t) => h('th', { text: t })))), h('tbody', {}, rows));
        const roleNames = () => Object.keys(data.roles).sort();

        // Errors inside a dialog stay in the dialog (the dialog stays open to correct the input).
        async function attempt(box, fn) {
            box.replaceChildren();
            try {
                await fn();
                return true;
            } catch (err) {
                ctx.showError(box, err);
                return false;
            }
        }

        async function loadUsers() {
            try {
                data.users = await ctx.api.get('/api/users');
                sections.users.replaceChildren(table('users', ['User', 'Roles', `Created (${tz()})`, ''], data.users.map((u) => h('tr', { 'data-user': u.name },
                    h('td', {}, h('strong', { text: u.name }), u.name === ctx.user?.name ? h('span', { class: 'muted', text: ' (you)' }) : null),
                    h('td', { text: (u.roles || []).join(', ') }),
                    h('td', { class: 'nowrap', text: time(u.created) }),
                    h('td', { class: 'actions' },
                        h('button', { type: 'button', class: 'small', text: 'Roles…', onclick: () => userRolesDialog(u) }),
                        h('button', { type: 'button', class: 'small', text: 'Reset password…', onclick: () => passwordDialog(u) }),
                        h('button', { type: 'button', class: 'small danger', text: 'Delete', disabled: u.name === ctx.user?.name, onclick: () => confirmDialog(
                            `Delete user ${u.name}?`, 'Their sessions end; their API keys stop working.', () => ctx.api.del('/api/users/' + enc(u.name)), loadAll) }))))));
            } catch (err) {
                fail(sections.users, err);
            }
        }

        async function loadRoles() {
            try {
                data.roles = await ctx.api.get(SECURITY + '/roles');
                sections.roles.replaceChildren(table('roles', ['Role', 'Description', 'Cluster', 'Grants', ''], roleNames().map((name) => {
                    const r = data.roles[name];
                    const grants = RESOURCE_TYPES.flatMap(([type]) => (r[type + '_permissions'] || []).map((g) =>
                        `${type} ${(g[type + '_patterns'] || []).join(',')}: ${(g.allowed_actions || []).join(',')}`));
                    return h('tr', { 'data-role': name },
                        h('td', {}, h('strong', { text: name }), r.reserved ? h('span', { class: 'badge', text: 'built in' }) : null),
                        h('td', { text: r.description || '' }),
                        h('td', { text: (r.cluster_permissions || []).join(', ') }),
                        h('td', { class: 'small' }, grants.map((g) => h('div', { text: g }))),
                        h('td', { class: 'actions' }, r.reserved ? null : [
                            h('button', { type: 'button', class: 'small', text: 'Edit…', onclick: () => roleDialog(name, r) }),
                            h('button', { type: 'button', class: 'small danger', text: 'Delete', onclick: () => confirmDialog(`Delete role ${name}?`,
                                'Its mappings are removed too.', () => ctx.api.del(SECURITY + '/roles/' + enc(name)), loadAll) })]));
                })));
            } catch (err) {
                fail(sections.roles, err);
            }
        }

        async function loadMappings() {
            try {
                const names = roleNames();
                const answers = await Promise.all(names.map((n) => ctx.api.get(SECURITY + '/rolesmapping/' + enc(n)).catch(() => ({}))));
                names.forEach((n, i) => {
                    data.mappings[n] = answers[i][n] || { users: [], access_keys: [] };
                });
                sections.mappings.replaceChildren(table('mappings', ['Role', 'Users', 'API keys', ''], names.map((n) => {
                    const m = data.mappings[n];
                    return h('tr', { 'data-mapping': n },
                        h('td', {}, h('strong', { text: n })),
                        h('td', { text: (m.users || []).join(', ') }),
                        h('td', { class: 'small', text: (m.access_keys || []).join(', ') }),
                        h('td', {}, h('button', { type: 'button', class: 'small', text: 'Map…', 'aria-label': 'Map role ' + n, onclick: () => mappingDialog(n) })));
                })));
            } catch (err) {
                fail(sections.mappings, err);
            }
        }

        async function loadKeys() {
            try {
                data.keys = await ctx.api.get('/api/access-keys');
                sections.keys.replaceChildren(table('keys', ['Key id', 'User', 'Description', 'Declared in', `Created (${tz()})`, 'State', ''], data.keys.map((k) => h('tr', { 'data-key': k.id },
                    h('td', {}, h('code', { text: k.id })),
                    h('td', { text: k.owner }),
                    h('td', { text: k.description || '' }),
                    h('td', {}, k.source === 'api' ? 'API' : h('span', { class: 'badge', title: 'declared outside the API; change it where it is declared',
                        text: k.source === 'config' ? 'tributary.yaml' : k.source })),
                    h('td', { class: 'nowrap', text: time(k.created) }),
                    h('td', { text: k.revoked ? 'revoked ' + time(k.revoked) : 'active' }),
                    h('td', {}, k.revoked || k.source !== 'api' ? null : h('button', { type: 'button', class: 'small danger', text: 'Revoke',
                        onclick: () => confirmDialog(`Revoke key ${k.id}?`, 'Clients using it get 403 from now on.', () => ctx.api.del('/api/access-keys/' + enc(k.id)), loadKeys) }))))));
            } catch (err) {
                fail(sections.keys, err);
            }
        }

        function loadMetrics() {
            // Who may read /metrics is server configuration, not something the API changes at run time.
            sections.metrics.replaceChildren(h('p', { id: 'metrics-access' },
                'Who may read ', h('code', { text: '/metrics' }), ' is set in tributary.yaml: ', h('code', { text: 'server.metrics-public: true' }),
                ' opens it to anyone; otherwise ', h('code', { text: 'server.metrics-role: <role>' }),
                ' limits it to principals holding that role (and all_access); unset, any authenticated user or key may read it. Map the role above to the '
                + 'API key your Prometheus uses.'));
        }

        async function loadAll() {
            await Promise.all([loadUsers(), loadRoles(), loadKeys()]);
            await loadMappings();
        }

        function confirmDialog(title, text, action, after) {
            const box = h('div');
            openModal({ title, body: (c) => c.append(h('p', { text }), box),
                actions: [{ label: 'Confirm', primary: true, onClick: async () => {
                    const ok = await attempt(box, action);
                    if (ok) await after();
                    return ok;
                } }] });
        }

        function userDialog() {
            const name = h('input', { type: 'text', required: true, autocomplete: 'off', name: 'username' });
            const password = h('input', { type: 'password', required: true, autocomplete: 'new-password', minlength: '8', name: 'password' });
            const box = h('div');
            openModal({ title: 'New user', body: (c) => c.append(labelled('Name', name), labelled('Password', password),
                h('fieldset', {}, h('legend', { text: 'Roles' }), checkboxes('roles', roleNames().map((r) => [r, r]), [])), box),
            actions: [{ label: 'Create', primary: true, onClick: async () => {
                const roles = checked(box.parentElement, 'roles');
                const ok = await attempt(box, () => ctx.api.post('/api/users', { name: name.value.trim(), password: password.value, roles }));
                if (ok) {
                    ctx.toast(`User ${name.value.trim()} created`);
                    await loadAll();
                }
                return ok;
            } }] });
        }

        function userRolesDialog(user) {
            const box = h('div');
            openModal({ title: `Roles of ${user.name}`, body: (c) => c.append(checkboxes('roles', roleNames().map((r) => [r, r]), user.roles || []), box),
                actions: [{ label: 'Save', primary: true, onClick: async () => {
                    const roles = checked(box.parentElement, 'roles');
                    const ok = await attempt(box, () => ctx.api.put('/api/users/' + enc(user.name) + '/roles', { roles }));
                    if (ok) await loadAll();
                    return ok;
                } }] });
        }

        function passwordDialog(user) {
            const password = h('input', { type: 'password', required: true, autocomplete: 'new-password', minlength: '8' });
            const box = h('div');
            openModal({ title: `New password for ${user.name}`, body: (c) => c.append(labelled('New password', password),
                h('p', { class: 'muted', text: 'Their other sessions end.' }), box),
            actions: [{ label: 'Set password', primary: true, onClick: async () => {
                const ok = await attempt(box, () => ctx.api.put('/api/users/' + enc(user.name) + '/password', { password: password.value }));
                if (ok) ctx.toast(`Password of ${user.name} changed`);
                return ok;
            } }] });
        }

        function grantRow(type = 'index', patterns = '', actions = ['read']) {
            const typeSelect = h('select', { class: 'grant-type', 'aria-label': 'Resource type' }, RESOURCE_TYPES.map(([v, l]) => h('option', { value: v, text: l })));
            typeSelect.value = type;
            const patternInput = h('input', { type: 'text', class: 'grant-patterns', 'aria-label': 'Patterns (comma-separated)', placeholder: 'retail*, mydatabase.*', value: patterns });
            const row = h('div', { class: 'grant-row' }, typeSelect, patternInput,
                h('span', { class: 'grant-actions' }, ACTION_GROUPS.map((a) => {
                    const id = 'adm-' + ++ids;
                    return h('span', { class: 'checkbox' }, h('input', { type: 'checkbox', id, class: 'grant-action', value: a, checked: actions.includes(a) }), h('label', { for: id, text: a }));
                })),
                h('button', { type: 'button', class: 'small', text: 'Remove', onclick: () => row.remove() }));
            return row;
        }

        function roleDialog(existingName, role) {
            const name = h('input', { type: 'text', required: true, autocomplete: 'off', value: existingName || '', disabled: Boolean(existingName), name: 'rolename' });
            const description = h('input', { type: 'text', value: role?.description || '' });
            const grants = h('div', { class: 'grants' });
            for (const [type] of RESOURCE_TYPES) {
                for (const g of role?.[type + '_permissions'] || []) grants.append(grantRow(type, (g[type + '_patterns'] || []).join(', '), g.allowed_actions || []));
            }
            if (!role) grants.append(grantRow());
            const box = h('div');
            openModal({ title: existingName ? `Edit role ${existingName}` : 'New role', body: (c) => c.append(labelled('Name', name), labelled('Description', description),
                h('fieldset', {}, h('legend', { text: 'Cluster permissions' }), checkboxes('cluster', CLUSTER_PERMISSIONS, role?.cluster_permissions || [])),
                h('fieldset', {}, h('legend', { text: 'Permissions on resources (patterns with * wildcards)' }), grants,
                    h('button', { type: 'button', class: 'small', text: 'Add a grant', onclick: () => grants.append(grantRow()) })), box),
            actions: [{ label: existingName ? 'Save' : 'Create', primary: true, onClick: async () => {
                const body = { cluster_permissions: checked(box.parentElement, 'cluster') };
                if (description.value.trim()) body.description = description.value.trim();
                for (const row of grants.querySelectorAll('.grant-row')) {
                    const type = row.querySelector('.grant-type').value;
                    const patterns = splitList(row.querySelector('.grant-patterns').value);
                    const actions = [...row.querySelectorAll('.grant-action:checked')].map((i) => i.value);
                    if (!patterns.length) continue;
                    (body[type + '_permissions'] ||= []).push({ [type + '_patterns']: patterns, allowed_actions: actions });
                }
                const roleName = name.value.trim();
                const ok = await attempt(box, async () => {
                    if (!roleName) throw new Error('Give the role a name.');
                    await ctx.api.put(SECURITY + '/roles/' + enc(roleName), body);
                });
                if (ok) {
                    ctx.toast(`Role ${roleName} saved`);
                    await loadAll();
                }
                return ok;
            } }] });
        }

        function mappingDialog(role) {
            const m = data.mappings[role] || { users: [], access_keys: [] };
            const knownUsers = data.users.map((u) => u.name);
            const extraUsers = h('input', { type: 'text', value: (m.users || []).filter((u) => !knownUsers.includes(u)).join(', '), placeholder: 'other user names, comma-separated' });
            const keys = data.keys.filter((k) => !k.revoked).map((k) => [k.id, `${k.id} (${k.owner}${k.description ? ', ' + k.description : ''})`]);
            const box = h('div');
            openModal({ title: `Map role ${role}`, body: (c) => c.append(
                h('fieldset', {}, h('legend', { text: 'Users' }), checkboxes('users', knownUsers.map((u) => [u, u]), m.users || []), labelled('Other users', extraUsers)),
                h('fieldset', {}, h('legend', { text: 'API keys' }), keys.length ? checkboxes('keys', keys, m.access_keys || []) : h('p', { class: 'muted', text: 'No active keys.' })), box),
            actions: [{ label: 'Save', primary: true, onClick: async () => {
                const root = box.parentElement;
                const users = [...new Set([...checked(root, 'users'), ...splitList(extraUsers.value)])];
                const accessKeys = checked(root, 'keys');
                const ok = await attempt(box, () => ctx.api.put(SECURITY + '/rolesmapping/' + enc(role), { users, access_keys: accessKeys }));
                if (ok) {
                    ctx.toast(`Mapping of ${role} saved`);
                    await loadMappings();
                }
                return ok;
            } }] });
        }

        function keyDialog() {
            const owner = h('select', {}, data.users.map((u) => h('option', { value: u.name, text: u.name })));
            if (ctx.user?.name && data.users.some((u) => u.name === ctx.user.name)) owner.value = ctx.user.name;
            const description = h('input', { type: 'text', placeholder: 'what uses this key' });
            const box = h('div');
            openModal({ title: 'New API key', body: (c) => c.append(labelled('User (the key acts as this user)', owner), labelled('Description', description), box),
                actions: [{ label: 'Create', primary: true, onClick: async () => {
                    let created = null;
                    const body = { description: description.value.trim() };
                    if (owner.value) body.user = owner.value;
                    const ok = await attempt(box, async () => {
                        created = await ctx.api.post('/api/access-keys', body);
                    });
                    if (ok) {
                        await loadKeys();
                        showSecret(created);
                    }
                    return ok;
                } }] });
        }

        function showSecret(key) {
            const copy = (text) => h('button', { type: 'button', class: 'small', text: 'Copy', onclick: async (e) => {
                try {
                    await navigator.clipboard.writeText(text);
                    e.target.textContent = 'Copied';
                } catch {
                    // clipboard needs a secure context; the value is selectable either way
                    window.getSelection()?.selectAllChildren(e.target.previousSibling);
                }
            } });
            openModal({ title: 'API key created', body: (c) => c.append(
                h('p', { class: 'warn', text: 'The secret is shown only now. Store it in a secret manager; it cannot be retrieved later.' }),
                h('dl', { class: 'key-secret' },
                    h('dt', { text: 'Access key id' }), h('dd', {}, h('code', { id: 'new-key-id', text: key.id }), copy(key.id)),
                    h('dt', { text: 'Secret access key' }), h('dd', {}, h('code', { id: 'new-key-secret', text: key.secret }), copy(key.secret)))),
            actions: [{ label: 'Close', primary: true }] });
        }

        await loadAll();
        loadMetrics();
        return () => {};
    },
};

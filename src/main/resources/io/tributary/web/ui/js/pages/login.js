// The login page: a session from a user name and password (POST /api/session).
import { h, uid } from '../components/dom.js';
import { showError, clearError } from '../components/toast.js';

export default {
  title: 'Log in',
  async mount(el, ctx) {
    const userId = uid('login');
    const pwId = uid('login');
    const user = h('input', { id: userId, name: 'username', type: 'text', autocomplete: 'username', required: true, autofocus: true });
    const password = h('input', { id: pwId, name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
    const form = h('form', { class: 'login panel', 'aria-label': 'Log in' },
      h('h1', {}, 'Tributary'),
      h('p', { class: 'muted' }, 'Log in with your Tributary user name and password.'),
      h('div', { class: 'field' }, h('label', { for: userId }, 'User name'), user),
      h('div', { class: 'field' }, h('label', { for: pwId }, 'Password'), password),
      submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearError(form);
      submit.disabled = true;
      try {
        const session = await ctx.api.post('/api/session', { username: user.value.trim(), password: password.value });
        await ctx.loggedIn(session);
      } catch (err) {
        const shown = err.status === 401 || err.status === 403
          ? Object.assign(new Error(`${err.message || 'Wrong user name or password.'}`), { status: err.status }) : err;
        showError(form, shown);
        password.select();
      } finally {
        submit.disabled = false;
      }
    });
    el.append(form);
    user.focus();
  },
};

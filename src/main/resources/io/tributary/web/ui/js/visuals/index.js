// Renders a saved visual's body, dispatching on its source to sql.js or search.js.
import { h, clear } from '../components/dom.js';

const RENDERERS = {
  sql: () => import('./sql.js'),
  search: () => import('./search.js'),
};

/**
 * renderVisual(el, body, ctx, {timeRange}) → Promise<{dispose()}>.
 * Sets el.dataset.state: 'loading', then 'drawn' or 'error' (with the message shown).
 */
export async function renderVisual(el, body, ctx, options = {}) {
  el.dataset.state = 'loading';
  const load = body && RENDERERS[body.source];
  if (!load) {
    return fail(el, `This visual's source '${body && body.source}' is not one this UI can draw.`);
  }
  let mod;
  try {
    mod = await load();
  } catch {
    return fail(el, `Visuals from '${body.source}' are not available in this build.`);
  }
  try {
    return await mod.render(el, body, ctx, options);
  } catch (e) {
    return fail(el, e && e.message ? e.message : String(e));
  }
}

export function fail(el, message) {
  clear(el).append(h('div', { class: 'error', role: 'alert' }, h('span', {}, message)));
  el.dataset.state = 'error';
  return { dispose() {} };
}

import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import type { View } from './common.ts';

const k = 'notifications.page.optOut';

/**
 * The guardian's opt-out page, phone-sized: what opting out means and a confirm button; once
 * opted out, only that (and how to take it back).
 */
export function optOutView(v: View, d: { token: string; state: 'ask' | 'done' | 'already' }): Html {
  const { ctx, t } = v;
  if (d.state !== 'ask') {
    return html`<div class="card narrow" id="opt-out">
  <p class="notice" role="status" id="opt-out-result">${t(d.state === 'done' ? `${k}.done` : `${k}.already`)}</p>
  <p>${t(`${k}.essentialNote`)}</p>
  <p class="muted">${t(`${k}.undo`)}</p>
</div>`;
  }
  return html`<div class="card narrow" id="opt-out">
  <p id="opt-out-intro">${t(`${k}.intro`)}</p>
  <p>${t(`${k}.essentialNote`)}</p>
  <form method="post" action="/notifications/opt-out/${encodeURIComponent(d.token)}">
    ${csrfField(ctx)}
    <button type="submit" class="big" aria-describedby="opt-out-intro">${t(`${k}.confirm`)}</button>
  </form>
</div>`;
}

import { html, type Html } from '../../web/html.ts';
import type { View } from '../../web/forms.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime, formatDay } from '../../web/format.ts';
import { formatEuros } from '../../foodcards/views/common.ts';
import { scrollable } from '../../web/scrollBox.ts';
import type { ChildView } from '../childService.ts';

const k = 'children.page';

const row = (label: string, value: Html | string | null | undefined) => html`<div><dt>${label}</dt><dd>${value || '—'}</dd></div>`;

/** The personal code: masked, with a button to show it whole (audited), or whole once asked for. */
function personalCode({ ctx, t }: View, c: ChildView, full: string | null): Html {
  if (full) return html`<code class="full-code">${full}</code> <small>${t(`${k}.codeShownAudited`)}</small>`;
  return html`<code>${c.personalCodeMasked}</code>
<form method="post" action="/pupils/${c.id}/personal-code" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t(`${k}.showCode`)}</button></form>`;
}

function deviceSection({ t }: View, c: ChildView): Html {
  const n = c.need;
  return html`<section aria-labelledby="device-h" class="card"><h2 id="device-h">${t(`${k}.device`)}</h2>
${n
  ? html`<dl class="facts">
  ${row(t(`${k}.status`), t(`status.steps.device.${n.status}`))}
  ${row(t('devices.page.deviceType'), t(`devices.types.${n.deviceType}`))}
  ${row(t('devices.page.deliveryMethod'), t(`devices.page.delivery.${n.deliveryMethod}`))}
  ${row(t('devices.page.referenceCode'), html`<code>${n.referenceCode}</code>`)}
  ${row(t('devices.page.serial'), n.device ? html`<a href="/devices/stock/${encodeURIComponent(n.device.serial)}">${n.device.serial}</a> ${n.device.make} ${n.device.model}` : null)}
</dl><p><a href="/devices/needs/${n.id}">${t(`${k}.openNeed`)}</a></p>`
  : html`<p>${t(`${k}.noNeed`)}</p>`}</section>`;
}

function kindergartenSection({ t }: View, c: ChildView): Html {
  const p = c.placement;
  return html`<section aria-labelledby="kg-h" class="card"><h2 id="kg-h">${t(`${k}.kindergarten`)}</h2>
${p
  ? html`<dl class="facts">
  ${row(t(`${k}.status`), t(`status.steps.kindergarten.${p.status}`))}
  ${row(t(`${k}.kindergartenName`), p.institution ? `${p.institution.name} (${p.institution.code})` : null)}
  ${row(t(`${k}.group`), p.group)}
  ${row(t('devices.page.referenceCode'), html`<code>${p.referenceCode}</code>`)}
</dl><p><a href="/kindergartens/requests/${p.id}">${t(`${k}.openRequest`)}</a></p>`
  : html`<p>${t(`${k}.noPlacement`)}</p>`}</section>`;
}

function foodSection({ ctx, t }: View, c: ChildView): Html {
  const s = c.familyStatus;
  return html`<section aria-labelledby="food-h" class="card"><h2 id="food-h">${t(`${k}.food`)}</h2>
<p>${s ? t(`${k}.familyStatus`, { status: t(`foodcards.page.familyStatus.${s.status}`), from: formatDay(s.validFrom, ctx.lang), to: formatDay(s.validTo, ctx.lang) }) : t(`${k}.noFamilyStatus`)}</p>
${c.food.length
  ? html`<div class="table-wrap"${scrollable(t(`${k}.food`))}><table><caption class="sr-only">${t(`${k}.food`)}</caption>
<thead><tr><th scope="col">${t(`${k}.period`)}</th><th scope="col">${t(`${k}.what`)}</th><th scope="col" class="num">${t(`${k}.amount`)}</th><th scope="col">${t(`${k}.status`)}</th></tr></thead>
<tbody>${c.food.map(
      (f) => html`<tr><td>${f.period}</td><td>${f.kind === 'card' ? html`${t(`${k}.card`)}${f.number ? html` <code>${f.number}</code>` : ''}` : html`<a href="/foodcards/entitlements/${f.id}">${t(`${k}.entitlement`)}</a>`}</td><td class="num">${formatEuros(f.cents, ctx.lang)}</td><td>${f.status ? t(`status.steps.foodcard.${f.status}`) : ''}</td></tr>`,
    )}</tbody></table></div>`
  : ''}</section>`;
}

function messagesSection({ ctx, t }: View, c: ChildView): Html {
  const coordinator = ctx.actor?.role === 'coordinator';
  return html`<section aria-labelledby="msg-h"><h2 id="msg-h">${t(`${k}.messages`)}</h2>
${c.messages.length
  ? html`<div class="table-wrap"${scrollable(t(`${k}.messages`))}><table><caption class="sr-only">${t(`${k}.messages`)}</caption>
<thead><tr><th scope="col">${t(`${k}.when`)}</th><th scope="col">${t(`${k}.message`)}</th><th scope="col">${t(`${k}.channel`)}</th><th scope="col">${t(`${k}.status`)}</th></tr></thead>
<tbody>${c.messages.map((m) => {
      const name = t(`notifications.page.templates.${m.template}`);
      return html`<tr><td>${formatDateTime(m.at, ctx.lang)}</td><td>${coordinator ? html`<a href="/notifications/messages/${encodeURIComponent(m.id)}">${name}</a>` : name}</td><td>${t(`notifications.page.channels.${m.channel}`)}</td><td>${t(`notifications.page.statuses.${m.status}`)}</td></tr>`;
    })}</tbody></table></div>`
  : html`<p>${t(`${k}.noMessages`)}</p>`}</section>`;
}

function historyLabel(t: View['t'], h: ChildView['history'][number]): string {
  if (h.area === 'message') return t(`${k}.messageSent`, { name: t(`notifications.page.templates.${h.status}`) });
  if (h.area === 'audit') return t(`${k}.audited`, { action: h.status });
  return t(`status.steps.${h.area}.${h.status}`);
}

function historySection(v: View, c: ChildView): Html {
  const { ctx, t } = v;
  return html`<section aria-labelledby="hist-h"><h2 id="hist-h">${t(`${k}.history`)}</h2>
${c.history.length
  ? html`<div class="table-wrap"${scrollable(t(`${k}.history`))}><table><caption class="sr-only">${t(`${k}.history`)}</caption>
<thead><tr><th scope="col">${t(`${k}.when`)}</th><th scope="col">${t(`${k}.area`)}</th><th scope="col">${t(`${k}.event`)}</th><th scope="col">${t(`${k}.by`)}</th></tr></thead>
<tbody>${c.history.map((h) => html`<tr><td>${formatDateTime(h.at, ctx.lang)}</td><td>${t(`${k}.areas.${h.area}`)}</td><td>${historyLabel(t, h)}</td><td>${h.by ?? ''}</td></tr>`)}</tbody></table></div>`
  : html`<p>${t(`${k}.noHistory`)}</p>`}
${ctx.actor?.role === 'coordinator' ? html`<p><a href="/audit?pupil=${c.id}">${t(`${k}.auditLink`)}</a></p>` : ''}</section>`;
}

/** One child on one page: who they are, their device, kindergarten place, food card, messages and history. */
export function childView(v: View, c: ChildView, full: string | null): Html {
  const { t } = v;
  const g = c.guardian;
  return html`<p><a href="/pupils">${t(`${k}.back`)}</a></p>
<section aria-labelledby="who-h" class="card"><h2 id="who-h">${t(`${k}.who`)}</h2><dl class="facts">
  ${row(t(`${k}.class`), c.class)}
  ${row(t(`${k}.institution`), c.institution ? html`<a href="/institutions/${encodeURIComponent(c.institution.code)}">${c.institution.name}</a>` : null)}
  ${row(t(`${k}.personalCode`), personalCode(v, c, full))}
  ${row(t(`${k}.guardian`), g?.name)}
  ${row(t(`${k}.phone`), g?.phone)}
  ${row(t(`${k}.email`), g?.email)}
  ${row(t(`${k}.language`), g?.language ? t(`devices.page.languages.${g.language}`) : null)}
</dl></section>
<div class="cards">${deviceSection(v, c)}${kindergartenSection(v, c)}${foodSection(v, c)}</div>
${messagesSection(v, c)}
${historySection(v, c)}`;
}

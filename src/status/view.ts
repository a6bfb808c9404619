import { html, type Html } from '../web/html.ts';
import { formatDay } from '../web/format.ts';
import type { Lang, TFunction } from '../i18n/index.ts';
import type { StatusItem } from './registry.ts';

/** One item of the parents' answer: the child's first name, where things stand, and the steps so far. */
export function statusCard(item: StatusItem, t: TFunction, lang: Lang): Html {
  const d = item.details;
  const facts: Html[] = [];
  if (d.pickupPlace) facts.push(html`<dt>${t('status.pickupPlace')}</dt><dd data-detail="pickupPlace">${d.pickupPlace}</dd>`);
  if (d.pickupFrom) facts.push(html`<dt>${t('status.pickupFrom')}</dt><dd data-detail="pickupFrom">${formatDay(d.pickupFrom, lang)}</dd>`);
  if (d.pickupHours) facts.push(html`<dt>${t('status.pickupHours')}</dt><dd data-detail="pickupHours">${d.pickupHours}</dd>`);
  if (d.deliveryDay) facts.push(html`<dt>${t('status.deliveryDay')}</dt><dd data-detail="deliveryDay">${formatDay(d.deliveryDay, lang)}</dd>`);
  if (d.kindergartenPlace) facts.push(html`<dt>${t('status.kindergartenPlace')}</dt><dd data-detail="kindergartenPlace">${d.kindergartenPlace}</dd>`);
  if (d.groupName) facts.push(html`<dt>${t('status.groupName')}</dt><dd data-detail="groupName">${d.groupName}</dd>`);
  if (d.placedFrom) facts.push(html`<dt>${t('status.placedFrom')}</dt><dd data-detail="placedFrom">${formatDay(d.placedFrom, lang)}</dd>`);
  if (d.waitingPosition) facts.push(html`<dt>${t('status.waitingPosition')}</dt><dd data-detail="waitingPosition">${d.waitingPosition}</dd>`);
  if (d.collectedOn) facts.push(html`<dt>${t('status.collectedOn')}</dt><dd data-detail="collectedOn">${formatDay(d.collectedOn, lang)}</dd>`);
  return html`<section class="card status-item" data-kind="${item.kind}">
<h2>${item.firstName} · ${t(`status.kinds.${item.kind}`)}${d.deviceType ? html` (${t(`devices.types.${d.deviceType}`)})` : ''}</h2>
<p class="status-now" data-status="${item.status}"><strong>${t(`status.steps.${item.kind}.${item.status}`)}</strong></p>
${facts.length ? html`<dl class="facts">${facts}</dl>` : ''}
<ol class="steps">${item.steps.map((s) => html`<li data-step="${s.status}"><span class="step">${t(`status.steps.${item.kind}.${s.status}`)}</span> <time datetime="${s.date}">${formatDay(s.date, lang)}</time></li>`)}</ol>
</section>`;
}

import { html, type Html } from '../../web/html.ts';
import { formatDay } from '../../web/format.ts';
import type { Lang, TFunction } from '../../i18n/index.ts';
import type { loanAgreement } from '../handoverService.ts';

export type Agreement = Awaited<ReturnType<typeof loanAgreement>>;

const blank = html`<span class="blank" aria-hidden="true"></span>`;

/**
 * The printable loan agreement, written in the guardian's language (`g`, `lang`); the short note
 * for staff above it is in the reader's (`t`, `readerLang`) and is not printed. No personal code.
 */
export function agreementView(a: Agreement, g: TFunction, lang: Lang, t: TFunction, readerLang: Lang): Html {
  const pupil = [a.pupil.firstName, a.pupil.lastName].filter(Boolean).join(' ');
  const guardianName = a.pupil.guardian?.name ?? '';
  const handover = a.need.handover;
  const inst = a.institution;
  const d = a.device;
  return html`<div class="no-print notice" lang="${readerLang}">
  <p>${t('devices.page.agreement.staffNote', { language: t(`devices.page.languages.${lang}`) })}</p>
  <p><a href="/devices/needs/${String(a.need._id)}">${t('devices.page.agreement.back')}</a></p>
</div>
<article class="agreement" data-agreement>
  <p class="lender">${inst.name}${inst.address ? `, ${inst.address}` : ''} <span class="muted">(${inst.code})</span></p>
  <p>${g('devices.page.agreement.intro', { institution: inst.name })}</p>
  <h2>${g('devices.page.agreement.parties')}</h2>
  <dl class="facts">
    <dt>${g('devices.page.agreement.pupil')}</dt><dd>${pupil}${a.pupil.class ? `, ${g('devices.page.agreement.classOf', { class: a.pupil.class })}` : ''}</dd>
    <dt>${g('devices.page.agreement.guardian')}</dt><dd>${guardianName || blank}</dd>
    <dt>${g('devices.page.agreement.institution')}</dt><dd>${inst.name}${inst.address ? `, ${inst.address}` : ''}</dd>
  </dl>
  <h2>${g('devices.page.agreement.device')}</h2>
  <dl class="facts">
    <dt>${g('devices.page.agreement.type')}</dt><dd>${g(`devices.types.${d.type}`)}</dd>
    <dt>${g('devices.page.agreement.make')}</dt><dd>${[d.make, d.model].filter(Boolean).join(' ') || blank}</dd>
    <dt>${g('devices.page.agreement.serial')}</dt><dd class="code">${d.serial}</dd>
  </dl>
  <h2>${g('devices.page.agreement.loan')}</h2>
  <dl class="facts">
    <dt>${g('devices.page.agreement.handoverDate')}</dt><dd>${handover?.date ? formatDay(handover.date, lang) : blank}</dd>
    <dt>${g('devices.page.agreement.returnBy')}</dt><dd>${handover?.returnBy ? formatDay(handover.returnBy, lang) : blank}</dd>
  </dl>
  <h2>${g('devices.page.agreement.obligations')}</h2>
  <ol class="obligations">${['o1', 'o2', 'o3', 'o4', 'o5'].map((k) => html`<li>${g(`devices.page.agreement.${k}`)}</li>`)}</ol>
  <div class="signatures">
    <div class="signature"><div class="line"></div><p>${g('devices.page.agreement.signGuardian')}${guardianName ? html`<br>${guardianName}` : ''}</p></div>
    <div class="signature"><div class="line"></div><p>${g('devices.page.agreement.signInstitution')}<br>${inst.name}</p></div>
  </div>
  <p>${g('devices.page.agreement.placeDate')} ${blank}</p>
</article>`;
}

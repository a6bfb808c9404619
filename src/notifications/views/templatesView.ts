import { html, type Html } from '../../web/html.ts';
import type { Lang } from '../../i18n/index.ts';
import type { Rendered, TemplateName } from '../templates.ts';
import { languageLabel, lines, subnav, templateLabel, type View } from './common.ts';

export type TemplatePreview = { name: TemplateName; audience: 'guardian' | 'staff'; essential: boolean; previews: Array<{ language: Lang } & Rendered> };

const k = 'notifications.page';

/** Every template in every language, filled in with its sample values. */
export function templatesView(v: View, list: TemplatePreview[]): Html {
  const { t } = v;
  return html`${subnav(v)}
<p>${t(`${k}.templatesPage.intro`)}</p>
${list.map(
  (p) => html`<section aria-labelledby="tpl-${p.name}" id="template-${p.name}" class="template" data-template="${p.name}">
<h2 id="tpl-${p.name}">${templateLabel(t, p.name)}</h2>
<p><strong>${t(`${k}.audiences.${p.audience}`)}</strong> · <span data-essential="${p.essential ? 'yes' : 'no'}">${t(p.essential ? `${k}.essential` : `${k}.nonEssential`)}</span> · <span class="code muted">${p.name}</span></p>
<div class="forms">${p.previews.map(
    (r) => html`<article class="card" data-language="${r.language}" aria-label="${templateLabel(t, p.name)} — ${languageLabel(t, r.language)}">
  <h3>${languageLabel(t, r.language)}</h3>
  <p><strong>${t(`${k}.templatesPage.subject`)}:</strong> <span lang="${r.language}">${r.subject}</span></p>
  <p lang="${r.language}">${lines(r.body)}</p>
</article>`,
  )}</div>
</section>`,
)}`;
}

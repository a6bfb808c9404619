import { html, type Html } from '../../web/html.ts';
import type { View } from '../../web/forms.ts';
import { csrfField } from '../../web/layout.ts';
import type { ChildHit, ChildSearchResult } from '../searchService.ts';
import { scrollable } from '../../web/scrollBox.ts';

const k = 'children.search';

function hitRow({ t }: View, h: ChildHit): Html {
  const href = h.kind === 'pupil' ? `/pupils/${h.id}` : `/kindergartens/requests/${h.id}`;
  const what = h.kind === 'pupil' ? t(`${k}.pupil`) : html`${t(`${k}.placement`)}: ${t(`kindergartens.page.requestStatus.${h.status}`)}`;
  return html`<tr><th scope="row"><a href="${href}">${h.lastName}, ${h.firstName}</a></th><td>${h.class}</td><td>${h.institution ? html`${h.institution.name} <small>${h.institution.code}</small>` : ''}</td><td><code>${h.personalCodeMasked}</code></td><td>${what}</td></tr>`;
}

/** The child search: one field for a name, a class or a personal code, and the children found. */
export function searchView(v: View, q: string, result: ChildSearchResult | null): Html {
  const { t } = v;
  // Posted, not a GET: a whole personal code typed here must not end up in an address, a browser's
  // history or a proxy's log.
  return html`<form method="post" action="/pupils" class="filters" role="search">${csrfField(v.ctx)}
  <div><label for="c-q">${t(`${k}.label`)}</label><input id="c-q" name="q" type="search" value="${q}" maxlength="100" aria-describedby="c-q-help" autocomplete="off"></div>
  <div><button type="submit">${t(`${k}.submit`)}</button></div>
</form>
<p id="c-q-help" class="hint">${t(`${k}.help`)}</p>
${result === null
  ? ''
  : result.hits.length
    ? html`<div class="table-wrap"${scrollable(t(`${k}.title`))}><table>
<caption>${t(`${k}.found`, { count: result.hits.length })}</caption>
<thead><tr><th scope="col">${t(`${k}.name`)}</th><th scope="col">${t(`${k}.class`)}</th><th scope="col">${t(`${k}.institution`)}</th><th scope="col">${t(`${k}.personalCode`)}</th><th scope="col">${t(`${k}.what`)}</th></tr></thead>
<tbody>${result.hits.map((h) => hitRow(v, h))}</tbody></table></div>
${result.partial ? html`<p class="notice">${t(`${k}.partial`)}</p>` : result.more ? html`<p class="notice">${t(`${k}.more`)}</p>` : ''}`
    : html`<p>${t(`${k}.none`)}</p>`}`;
}

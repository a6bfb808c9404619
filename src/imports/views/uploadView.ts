import { html, type Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { TFunction } from '../../i18n/index.ts';
import { importKinds, officeKinds } from '../../../imports/kinds/index.ts';

/** What the upload form shows again after a refused upload. */
export type UploadFormState = { kind?: string; institution?: string; error?: string };

/** The upload form (kinds and templates the reader may use) and, after a refusal, its reason. */
export function uploadForm(ctx: PageContext, t: TFunction, institutions: Array<{ code: string; name: string }>, isCoordinator: boolean, maxBytes: number, state: UploadFormState = {}): Html {
  const kinds = importKinds.filter((k) => isCoordinator || !officeKinds.includes(k));
  const help = t('imports.page.fileHelp', { maxMiB: Math.round(maxBytes / 1024 / 1024) });
  // Multipart bodies are read after the CSRF check, so the token travels in the form's action URL.
  return html`<form method="post" action="/imports?_csrf=${encodeURIComponent(ctx.csrfToken() ?? '')}" enctype="multipart/form-data" class="card upload">
  <label for="kind">${t('imports.page.kind')}</label>
  <select id="kind" name="kind" required>${kinds.map((k) => html`<option value="${k}"${k === state.kind ? html` selected` : ''}>${t(`imports.kinds.${k}`)}</option>`)}</select>
  ${isCoordinator
    ? html`<label for="institution">${t('imports.page.institution')}</label>
  <select id="institution" name="institution"><option value="">${t('imports.page.noInstitution')}</option>${institutions.map((i) => html`<option value="${i.code}"${i.code === state.institution ? html` selected` : ''}>${i.name} (${i.code})</option>`)}</select>`
    : ''}
  <label for="file">${t('imports.page.file')}</label>
  ${state.error ? html`<p id="file-error" class="notice error" role="alert">${state.error}</p>` : ''}
  <input id="file" name="file" type="file" accept=".xlsx,.csv,.txt" required aria-describedby="${state.error ? 'file-error file-help' : 'file-help'}"${state.error ? html` aria-invalid="true" autofocus` : ''}>
  <p id="file-help" class="muted">${help}</p>
  <input type="hidden" name="dryRun" value="true">
  <button type="submit">${t('imports.page.preview')}</button>
</form>
<p>${t('imports.page.templates')} ${kinds.map((k) => html`<a href="/api/imports/templates/${k}.xlsx?lang=${ctx.lang}" download>${t(`imports.kinds.${k}`)}</a> `)}</p>`;
}

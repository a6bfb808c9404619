import { html, type Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { TFunction } from '../../i18n/index.ts';
import { scrollable } from '../../web/scrollBox.ts';
import type { presentImport } from '../presenters.ts';
import { retryableFailure } from '../failures.ts';

export type Presented = ReturnType<typeof presentImport>;

export function statusLabel(t: TFunction, p: Presented): string {
  return t(`imports.status.${p.status}`) + (p.dryRun ? ` · ${t('imports.page.previewTag')}` : '');
}

function issueTable(t: TFunction, p: Presented, total: number): Html {
  const rows = [...p.errors.map((e) => ({ ...e, severity: 'error' })), ...p.warnings.map((w) => ({ ...w, severity: 'warning' }))].sort((a, b) => a.row - b.row);
  if (!rows.length) return html`<p>${t('imports.page.noIssues')}</p>`;
  return html`${total > rows.length ? html`<p class="notice">${t('imports.page.issuesCut', { shown: rows.length, total })}</p>` : ''}<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table class="issues">
<caption>${t('imports.page.issuesCaption')}</caption>
<thead><tr><th scope="col" class="num">${t('imports.page.row')}</th><th scope="col">${t('imports.page.column')}</th><th scope="col">${t('imports.page.severity')}</th><th scope="col">${t('imports.page.message')}</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr class="${r.severity}"><td class="num">${r.row}</td><td>${r.column ?? '—'}</td><td>${t(`imports.page.${r.severity}`)}</td><td>${r.message}</td></tr>`,
  )}</tbody></table></div>`;
}

// What a failed import left and what the person can do: go on from the last saved row after a
// technical failure, or upload a corrected file when the file itself was the problem.
function failed(ctx: PageContext, t: TFunction, p: Presented): Html {
  const retryable = retryableFailure(p.failure?.code);
  return html`<div class="notice error" role="alert"><p>${p.failure!.message}</p>
${retryable && !p.dryRun && p.progress.processed > 0 ? html`<p>${t('imports.page.savedBeforeFailure', { processed: p.progress.processed, total: p.progress.total ?? '…' })}</p>` : ''}</div>
${retryable
  ? html`<form method="post" action="/imports/${p.id}/retry"><input type="hidden" name="_csrf" value="${ctx.csrfToken() ?? ''}"><button type="submit">${t('imports.page.retry')}</button></form>`
  : ''}
<p><a href="/imports">${t('imports.page.uploadAgain')}</a></p>`;
}

// While the import runs: the rows checked so far (the total is not known until the first pass
// ends, so the bar has no value yet and shows as busy), then the rows saved of the total. The
// script updates both in place; without it the page reloads itself (see the route).
function progress(t: TFunction, p: Presented): Html {
  const known = p.progress.total !== null;
  const checking = t('imports.page.checking', { checked: '{{checked}}' });
  const saving = t('imports.page.progress', { processed: '{{processed}}', total: '{{total}}' });
  return html`<div class="progress" data-import-progress="/api/imports/${p.id}" data-checking="${checking}" data-saving="${saving}">
<p><label for="progress" data-label>${known ? t('imports.page.progress', { processed: p.progress.processed, total: p.progress.total }) : t('imports.page.checking', { checked: p.progress.checked })}</label><br>
${known ? html`<progress id="progress" max="${p.progress.total}" value="${p.progress.processed}"></progress>` : html`<progress id="progress"></progress>`}</p>
<p class="muted">${t('imports.page.refreshing')}</p>
</div>
<script src="/assets/importProgress.js" defer></script>`;
}

/** One import's page: its facts, then its progress, its failure or its summary and issues. */
export function detail(ctx: PageContext, t: TFunction, p: Presented, appliedId: string | null, issuesTotal: number): Html {
  const running = p.status === 'queued' || p.status === 'running';
  const s = p.summary;
  return html`<dl class="facts">
  <dt>${t('imports.page.kind')}</dt><dd>${t(`imports.kinds.${p.kind}`)}</dd>
  <dt>${t('imports.page.file')}</dt><dd>${p.fileName}</dd>
  ${p.institution ? html`<dt>${t('imports.page.institution')}</dt><dd>${p.institution}</dd>` : ''}
  <dt>${t('imports.page.status')}</dt><dd id="import-status">${statusLabel(t, p)}</dd>
</dl>
${running ? progress(t, p) : ''}
${p.failure ? failed(ctx, t, p) : ''}
${p.status === 'succeeded'
  ? html`<h2>${t('imports.page.summary')}</h2>
<div class="tiles summary">
  ${(['rows', 'created', 'updated', 'unchanged', 'rejected', 'warnings'] as const).map((k) => html`<div class="tile"><span class="value" data-summary="${k}">${s[k]}</span><span class="label">${t(`imports.summary.${k}`)}</span></div>`)}
</div>
${p.dryRun ? html`<p class="notice">${t('imports.page.previewNote')}</p>` : ''}
${p.unusedColumns.length ? html`<p class="notice">${t('imports.page.unusedColumns', { columns: p.unusedColumns.map((c) => t('imports.page.quoted', { text: c })).join(', ') })}</p>` : ''}
${p.dryRun && !appliedId
  ? html`<form method="post" action="/imports/${p.id}/apply"><input type="hidden" name="_csrf" value="${ctx.csrfToken() ?? ''}"><button type="submit">${t('imports.page.apply')}</button></form>`
  : ''}
${appliedId ? html`<p><a href="/imports/${appliedId}">${t('imports.page.appliedLink')}</a></p>` : ''}
<p><a class="button secondary" href="/api/imports/${p.id}/report.xlsx" download>${t('imports.page.report')}</a></p>
<h2>${t('imports.page.issues')}</h2>
${issueTable(t, p, issuesTotal)}`
  : ''}`;
}

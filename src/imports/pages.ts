import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.ts';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { html, type Html } from '../web/html.ts';
import { layout, pageContext, type PageContext } from '../web/layout.ts';
import { translator, type TFunction } from '../i18n/index.ts';
import { formatDateTime } from '../web/format.ts';
import { importKinds, officeKinds } from '../../imports/kinds/index.ts';
import { listInstitutions } from '../institutions/service.ts';
import { applyPreview, createImport, findAppliedImport, findImportFor, listImports, listIssues, retryableFailure, retryImport, UploadFieldsSchema } from './service.ts';
import { presentImport } from './presenters.ts';
import { uploadMiddleware } from './upload.ts';
import { parseInput } from '../http/parse.ts';
import type { ImportQueue } from './jobs.ts';
import { exportLink, exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { scrollable } from '../web/scrollBox.ts';

type Presented = ReturnType<typeof presentImport>;

type UploadFormState = { kind?: string; institution?: string; error?: string };

function uploadForm(ctx: PageContext, t: TFunction, institutions: Array<{ code: string; name: string }>, isCoordinator: boolean, maxBytes: number, state: UploadFormState = {}): Html {
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
  <input id="file" name="file" type="file" accept=".xlsx,.csv" required aria-describedby="${state.error ? 'file-error file-help' : 'file-help'}"${state.error ? html` aria-invalid="true" autofocus` : ''}>
  <p id="file-help" class="muted">${help}</p>
  <input type="hidden" name="dryRun" value="true">
  <button type="submit">${t('imports.page.preview')}</button>
</form>
<p>${t('imports.page.templates')} ${kinds.map((k) => html`<a href="/api/imports/templates/${k}.xlsx?lang=${ctx.lang}" download>${t(`imports.kinds.${k}`)}</a> `)}</p>`;
}

function statusLabel(t: TFunction, p: Presented): string {
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

function detail(ctx: PageContext, t: TFunction, p: Presented, appliedId: string | null, issuesTotal: number): Html {
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

const summaryKeys = ['rows', 'created', 'updated', 'unchanged', 'rejected', 'warnings'] as const;

const importColumns: ListColumn<Presented>[] = [
  { header: 'imports.page.when', value: (i) => i.createdAt, kind: 'time', width: 17 },
  { header: 'imports.page.kind', value: (i, t) => t(`imports.kinds.${i.kind}`), width: 26 },
  { header: 'imports.page.file', value: (i) => i.fileName, width: 30 },
  { header: 'imports.page.institution', value: (i) => i.institution },
  { header: 'imports.page.status', value: (i, t) => statusLabel(t, i), width: 18 },
  ...summaryKeys.map((k): ListColumn<Presented> => ({ header: `imports.summary.${k}`, value: (i) => i.summary[k] ?? null, kind: 'number' })),
];

/** The upload page (pick the kind, drop the file, preview, apply), its list as a workbook, and one import's page. */
export function importPages(queue: ImportQueue, maxBytes: number): Router {
  const router = Router();
  // The upload page; after a refused upload, again with the reason by the file field and the
  // kind and institution still chosen, so the principal only picks a better file.
  const uploadPage = async (req: Request, res: Response, state: UploadFormState = {}) => {
    const actor = actorOf(req);
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const [institutions, recent] = await Promise.all([listInstitutions(actor), listImports(actor, 20)]);
    const list = recent.map((i) => presentImport(i, [], t, ctx.lang));
    const body = html`${uploadForm(ctx, t, institutions, actor.role === 'coordinator', maxBytes, state)}
<h2>${t('imports.page.recent')}</h2>
${exportLink(t, '/imports.xlsx')}
${list.length
  ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table><thead><tr><th scope="col">${t('imports.page.when')}</th><th scope="col">${t('imports.page.kind')}</th><th scope="col">${t('imports.page.file')}</th><th scope="col">${t('imports.page.status')}</th></tr></thead>
<tbody>${list.map((i) => html`<tr><td>${i.createdAt ? formatDateTime(i.createdAt, ctx.lang) : ''}</td><td>${t(`imports.kinds.${i.kind}`)}</td><td><a href="/imports/${i.id}">${i.fileName}</a></td><td>${statusLabel(t, i)}</td></tr>`)}</tbody></table></div>`
  : html`<p>${t('imports.page.none')}</p>`}`;
    res.type('html').send(layout(ctx, t('imports.page.title'), body).value);
  };
  router.get('/imports', requireStaff(), (req, res) => uploadPage(req, res));

  // Every upload in the reader's scope (the page shows the latest 20), newest first.
  router.get('/imports.xlsx', requireStaff(), async (req, res) => {
    const t = translator(req.lang);
    const rows = (await listImports(actorOf(req), exportRowCap)).map((i) => presentImport(i, [], t, req.lang));
    await sendListExport(req, res, { name: 'exports.files.imports', columns: importColumns, rows });
  });

  router.post(
    '/imports',
    requireStaff(),
    uploadMiddleware(maxBytes),
    async (req: Request, res: Response) => {
      const fields = parseInput(UploadFieldsSchema, req.body);
      const file = (req as { file?: { originalname: string; buffer: Buffer } }).file;
      const id = await createImport(actorOf(req), { kind: fields.kind, institution: fields.institution || undefined, dryRun: true, file }, queue, maxBytes, req.ip ?? null);
      res.redirect(303, `/imports/${id}`);
    },
    // A file or choice refused before any row is read comes back on the form, not on an error page.
    async (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) return next(err);
      const t = translator(req.lang);
      const body = (req.body ?? {}) as Record<string, unknown>;
      res.status(err.status);
      await uploadPage(req, res, {
        kind: typeof body.kind === 'string' ? body.kind : undefined,
        institution: typeof body.institution === 'string' ? body.institution : undefined,
        error: t(`errors.${err.code}`, { ...(err.details ?? {}), defaultValue: t('errors.invalid_input') }),
      });
    },
  );

  router.get('/imports/:importId', requireStaff(), async (req, res) => {
    const imp = await findImportFor(actorOf(req), String(req.params.importId));
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const { issues, total } = await listIssues(String(imp._id));
    const p = presentImport(imp.toObject(), issues, t, ctx.lang);
    const applied = p.dryRun ? await findAppliedImport(p.id) : null;
    // Without scripts the page reloads itself while the import runs; with them it is updated in place.
    const reload = p.status === 'queued' || p.status === 'running' ? html`<noscript><meta http-equiv="refresh" content="2"></noscript>` : '';
    const title = p.dryRun ? t('imports.page.previewTitle') : t('imports.page.importTitle');
    res.type('html').send(layout(ctx, title, detail(ctx, t, p, applied, total), reload).value);
  });

  router.post('/imports/:importId/apply', requireStaff(), async (req, res) => {
    const id = await applyPreview(actorOf(req), String(req.params.importId), queue, req.ip ?? null);
    res.redirect(303, `/imports/${id}`);
  });
  router.post('/imports/:importId/retry', requireStaff(), async (req, res) => {
    const id = await retryImport(actorOf(req), String(req.params.importId), queue, req.ip ?? null);
    res.redirect(303, `/imports/${id}`);
  });
  return router;
}

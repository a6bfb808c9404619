import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.ts';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { formatDateTime } from '../web/format.ts';
import { listInstitutions } from '../institutions/service.ts';
import { applyPreview, createImport, findAppliedImport, findImportFor, listImports, listIssues, retryImport, UploadFieldsSchema } from './service.ts';
import { presentImport } from './presenters.ts';
import { uploadForm, type UploadFormState } from './views/uploadView.ts';
import { detail, statusLabel, type Presented } from './views/importView.ts';
import { uploadMiddleware } from './upload.ts';
import { parseInput } from '../http/parse.ts';
import type { ImportQueue } from './jobs.ts';
import { exportLink, exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { scrollable } from '../web/scrollBox.ts';

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
${list.length
  ? html`${exportLink(t, '/imports.xlsx')}<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table><thead><tr><th scope="col">${t('imports.page.when')}</th><th scope="col">${t('imports.page.kind')}</th><th scope="col">${t('imports.page.file')}</th><th scope="col">${t('imports.page.status')}</th></tr></thead>
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

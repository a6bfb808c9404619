import { Router } from 'express';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { AppError, NotFound } from '../errors.ts';
import { translator } from '../i18n/index.ts';
import { kindSpecs, importKinds, type ImportKind } from '../../imports/kinds/index.ts';
import { buildTemplate } from '../../imports/templates.ts';
import { writeReport } from '../../imports/report.ts';
import { z } from 'zod';
import { applyPreview, createImport, findImportFor, listImports, listIssues, retryImport, UploadFieldsSchema } from './service.ts';
import { presentImport, fieldLabel } from './presenters.ts';
import { uploadMiddleware } from './upload.ts';
import { readFile } from './storage.ts';
import { ImportIssueModel } from './model.ts';
import type { ImportQueue } from './jobs.ts';

const truthy = (v: string | undefined) => v === 'true' || v === '1' || v === 'on';

/** The import API: upload (202 with the id), status with errors in the reader's language, apply, report, templates. */
export function importApiRoutes(queue: ImportQueue, maxBytes: number): Router {
  const router = Router();

  router.post('/api/imports', requireStaff(), uploadMiddleware(maxBytes), async (req, res) => {
    const fields = parseInput(UploadFieldsSchema, req.body);
    const file = (req as { file?: { originalname: string; buffer: Buffer } }).file;
    const id = await createImport(actorOf(req), { kind: fields.kind, institution: fields.institution, dryRun: truthy(fields.dryRun), file }, queue, maxBytes, req.ip ?? null);
    res.status(202).json({ id });
  });

  router.get('/api/imports', requireStaff(), async (req, res) => {
    const t = translator(req.lang);
    const items = await listImports(actorOf(req));
    res.json({ items: items.map((i) => presentImport(i, [], t, req.lang)) });
  });

  router.get('/api/imports/templates/:kind.xlsx', requireStaff(), async (req, res) => {
    const kind = String(req.params.kind);
    if (!importKinds.includes(kind as ImportKind)) throw new NotFound();
    const { lang } = parseInput(z.object({ lang: z.enum(['lv', 'ru', 'en']).default(req.lang) }), req.query);
    const t = translator(lang);
    const buffer = await buildTemplate(kindSpecs[kind as ImportKind], lang, {
      dataSheet: t('imports.template.dataSheet'),
      instructionsSheet: t('imports.template.instructionsSheet'),
      instructions: t(`imports.template.instructions.${kind}`, { returnObjects: true }) as unknown as string[],
      requiredMark: t('imports.template.required'),
    });
    res.attachment(`${t(`imports.kinds.${kind}`)} - ${t('imports.template.fileSuffix')}.xlsx`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
  });

  router.get('/api/imports/:importId', requireStaff(), async (req, res) => {
    const imp = await findImportFor(actorOf(req), String(req.params.importId));
    const { issues, total } = await listIssues(String(imp._id));
    // errors and warnings hold the first issuesShown; issuesTotal says how many there are in all.
    res.json({ ...presentImport(imp.toObject(), issues, translator(req.lang), req.lang), issuesTotal: total });
  });

  router.post('/api/imports/:importId/apply', requireStaff(), async (req, res) => {
    const id = await applyPreview(actorOf(req), String(req.params.importId), queue, req.ip ?? null);
    res.status(202).json({ id });
  });

  // A failed import (a technical failure) goes on from its last saved row.
  router.post('/api/imports/:importId/retry', requireStaff(), async (req, res) => {
    const id = await retryImport(actorOf(req), String(req.params.importId), queue, req.ip ?? null);
    res.status(202).json({ id });
  });

  router.get('/api/imports/:importId/report.xlsx', requireStaff(), async (req, res) => {
    const imp = await findImportFor(actorOf(req), String(req.params.importId));
    // Its rows and their messages are known only once it has succeeded: a failed import's file may
    // not be readable at all, and a running one's messages are not all written yet.
    if (imp.status !== 'succeeded') throw new AppError(409, 'report_not_available');
    const t = translator(req.lang);
    const kind = imp.kind as ImportKind;
    const issues = await ImportIssueModel.find({ importId: String(imp._id) }).sort({ row: 1 }).lean();
    const bytes = await readFile(imp.fileId);
    res.attachment(`${imp.fileName.replace(/\.(xlsx|csv|txt)$/i, '')} - ${t('imports.report.fileSuffix')}.xlsx`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await writeReport(
      { format: imp.format as 'xlsx' | 'csv', bytes },
      kindSpecs[kind].fields,
      issues.map((i) => ({
        row: i.row,
        field: i.field ?? null,
        severity: i.severity as 'error' | 'warning',
        message: t(`imports.issues.${i.code}`, { column: i.column ?? (i.field ? fieldLabel(kind, i.field, req.lang) : ''), defaultValue: t('imports.issues.invalid') }),
      })),
      { sheet: t('imports.report.sheet'), errorsColumn: t('imports.report.errorsColumn') },
      res,
    );
    res.end();
  });
  return router;
}

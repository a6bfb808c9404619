import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { canAccessInstitution, findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { AppError, Forbidden, NotFound, ValidationError } from '../errors.ts';
import { importKinds, officeKinds, type ImportKind } from '../../imports/kinds/index.ts';
import { ImportIssueModel, ImportModel } from './model.ts';
import { storeFile } from './storage.ts';
import { retryableFailure } from './failures.ts';
import { checkSpreadsheet, safeFileName } from './upload.ts';
import type { ImportQueue } from './jobs.ts';

export const UploadFieldsSchema = z.object({
  kind: z.string().optional(),
  institution: z.string().trim().max(40).optional(),
  dryRun: z.enum(['true', 'false', '1', '0', 'on']).optional(),
});

export type UploadInput = { kind: string | undefined; institution: string | undefined; dryRun: boolean; file: { originalname: string; buffer: Buffer } | undefined };

/**
 * Accepts an upload: checks everything that can be checked before a row is read, keeps the file in
 * the database and queues the import by id. Answers the new import's id.
 */
export async function createImport(actor: Actor, input: UploadInput, queue: ImportQueue, maxBytes: number, ip: string | null): Promise<string> {
  if (!input.kind || !importKinds.includes(input.kind as ImportKind)) throw new ValidationError('unknown_kind');
  const kind = input.kind as ImportKind;
  if (!input.file || input.file.buffer.length === 0) throw new ValidationError('no_file');
  let institution = null;
  if (officeKinds.includes(kind)) {
    // A ministry delivery goes into the office's own stock, and placement requests are the office's
    // list for every base kindergarten: only coordinators import them.
    if (actor.role !== 'coordinator') throw new Forbidden();
  } else {
    const code = input.institution || (actor.role === 'principal' ? actor.institutionCode : undefined);
    if (!code) throw new ValidationError('institution_required');
    institution = await findInstitutionFor(actor, code);
    if (kind === 'kindergarten-attendance' && institution.type !== 'kindergarten') throw new ValidationError('not_a_kindergarten');
  }
  const format = checkSpreadsheet(input.file.buffer);
  const fileName = safeFileName(input.file.originalname);
  const fileId = await storeFile(fileName, input.file.buffer);
  const imp = await ImportModel.create({
    kind,
    institution: institution?._id ?? null,
    institutionCode: institution?.code ?? null,
    uploadedBy: actor.id,
    fileId,
    fileName,
    format,
    size: input.file.buffer.length,
    dryRun: input.dryRun,
  });
  await recordAudit({ actor, action: input.dryRun ? 'import.preview' : 'import.upload', target: { type: 'import', id: String(imp._id), label: fileName }, institution: institution?.code ?? null, ip, details: { kind } });
  await queue.enqueueImport(String(imp._id));
  return String(imp._id);
}

/** Loads an import within the actor's scope (a principal sees only their institution's); 404 otherwise. */
export async function findImportFor(actor: Actor, id: string) {
  const imp = await ImportModel.findOne({ _id: id, ...scopeFilter(actor) });
  if (!imp || (imp.institution && !canAccessInstitution(actor, imp.institution))) throw new NotFound('import_not_found');
  return imp;
}

/** Applies a finished preview: a new import of the same stored file, this time written. */
export async function applyPreview(actor: Actor, id: string, queue: ImportQueue, ip: string | null): Promise<string> {
  const preview = await findImportFor(actor, id);
  if (!preview.dryRun) throw new AppError(409, 'not_a_preview');
  if (preview.status !== 'succeeded') throw new AppError(409, 'preview_not_finished');
  // One Apply per preview, even when the button is pressed twice.
  const existing = await ImportModel.findOne({ previewOf: String(preview._id) });
  if (existing) return String(existing._id);
  const imp = await ImportModel.create({
    kind: preview.kind,
    institution: preview.institution,
    institutionCode: preview.institutionCode,
    uploadedBy: actor.id,
    fileId: preview.fileId,
    fileName: preview.fileName,
    format: preview.format,
    size: preview.size,
    dryRun: false,
    previewOf: String(preview._id),
  });
  await recordAudit({ actor, action: 'import.apply', target: { type: 'import', id: String(imp._id), label: imp.fileName }, institution: imp.institutionCode, ip, details: { kind: imp.kind, preview: id } });
  await queue.enqueueImport(String(imp._id));
  return String(imp._id);
}

/**
 * Puts a failed import back in the queue. It goes on after the last saved row (its checkpoint),
 * with the counts saved so far, so nothing is written twice. Pressed twice, it queues it once.
 */
export async function retryImport(actor: Actor, id: string, queue: ImportQueue, ip: string | null): Promise<string> {
  const imp = await findImportFor(actor, id);
  if (imp.status === 'queued' || imp.status === 'running') return String(imp._id);
  if (imp.status !== 'failed' || !retryableFailure(imp.failure?.code)) throw new AppError(409, 'import_not_retryable');
  const res = await ImportModel.updateOne({ _id: imp._id, status: 'failed' }, { $set: { status: 'queued', failure: null, finishedAt: null } });
  if (res.modifiedCount === 0) return String(imp._id);
  await recordAudit({ actor, action: 'import.retry', target: { type: 'import', id: String(imp._id), label: imp.fileName }, institution: imp.institutionCode ?? null, ip, details: { kind: imp.kind } });
  // Should Redis be away now, the import stays queued and the worker's sweep queues it later.
  await queue.enqueueImport(String(imp._id));
  return String(imp._id);
}

/** The actor's recent imports, newest first. */
export async function listImports(actor: Actor, limit = 50) {
  return ImportModel.find(scopeFilter(actor)).sort({ createdAt: -1 }).limit(limit).lean();
}

/** A page or the API lists at most this many issues of an import; the report workbook has them all. */
export const issuesShown = 1000;

/** The issues of an import in row order, the first `issuesShown`, and how many there are in all. */
export async function listIssues(importId: string) {
  const issues = await ImportIssueModel.find({ importId }).sort({ row: 1, severity: 1 }).limit(issuesShown).lean();
  const total = issues.length < issuesShown ? issues.length : await ImportIssueModel.countDocuments({ importId });
  return { issues, total };
}

/** The import that applied a preview, if the Apply button was used. */
export async function findAppliedImport(previewId: string): Promise<string | null> {
  const doc = await ImportModel.findOne({ previewOf: previewId }, { _id: 1 }).lean();
  return doc ? String(doc._id) : null;
}

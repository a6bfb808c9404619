import multer from 'multer';
import type { RequestHandler } from 'express';
import { AppError, ValidationError } from '../errors.ts';
import { inspectZip, sniffFile, zipLimits } from '../../imports/sniff.ts';

/** Reads one multipart file into memory, refusing anything over the size limit before it is all in. */
export function uploadMiddleware(maxBytes: number): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 } }).single('file');
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') return next(new AppError(413, 'file_too_large', undefined, { maxMiB: Math.round(maxBytes / 1024 / 1024) }));
      // Anything else the multipart parser throws is the body's fault (no boundary, a form cut off,
      // a malformed part header), not the server's: a 400, not a 500 logged as unexpected.
      next(new ValidationError('bad_upload'));
    });
  };
}

/** Keeps only a safe display name: no folders, no control characters, bounded length. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean || 'upload';
}

/**
 * Decides from the bytes (never the name) what was uploaded: an .xlsx whose zip directory is sane,
 * or a text .csv. Old .xls, password-protected workbooks, zip bombs and anything else get their own code.
 */
export function checkSpreadsheet(bytes: Buffer): 'xlsx' | 'csv' {
  // The whole file: an encrypted workbook's directory can sit anywhere in it (a large one's well
  // past the first 64 KiB), and a byte search over a few MiB costs next to nothing.
  const kind = sniffFile(bytes);
  if (kind === 'xls') throw new AppError(415, 'old_xls');
  if (kind === 'encrypted') throw new AppError(415, 'password_protected');
  if (kind === 'unsupported') throw new AppError(415, 'not_a_spreadsheet');
  if (kind === 'csv') return 'csv';
  const zip = inspectZip(bytes, zipLimits);
  if (!zip.ok) throw zip.code === 'not_a_spreadsheet' || zip.code === 'opendocument' ? new AppError(415, zip.code) : new ValidationError(zip.code);
  return 'xlsx';
}

import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, NotFound, Unavailable, ValidationError } from '../errors.ts';
import { translator } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import { errorPage } from '../web/errorPage.ts';

const unavailableNames = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNotConnectedError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MaxRetriesPerRequestError',
]);

function isConnectionError(err: { name?: string; message?: string }): boolean {
  if (err.name && unavailableNames.has(err.name)) return true;
  const m = err.message ?? '';
  // ioredis with its offline queue disabled, and a socket closed under a command.
  return /Stream isn't writeable|Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET/.test(m);
}

/**
 * Maps anything thrown into the one error family. Kept separate and exported so the mapping has
 * its own tests: each kind of failure keeps its own status, and unknown ones become 500.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; code?: unknown; status?: unknown; type?: unknown; kind?: unknown };
  if (e.name === 'CastError') return new NotFound();
  if (e.code === 11000 || e.code === 11001) return new AppError(409, 'duplicate');
  if (e.name === 'ValidationError' && typeof e.message === 'string') return new ValidationError();
  if (e.code === 'EBADCSRFTOKEN') return new AppError(403, 'csrf_invalid');
  if (e.type === 'entity.parse.failed') return new ValidationError('invalid_json');
  if (e.type === 'entity.too.large') return new AppError(413, 'payload_too_large');
  if (isConnectionError(e)) return new Unavailable();
  const status = typeof e.status === 'number' ? e.status : 0;
  if (status >= 400 && status < 500) return new AppError(status, status === 404 ? 'not_found' : 'invalid_input');
  return new AppError(500, 'internal');
}

/** API callers (and scripts) get JSON; people get a page. */
export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/readyz' || !!req.headers.authorization;
}

/** The last middleware: logs server faults, answers `{error: {code, message}}` or an error page. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = toAppError(err);
    if (appErr.status >= 500 && appErr.status !== 503) logger.error({ err, url: req.originalUrl }, 'request failed');
    else if (appErr.status === 503) logger.warn({ url: req.originalUrl, cause: (err as Error)?.message }, 'dependency unavailable');
    if (res.headersSent) return;
    const t = translator(req.lang ?? 'lv');
    const message = t(`errors.${appErr.code}`, { ...(appErr.details ?? {}), defaultValue: t(appErr.status >= 500 ? 'errors.internal' : 'errors.invalid_input') });
    if (appErr.status === 503) res.set('Retry-After', '5');
    if (appErr.status === 401 && !wantsJson(req) && req.method === 'GET') {
      // People who open a staff page signed out go to the sign-in form and come back afterwards.
      res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(appErr.status);
    if (wantsJson(req)) {
      const body: Record<string, unknown> = { code: appErr.code, message };
      if (appErr.details) body.details = appErr.details;
      res.json({ error: body });
    } else {
      res.type('html').send(errorPage(req, appErr.status, message).value);
    }
  };
}

/** 404 for anything no route answered. */
export const notFoundHandler: RequestHandler = () => {
  throw new NotFound();
};

import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

/**
 * Synchronizer-token CSRF protection for cookie sessions: the token lives in the session; forms
 * send it as `_csrf`, scripts using the cookie send `X-CSRF-Token`. Requests authenticated with a
 * bearer token carry no ambient credentials and are exempt, as are the JSON sign-in and the JSON
 * status lookup (and the SMS provider's receipts, checked by their own token): a cross-site form
 * cannot send JSON, and none of them changes anything a session owns.
 */
const jsonExempt = new Set(['/api/session', '/api/status', '/api/notifications/sms/receipts']);

const { csrfSynchronisedProtection } = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    if (typeof field === 'string') return field;
    // Multipart uploads are parsed after this check, so their forms carry the token in the URL.
    const query = req.query._csrf;
    return typeof query === 'string' ? query : undefined;
  },
  skipCsrfProtection: (req) => req.authVia === 'token' || (req.method === 'POST' && jsonExempt.has(req.path) && !!req.is('application/json')),
});

export const csrfGuard: RequestHandler = csrfSynchronisedProtection;

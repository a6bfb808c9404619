import { Router, type Request, type RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import { NotFound } from '../errors.ts';
import { sessionCookieName } from '../auth/session.ts';
import { html } from '../web/html.ts';
import { csrfField, layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { lookupStatus } from './registry.ts';
import { statusCard } from './view.ts';

const StatusQuerySchema = z.object({ referenceCode: z.string().max(64) });

/** POST /api/status: the parents' JSON lookup (behind the limits it is mounted with). */
const lookupApi: RequestHandler = async (req, res) => {
  const { referenceCode } = parseInput(StatusQuerySchema, req.body);
  const items = await lookupStatus(referenceCode);
  // Unknown and malformed codes answer alike, so the answer tells a guesser nothing.
  if (!items.length) throw new NotFound('status_not_found');
  res.json({ items });
};

/**
 * The JSON lookup for a request that brings no session cookie and no bearer token, mounted before
 * the session, passport and CSRF layers (see app.ts). For such a request those layers do nothing
 * this route can notice: a new session that is never saved and sets no cookie, no user, and no CSRF
 * check (a JSON POST to /api/status is exempt). Yet they cost the API process about 0.17 ms of CPU
 * per lookup under scripts/bench/status, a fifth of its share. Everything else (a cookie, whose
 * session a rolling session must touch; a bearer token, which a bad one must answer 401 for; a
 * form post, which the CSRF check must see) goes on to `statusRoutes` after those layers, as
 * before; the limits are the same instances, so the counters are shared.
 */
export function statusApiBeforeSession(limits: RequestHandler[]): Router {
  const router = Router();
  const sessionless: RequestHandler = (req, _res, next) => {
    const hasSession = parseCookie(req.headers.cookie ?? '')[sessionCookieName] !== undefined;
    if (hasSession || req.headers.authorization !== undefined || !req.is('application/json')) return next('route');
    next();
  };
  router.post('/api/status', sessionless, ...limits, lookupApi);
  return router;
}

/**
 * The public area: the parents' status lookup (API and page), limited per IP and per code against
 * guessing. The answer holds a first name and statuses only (see each domain's lookup).
 */
export function statusRoutes(limits: RequestHandler[]): Router {
  const router = Router();
  router.post('/api/status', ...limits, lookupApi);

  const form = (req: Request, message?: string, code = '') => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    return html`<p>${t('status.intro')}</p>
${message ? html`<p class="notice error" role="alert" id="status-error">${message}</p>` : ''}
<form method="post" action="/status" class="card narrow">
  ${csrfField(ctx)}
  <label for="code">${t('status.code')}</label>
  <input id="code" name="referenceCode" value="${code}" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="20"${message ? html` aria-describedby="status-error"` : ''}>
  <button type="submit">${t('status.submit')}</button>
</form>`;
  };
  router.get('/status', (req, res) => {
    const ctx = pageContext(req);
    res.type('html').send(layout(ctx, translator(ctx.lang)('status.title'), form(req)).value);
  });
  router.post('/status', ...limits, async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const code = (req.body as { referenceCode?: unknown }).referenceCode;
    const items = typeof code === 'string' ? await lookupStatus(code) : [];
    if (!items.length) {
      res.status(404).type('html').send(layout(ctx, t('status.title'), form(req, t('status.notFound'))).value);
      return;
    }
    const body = html`<div class="status-items">${items.map((i) => statusCard(i, t, ctx.lang))}</div>
<p><a href="/status">${t('status.another')}</a></p>`;
    res.type('html').send(layout(ctx, t('status.title'), body).value);
  });
  return router;
}

import { Router, type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import { NotFound } from '../errors.ts';
import { sessionCookieName } from '../auth/session.ts';
import { html } from '../web/html.ts';
import { csrfField, layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { lookupStatus, normalizeReferenceCode } from './registry.ts';

/** How many codes one device keeps: a family's children, each with a device, a card and a place. */
const maxCodes = 12;
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

  const form = (req: Request, message?: string, code = '', known = false) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    return html`<p>${t(known ? 'status.addIntro' : 'status.intro')}</p>
${message ? html`<p class="notice error" role="alert" id="status-error">${message}</p>` : ''}
<form method="post" action="/status" class="card narrow">
  ${csrfField(ctx)}
  <label for="code">${t('status.code')}</label>
  <input id="code" name="referenceCode" value="${code}" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="20"${message ? html` aria-describedby="status-error"` : ''}>
  <button type="submit">${t('status.submit')}</button>
</form>`;
  };

  /** Everything tied to the codes this device has checked, the newest code first. */
  const page = async (req: Request, res: Response, status: number, message?: string, code = '') => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const codes = req.session?.statusCodes ?? [];
    const items = (await Promise.all(codes.map((c) => lookupStatus(c)))).flat();
    const body = html`${items.length ? html`<div class="status-items">${items.map((i) => statusCard(i, t, ctx.lang))}</div>` : ''}
${items.length ? html`<h2>${t('status.another')}</h2>` : ''}
${form(req, message, code, items.length > 0)}
${codes.length ? html`<form method="post" action="/status/forget" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t('status.forget')}</button></form>` : ''}`;
    res.status(status).type('html').send(layout(ctx, t('status.title'), body).value);
  };

  router.get('/status', (req, res) => page(req, res, 200));
  router.post('/status', ...limits, async (req, res) => {
    const t = translator(req.lang);
    const raw = (req.body as { referenceCode?: unknown }).referenceCode;
    const code = typeof raw === 'string' ? normalizeReferenceCode(raw) : null;
    const items = code ? await lookupStatus(code) : [];
    if (!code || !items.length) return page(req, res, 404, t('status.notFound'), typeof raw === 'string' ? raw.slice(0, 20) : '');
    // Kept only once found, so a guess never rides along with a later lookup; newest first.
    if (req.session) req.session.statusCodes = [code, ...(req.session.statusCodes ?? []).filter((c) => c !== code)].slice(0, maxCodes);
    await page(req, res, 200);
  });
  router.post('/status/forget', (req, res) => {
    if (req.session) delete req.session.statusCodes;
    res.redirect(303, '/status');
  });
  return router;
}

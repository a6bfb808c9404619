import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import { NotFound } from '../errors.ts';
import { html } from '../web/html.ts';
import { csrfField, layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { lookupStatus } from './registry.ts';
import { statusCard } from './view.ts';

const StatusQuerySchema = z.object({ referenceCode: z.string().max(64) });

/**
 * The public area: the parents' status lookup (API and page), limited per IP and per code against
 * guessing. The answer holds a first name and statuses only (see each domain's lookup).
 */
export function statusRoutes(limits: RequestHandler[]): Router {
  const router = Router();
  router.post('/api/status', ...limits, async (req, res) => {
    const { referenceCode } = parseInput(StatusQuerySchema, req.body);
    const items = await lookupStatus(referenceCode);
    // Unknown and malformed codes answer alike, so the answer tells a guesser nothing.
    if (!items.length) throw new NotFound('status_not_found');
    res.json({ items });
  });

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

import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import { NotFound } from '../errors.ts';
import { html } from '../web/html.ts';
import { csrfField, layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { lookupStatus } from './registry.ts';

const StatusQuerySchema = z.object({ referenceCode: z.string().max(64) });

/** The public area: the parents' status lookup (API and page), limited per IP against guessing. */
export function statusRoutes(limit: RequestHandler): Router {
  const router = Router();
  router.post('/api/status', limit, async (req, res) => {
    const { referenceCode } = parseInput(StatusQuerySchema, req.body);
    const items = await lookupStatus(referenceCode);
    // Unknown and malformed codes answer alike, so the answer tells a guesser nothing.
    if (!items.length) throw new NotFound('status_not_found');
    res.json({ items });
  });

  const page = (req: Parameters<RequestHandler>[0], message?: string) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    return layout(
      ctx,
      t('status.title'),
      html`<p>${t('status.intro')}</p>
${message ? html`<p class="notice error" role="alert" id="status-error">${message}</p>` : ''}
<form method="post" action="/status" class="card narrow">
  ${csrfField(ctx)}
  <label for="code">${t('status.code')}</label>
  <input id="code" name="referenceCode" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="20"${message ? html` aria-describedby="status-error"` : ''}>
  <button type="submit">${t('status.submit')}</button>
</form>`,
    );
  };
  router.get('/status', (req, res) => {
    res.type('html').send(page(req).value);
  });
  router.post('/status', limit, async (req, res) => {
    const t = translator(req.lang);
    const code = (req.body as { referenceCode?: unknown }).referenceCode;
    const items = typeof code === 'string' ? await lookupStatus(code) : [];
    if (!items.length) {
      res.status(404).type('html').send(page(req, t('status.notFound')).value);
      return;
    }
    const body = html`<ul class="status-items">${items.map((i) => html`<li class="card"><strong>${i.firstName}</strong>: ${i.status}</li>`)}</ul>`;
    res.type('html').send(layout(pageContext(req), t('status.title'), body).value);
  });
  return router;
}

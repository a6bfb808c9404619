import type { Request } from 'express';
import { html, type Html } from './html.ts';
import { layout, pageContext } from './layout.ts';
import { translator } from '../i18n/index.ts';

/** The page people see when something fails; the message is already in their language. */
export function errorPage(req: Request, status: number, message: string): Html {
  const t = translator(req.lang ?? 'lv');
  let ctx;
  try {
    ctx = pageContext(req);
  } catch {
    // The session store may be the thing that failed; render without a CSRF token then.
    ctx = { lang: req.lang ?? 'lv', actor: req.user, csrfToken: () => undefined, path: req.originalUrl };
  }
  return layout(ctx, t('errors.title'), html`<p class="notice error" role="alert">${message}</p><p><a href="/">${t('errors.back')}</a></p><p class="muted">${status}</p>`);
}

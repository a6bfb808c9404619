import { Router, type RequestHandler } from 'express';
import { html } from '../web/html.ts';
import { csrfField, layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { safeNext } from '../http/language.ts';
import { signIn, signOut } from './signIn.ts';
import { recordSignOut } from './service.ts';

function signinPage(req: Parameters<RequestHandler>[0], opts: { failed?: boolean; signedOut?: boolean; email?: string } = {}) {
  const ctx = pageContext(req);
  const t = translator(ctx.lang);
  const next = safeNext(req.query.next ?? (req.body as { next?: unknown } | undefined)?.next, '/dashboard');
  return layout(
    ctx,
    t('signin.title'),
    html`${opts.failed ? html`<p class="notice error" role="alert" id="signin-error">${t('signin.failed')}</p>` : ''}
${opts.signedOut ? html`<p class="notice" role="status">${t('signin.signedOut')}</p>` : ''}
<form method="post" action="/signin" class="card narrow">
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${next}">
  <label for="email">${t('signin.email')}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${opts.email ?? ''}"${opts.failed ? html` aria-describedby="signin-error"` : ''}>
  <label for="password">${t('signin.password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${t('signin.submit')}</button>
</form>`,
  );
}

/** The sign-in form and sign-out for people; the same checks, limits and audit as the API. */
export function authPages(signinLimits: RequestHandler[]): Router {
  const router = Router();
  router.get('/signin', (req, res) => {
    if (req.user) return res.redirect(303, '/dashboard');
    res.type('html').send(signinPage(req, { signedOut: req.query.signedOut === '1' }).value);
  });
  router.post('/signin', ...signinLimits, async (req, res) => {
    const actor = await signIn(req, res);
    if (!actor) {
      const email = (req.body as { email?: unknown }).email;
      res.status(401).type('html').send(signinPage(req, { failed: true, email: typeof email === 'string' ? email : '' }).value);
      return;
    }
    res.redirect(303, safeNext((req.body as { next?: unknown }).next, '/dashboard'));
  });
  router.post('/signout', async (req, res) => {
    const actor = req.user;
    if (actor && req.authVia === 'session') {
      await signOut(req);
      await recordSignOut(actor, req.ip ?? null);
    }
    res.redirect(303, '/signin?signedOut=1');
  });
  return router;
}

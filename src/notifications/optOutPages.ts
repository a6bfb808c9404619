import { Router, type Request, type Response } from 'express';
import { NotFound } from '../errors.ts';
import { text } from '../web/formValues.ts';
import { send, viewOf } from '../web/pageSupport.ts';
import { isContactToken, isOptedOut, recordOptOut } from './contacts.ts';
import { optOutView } from './views/optOutView.ts';

/** A token this service could not have made answers 404, like any unknown page; the pages are kept out of search engines. */
function tokenOf(req: Request, res: Response): string {
  const token = String(req.params.token);
  if (!isContactToken(token)) throw new NotFound();
  res.set('X-Robots-Tag', 'noindex');
  return token;
}

/**
 * The guardians' opt-out pages, public (the link in a non-essential message): confirm, and the
 * contact gets no more non-essential messages. The token is the contact's hash, never the address.
 */
export function optOutPages(): Router {
  const router = Router();
  router.get('/notifications/opt-out/:token', async (req, res) => {
    const v = viewOf(req);
    const token = tokenOf(req, res);
    const out = await isOptedOut(token);
    const state = !out ? 'ask' : text(req.query, 'done') === 'confirmed' ? 'done' : 'already';
    send(res, v, v.t('notifications.page.optOut.title'), optOutView(v, { token, state }));
  });
  router.post('/notifications/opt-out/:token', async (req, res) => {
    const token = tokenOf(req, res);
    await recordOptOut(token, 'link');
    res.redirect(303, `/notifications/opt-out/${encodeURIComponent(token)}?done=confirmed`);
  });
  return router;
}

import { Router, type RequestHandler } from 'express';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { send, viewOf, ip } from '../web/pageSupport.ts';
import type { PersonalCodeKey } from './personalCodes.ts';
import { ChildSearchSchema, searchChildren } from './searchService.ts';
import { getChild, revealPersonalCode } from './childService.ts';
import { searchView } from './views/searchView.ts';
import { childView } from './views/childView.ts';

export type ChildDeps = { personalCodeKey: PersonalCodeKey };

/**
 * The child search and the child page, as pages and as JSON. Both roles use them within their
 * scope; the full personal code is a POST, so it is never in an address, and each view is audited.
 */
export function childRoutes(deps: ChildDeps): Router {
  const router = Router();
  const staff = requireStaff();

  router.get('/api/pupils', staff, async (req, res) => {
    const { q } = parseInput(ChildSearchSchema, req.query);
    const { hits, more, partial } = await searchChildren(actorOf(req), deps.personalCodeKey, q);
    res.json({ items: hits, more, partial });
  });
  router.get('/api/pupils/:pupilId', staff, async (req, res) => {
    res.json(await getChild(actorOf(req), String(req.params.pupilId)));
  });
  router.post('/api/pupils/:pupilId/personal-code', staff, async (req, res) => {
    res.json({ personalCode: await revealPersonalCode(actorOf(req), deps.personalCodeKey, String(req.params.pupilId), ip(req)) });
  });

  const searchPage = (source: 'query' | 'body'): RequestHandler => async (req, res) => {
    const v = viewOf(req);
    const { q } = parseInput(ChildSearchSchema, req[source] ?? {});
    const result = q ? await searchChildren(actorOf(req), deps.personalCodeKey, q) : null;
    res.setHeader('Cache-Control', 'no-store');
    send(res, v, v.t('children.search.title'), searchView(v, q, result));
  };
  router.get('/pupils', staff, searchPage('query'));
  router.post('/pupils', staff, searchPage('body'));
  router.get('/pupils/:pupilId', staff, async (req, res) => {
    const v = viewOf(req);
    const child = await getChild(actorOf(req), String(req.params.pupilId));
    send(res, v, `${child.firstName} ${child.lastName}`, childView(v, child, null));
  });
  router.post('/pupils/:pupilId/personal-code', staff, async (req, res) => {
    const v = viewOf(req);
    const id = String(req.params.pupilId);
    // Scope first: another institution's pupil is a 404 before anything is read or recorded.
    const child = await getChild(actorOf(req), id);
    const full = await revealPersonalCode(actorOf(req), deps.personalCodeKey, id, ip(req));
    res.setHeader('Cache-Control', 'no-store');
    send(res, v, `${child.firstName} ${child.lastName}`, childView(v, child, full));
  });
  return router;
}

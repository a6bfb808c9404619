import { Router } from 'express';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { GroupInputSchema, InstitutionInputSchema, getInstitution, listInstitutions, saveGroup, saveInstitution } from './service.ts';

/** Institutions API: staff read within their scope; coordinators create and change. */
export function institutionApiRoutes(): Router {
  const router = Router();
  router.get('/api/institutions', requireStaff(), async (req, res) => {
    res.json({ items: await listInstitutions(actorOf(req)) });
  });
  router.get('/api/institutions/:code', requireStaff(), async (req, res) => {
    res.json(await getInstitution(actorOf(req), String(req.params.code)));
  });
  router.post('/api/institutions', requireRole('coordinator'), async (req, res) => {
    const input = parseInput(InstitutionInputSchema, req.body);
    const { institution, created } = await saveInstitution(actorOf(req), input, req.ip ?? null);
    res.status(created ? 201 : 200).json(await getInstitution(actorOf(req), institution.code));
  });
  router.post('/api/institutions/:code/groups', requireRole('coordinator'), async (req, res) => {
    const input = parseInput(GroupInputSchema, { ...req.body, institution: String(req.params.code) });
    const { group, created } = await saveGroup(actorOf(req), input, req.ip ?? null);
    res.status(created ? 201 : 200).json({ id: String(group._id), name: group.name, capacity: group.capacity });
  });
  return router;
}

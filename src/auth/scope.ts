import { Types } from 'mongoose';
import type { RequestHandler } from 'express';
import type { Actor } from './actor.ts';
import type { Role } from './model.ts';
import { Forbidden, NotFound, Unauthenticated } from '../errors.ts';
import { InstitutionModel, type InstitutionDoc } from '../institutions/model.ts';

/**
 * The one place where the institution scope is enforced. Every service that reads or changes data
 * tied to an institution builds its query from `scopeFilter` or loads through `findInstitutionFor`,
 * so a principal can never reach another institution's records: they get 404, never data.
 */

/** Access marker read by the tenant-isolation test as it walks the route table. */
export type AccessMarker = { roles: readonly Role[] };
export type MarkedHandler = RequestHandler & { access?: AccessMarker };

/** The signed-in actor, or 401. */
export function actorOf(req: { user?: Actor | undefined }): Actor {
  if (!req.user) throw new Unauthenticated();
  return req.user;
}

/** Lets the request through only for a signed-in user with one of `allowed` roles (401/403 otherwise). */
export function requireRole(...allowed: Role[]): MarkedHandler {
  const handler: MarkedHandler = (req, _res, next) => {
    const actor = actorOf(req);
    if (!allowed.includes(actor.role)) throw new Forbidden();
    next();
  };
  handler.access = { roles: allowed };
  return handler;
}

/** Shorthand for routes any staff member may call; their data is then narrowed by scopeFilter. */
export const requireStaff = (): MarkedHandler => requireRole('coordinator', 'principal');

/** A query filter on a model's institution field: everything for a coordinator, one institution for a principal. */
export function scopeFilter(actor: Actor, field = 'institution'): Record<string, unknown> {
  if (actor.role === 'coordinator') return {};
  if (!actor.institutionId) return { [field]: { $in: [] } };
  return { [field]: new Types.ObjectId(actor.institutionId) };
}

/** True when the actor may see records of this institution. */
export function canAccessInstitution(actor: Actor, institutionId: string | Types.ObjectId | null | undefined): boolean {
  if (actor.role === 'coordinator') return true;
  return !!institutionId && !!actor.institutionId && String(institutionId) === actor.institutionId;
}

/** Loads an institution by code within the actor's scope; 404 when absent or out of scope. */
export async function findInstitutionFor(actor: Actor, code: string): Promise<InstitutionDoc> {
  const inst = await InstitutionModel.findOne({ code, ...scopeFilter(actor, '_id') });
  if (!inst) throw new NotFound('institution_not_found');
  return inst;
}

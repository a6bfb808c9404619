import type { Role } from './model.ts';

/** Who is acting: a signed-in person, or the admin CLI. Services take it and never read req. */
export type Actor = {
  kind: 'user';
  id: string;
  email: string;
  name: string;
  role: Role;
  institutionId: string | null;
  institutionCode: string | null;
  language: 'lv' | 'ru' | 'en';
  via: 'session' | 'token';
};

export type SystemActor = { kind: 'cli' } | { kind: 'anonymous' } | { kind: 'system'; name: string };

export type AnyActor = Actor | SystemActor;

/** Who acted, as histories record it: a person's e-mail, `system:NAME`, or the kind. */
export function actorTag(actor: AnyActor): string {
  if (actor.kind === 'user') return actor.email;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return actor.kind;
}

declare global {
  // Passport attaches the signed-in actor as req.user.
  namespace Express {
    interface User extends Actor {}
  }
}

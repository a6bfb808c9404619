import type { Actor } from './actor.ts';

/** What the API says about the signed-in user. */
export function presentActor(actor: Actor) {
  return { id: actor.id, email: actor.email, name: actor.name, role: actor.role, institution: actor.institutionCode, language: actor.language };
}

import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { saveGroup, saveInstitution } from '../../src/institutions/service.ts';
import { createUser } from '../../src/users/service.ts';
import { createApiToken } from '../../src/auth/tokens.ts';

const system = { kind: 'system' as const, name: 'test' };
const uid = () => randomBytes(3).toString('hex');

/** An institution with a unique code; kindergartens get one group. */
export async function makeInstitution(over: { type?: 'school' | 'kindergarten'; base?: boolean; code?: string; name?: string } = {}) {
  const type = over.type ?? 'school';
  const code = over.code ?? `T-${uid().toUpperCase()}`;
  const { institution } = await saveInstitution(system, { code, name: over.name ?? `Institution ${code}`, type, base: over.base });
  const group = type === 'kindergarten' ? (await saveGroup(system, { institution: code, name: `Group ${code}`, capacity: 10 })).group : null;
  return { institution, group, code };
}

export const testPassword = 'correct horse battery';

/** A staff account; principals need an institution code. */
export async function makeUser(role: 'coordinator' | 'principal', institution?: string) {
  const email = `${role}-${uid()}@test.lv`;
  const user = await createUser(system, { email, password: testPassword, role, institution, name: `${role} ${uid()}` });
  return { user, email, password: testPassword };
}

/** A bearer token for a user. */
export async function makeToken(email: string): Promise<string> {
  return (await createApiToken(system, email)).token;
}

/** A supertest agent signed in with a cookie session, and the CSRF token for that session. */
export async function signedInAgent(app: Express, email: string, password = testPassword) {
  const agent = request.agent(app);
  const res = await agent.post('/api/session').send({ email, password }).expect(200);
  return { agent, csrf: res.body.csrfToken as string };
}

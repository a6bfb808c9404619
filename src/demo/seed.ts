import type { AnyActor } from '../auth/actor.ts';
import { UserModel } from '../auth/model.ts';
import { saveGroup, saveInstitution } from '../institutions/service.ts';
import { createUser } from '../users/service.ts';
import type { Actor } from '../auth/actor.ts';
import type { DeviceSettings } from '../devices/settings.ts';
import { seedDemoDevices } from './devices.ts';
import { seedDemoKindergartens } from './kindergartens.ts';
import { seedDemoFoodCards } from './foodcards.ts';

// The device services act for a signed-in person; the demo data is entered as the office would.
const demoSeedActor: Actor = { kind: 'user', id: 'demo-seed', email: 'demo-seed', name: 'Demo', role: 'coordinator', institutionId: null, institutionCode: null, language: 'lv', via: 'token' };

/** The demo sign-ins printed by `scripts/start`; for a local demo only, never for real data. */
export const demoAccounts = [
  { email: 'koordinators@demo.liepaja.lv', password: 'demo-koordinators', role: 'coordinator' as const, name: 'Ilze Koordinatore' },
  { email: 'direktors@demo.liepaja.lv', password: 'demo-direktors', role: 'principal' as const, name: 'Jānis Direktors', institution: 'LIE-5VSK' },
  { email: 'vaditaja@demo.liepaja.lv', password: 'demo-vaditaja', role: 'principal' as const, name: 'Dace Vadītāja', institution: 'LIE-PII-PUCITE' },
];

const schools = [
  { code: 'LIE-VG1', name: 'Liepājas Valsts 1. ģimnāzija', address: 'Baznīcas iela 5, Liepāja' },
  { code: 'LIE-5VSK', name: 'Liepājas 5. vidusskola', address: 'Ventspils iela 51, Liepāja' },
  { code: 'LIE-R6VSK', name: 'Liepājas Raiņa 6. vidusskola', address: 'Ludviga Paegles iela 20, Liepāja' },
  { code: 'LIE-DAVSK', name: 'Liepājas Draudzīgā aicinājuma vidusskola', address: 'Dzintaru iela 36, Liepāja' },
];
const kindergartens = [
  { code: 'LIE-PII-PUCITE', name: 'Liepājas PII "Pūcīte"', address: 'Vītolu iela 5, Liepāja', groups: [['Zīļuki', 18], ['Rūķīši', 20]] as const },
  { code: 'LIE-PII-KRIKSITIS', name: 'Liepājas PII "Kriksītis"', address: 'Klaipēdas iela 104, Liepāja', groups: [['Mārītes', 16], ['Bitītes', 20], ['Zaķīši', 15]] as const },
];

/**
 * Loads the small demo data set: four Liepāja schools, two base kindergartens with groups, a
 * coordinator, a school principal and a kindergarten head. Safe to run again: everything is matched by code or e-mail.
 */
export async function seedDemo(actor: AnyActor, devices?: DeviceSettings): Promise<{ institutions: number; groups: number; users: number }> {
  let groups = 0;
  let users = 0;
  for (const s of schools) await saveInstitution(actor, { ...s, type: 'school' });
  for (const k of kindergartens) {
    await saveInstitution(actor, { code: k.code, name: k.name, address: k.address, type: 'kindergarten', base: true, baseFrom: '2020-03-16' });
    for (const [name, capacity] of k.groups) {
      await saveGroup(actor, { institution: k.code, name, capacity });
      groups += 1;
    }
  }
  for (const a of demoAccounts) {
    if (await UserModel.exists({ email: a.email })) continue;
    await createUser(actor, a);
    users += 1;
  }
  if (devices) {
    await seedDemoDevices(demoSeedActor, devices, 'LIE-5VSK');
    await seedDemoKindergartens(demoSeedActor, devices.personalCodeKey);
    await seedDemoFoodCards(demoSeedActor, devices.personalCodeKey, 'LIE-5VSK');
  }
  return { institutions: schools.length + kindergartens.length, groups, users };
}

/** True when the database holds no staff account yet (first start). */
export async function isEmptyDatabase(): Promise<boolean> {
  return !(await UserModel.exists({}));
}

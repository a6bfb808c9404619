import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { KindergartenSettingsModel } from './model.ts';

export const defaultDeadline = '10:00';

export const SettingsInputSchema = z.object({
  deadline: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'invalid_deadline'),
});

/** The time of day (HH:MM, Riga) by which each base kindergarten's daily return is due. */
export async function returnDeadline(): Promise<string> {
  const doc = await KindergartenSettingsModel.findOne({ key: 'kindergartens' }, { deadline: 1 }).lean();
  return doc?.deadline ?? defaultDeadline;
}

/** The coordinator changes the deadline; the change is audited. */
export async function changeReturnDeadline(actor: Actor, deadline: string, ip: string | null): Promise<string> {
  const previous = await returnDeadline();
  await KindergartenSettingsModel.updateOne({ key: 'kindergartens' }, { $set: { deadline, updatedBy: actor.email } }, { upsert: true });
  await recordAudit({ actor, action: 'kindergarten.deadline', target: { type: 'settings', label: 'kindergartens' }, ip, details: { deadline, previous } });
  return deadline;
}

import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { calendarDay } from '../http/fields.ts';

/**
 * The reminders' settings, one document the coordinator edits. Each reminder can be switched off;
 * the day counts say how long something may wait before a reminder goes.
 */
const ReminderSettingsSchema = new Schema(
  {
    key: { type: String, required: true, unique: true, default: 'reminders' },
    attendanceMissing: { enabled: { type: Boolean, default: true } },
    needsStale: {
      enabled: { type: Boolean, default: true },
      days: { type: Number, default: 7 },
      // The device campaign: outside it a quiet needs list is no reason to write to anyone.
      campaignFrom: { type: String, default: null },
      campaignTo: { type: String, default: null },
    },
    uncollected: { enabled: { type: Boolean, default: true }, days: { type: Number, default: 3 } },
    stockUnallocated: { enabled: { type: Boolean, default: true }, days: { type: Number, default: 14 } },
    returnsOverdue: { enabled: { type: Boolean, default: true } },
    updatedBy: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
const ReminderSettingsModel = mongoose.model('ReminderSettings', ReminderSettingsSchema);

export type ReminderSettings = {
  attendanceMissing: { enabled: boolean };
  needsStale: { enabled: boolean; days: number; campaignFrom: string | null; campaignTo: string | null };
  uncollected: { enabled: boolean; days: number };
  stockUnallocated: { enabled: boolean; days: number };
  returnsOverdue: { enabled: boolean };
};

export const defaultReminderSettings: ReminderSettings = {
  attendanceMissing: { enabled: true },
  needsStale: { enabled: true, days: 7, campaignFrom: null, campaignTo: null },
  uncollected: { enabled: true, days: 3 },
  stockUnallocated: { enabled: true, days: 14 },
  returnsOverdue: { enabled: true },
};

const days = z.coerce.number().int('days_not_whole').min(1, 'days_out_of_range').max(365, 'days_out_of_range');
const optionalDay = z.union([calendarDay(), z.literal('').transform(() => null), z.null()]);

export const ReminderSettingsInput = z
  .object({
    attendanceMissing: z.object({ enabled: z.boolean() }),
    needsStale: z.object({ enabled: z.boolean(), days, campaignFrom: optionalDay, campaignTo: optionalDay }),
    uncollected: z.object({ enabled: z.boolean(), days }),
    stockUnallocated: z.object({ enabled: z.boolean(), days }),
    returnsOverdue: z.object({ enabled: z.boolean() }),
  })
  .refine((s) => !s.needsStale.campaignFrom || !s.needsStale.campaignTo || s.needsStale.campaignFrom <= s.needsStale.campaignTo, {
    message: 'campaign_ends_before_start',
    path: ['needsStale', 'campaignTo'],
  });

/** The current settings, defaults filled in. */
export async function reminderSettings(): Promise<ReminderSettings> {
  const doc = (await ReminderSettingsModel.findOne({ key: 'reminders' }).lean()) as Partial<ReminderSettings> | null;
  const d = defaultReminderSettings;
  return {
    attendanceMissing: { ...d.attendanceMissing, ...doc?.attendanceMissing },
    needsStale: { ...d.needsStale, ...doc?.needsStale },
    uncollected: { ...d.uncollected, ...doc?.uncollected },
    stockUnallocated: { ...d.stockUnallocated, ...doc?.stockUnallocated },
    returnsOverdue: { ...d.returnsOverdue, ...doc?.returnsOverdue },
  };
}

/** The coordinator changes the reminders; audited with the previous values. */
export async function changeReminderSettings(actor: Actor, input: z.infer<typeof ReminderSettingsInput>, ip: string | null): Promise<ReminderSettings> {
  const previous = await reminderSettings();
  await ReminderSettingsModel.updateOne({ key: 'reminders' }, { $set: { ...input, updatedBy: actor.email } }, { upsert: true });
  await recordAudit({ actor, action: 'notifications.settings', target: { type: 'settings', label: 'reminders' }, ip, details: { settings: JSON.stringify(input), previous: JSON.stringify(previous) } });
  return reminderSettings();
}

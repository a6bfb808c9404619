import { z } from 'zod';
import { InstitutionModel } from '../institutions/model.ts';
import { NotFound } from '../errors.ts';
import { languages } from '../i18n/index.ts';
import { calendarDay } from '../http/fields.ts';
import { rigaMoment, addDays } from '../shared/dates.ts';
import { channels, messageStatuses } from './model.ts';
import { templateNames } from './templates.ts';
import type { MessageFilter } from './messageService.ts';

/** The log's filters as the API and the page take them (empty values mean "any"). */
export const MessageQuerySchema = z.object({
  status: z.enum(messageStatuses).or(z.literal('')).optional(),
  channel: z.enum(channels).or(z.literal('')).optional(),
  template: z.enum(templateNames as [string, ...string[]]).or(z.literal('')).optional(),
  institution: z.string().trim().max(64).optional(),
  q: z.string().trim().max(100).optional(),
  from: calendarDay().or(z.literal('')).optional(),
  to: calendarDay().or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type MessageQuery = z.infer<typeof MessageQuerySchema>;

export const PreviewQuerySchema = z.object({ lang: z.enum(languages).optional() });
export const ContactInputSchema = z.object({ address: z.string().trim().min(3).max(200) });
export const ReceiptSchema = z
  .object({ id: z.string().max(200).optional(), reference: z.string().max(64).optional(), status: z.enum(['delivered', 'failed']), reason: z.string().max(500).optional() })
  .refine((r) => r.id || r.reference, 'receipt_without_id');

/** The query turned into the service's filter: institution by code, days as Riga days. */
export async function messageFilter(q: MessageQuery): Promise<MessageFilter> {
  const f: MessageFilter = {};
  if (q.status) f.status = q.status;
  if (q.channel) f.channel = q.channel;
  if (q.template) f.template = q.template;
  if (q.q) f.q = q.q;
  if (q.institution) {
    const inst = await InstitutionModel.findOne({ code: q.institution }, { _id: 1 }).lean();
    if (!inst) throw new NotFound('institution_not_found');
    f.institution = inst._id;
  }
  if (q.from) f.from = rigaMoment(q.from, '00:00');
  if (q.to) f.to = rigaMoment(addDays(q.to, 1), '00:00');
  return f;
}

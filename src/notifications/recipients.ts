import type { Types } from 'mongoose';
import { UserModel } from '../auth/model.ts';
import { toLang, type Lang } from '../i18n/index.ts';
import type { ChannelName } from './model.ts';
import type { MessageDraft } from './messageService.ts';
import type { TemplateName, TemplateParams } from './templates.ts';

type Contact = { phone?: string | null; email?: string | null; name?: string | null; language?: string | null };

/**
 * Which channel reaches a guardian: SMS when there is a number and an SMS provider (parents read
 * texts sooner than mail), else e-mail when there is an address and SMTP; with neither channel
 * configured, the outbox, so the coordinator still sees what would have gone. No contact at all:
 * nothing (the institution's page lists pupils without one).
 */
export function guardianRoute(contact: Contact | null | undefined, configured: { email: boolean; sms: boolean }): { channel: ChannelName; address: string } | null {
  const phone = contact?.phone || null;
  const email = contact?.email || null;
  if (phone && configured.sms) return { channel: 'sms', address: phone };
  if (email && configured.email) return { channel: 'email', address: email };
  const address = phone ?? email;
  return address ? { channel: 'outbox', address } : null;
}

/**
 * A message to a guardian about `event`, on the channel that reaches them, in their language;
 * null when the contact has no address at all.
 */
export function guardianDraft(
  contact: Contact | null | undefined,
  configured: { email: boolean; sms: boolean },
  m: { event: string; template: TemplateName; recipientRef: string; institution: Types.ObjectId | null; pupil: Types.ObjectId | null; params: (lang: Lang) => TemplateParams },
): MessageDraft | null {
  const route = guardianRoute(contact, configured);
  if (!route) return null;
  const language = toLang(contact?.language);
  return {
    event: m.event,
    template: m.template,
    language,
    recipientRef: m.recipientRef,
    recipient: { kind: 'guardian', address: route.address, name: contact?.name ?? null },
    channel: route.channel,
    institution: m.institution,
    pupil: m.pupil,
    params: m.params(language),
  };
}

/** Staff are written to by e-mail, or in the outbox when SMTP is not configured. */
export function staffChannel(configured: { email: boolean }): ChannelName {
  return configured.email ? 'email' : 'outbox';
}

export type StaffRecipient = { id: Types.ObjectId; email: string; name: string; language: Lang; institution: Types.ObjectId | null };

/** The active principals (heads) of these institutions, by institution id. */
export async function principalsOf(institutions: Types.ObjectId[]): Promise<Map<string, StaffRecipient[]>> {
  const users = await UserModel.find({ role: 'principal', active: true, institution: { $in: institutions } }, { email: 1, name: 1, language: 1, institution: 1 }).lean();
  const out = new Map<string, StaffRecipient[]>();
  for (const u of users) {
    const list = out.get(String(u.institution)) ?? [];
    list.push({ id: u._id, email: u.email, name: u.name ?? '', language: toLang(u.language), institution: u.institution ?? null });
    out.set(String(u.institution), list);
  }
  return out;
}

/** The active coordinators. */
export async function coordinators(): Promise<StaffRecipient[]> {
  const users = await UserModel.find({ role: 'coordinator', active: true }, { email: 1, name: 1, language: 1 }).lean();
  return users.map((u) => ({ id: u._id, email: u.email, name: u.name ?? '', language: toLang(u.language), institution: null }));
}

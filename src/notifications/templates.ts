import { translator, type Lang } from '../i18n/index.ts';

export type TemplateName =
  | 'need_registered'
  | 'device_ready_for_pickup'
  | 'device_out_for_delivery'
  | 'device_handed_over'
  | 'kindergarten_request_received'
  | 'kindergarten_placed'
  | 'kindergarten_waiting'
  | 'foodcard_ready'
  | 'foodcard_collected'
  | 'device_uncollected'
  | 'foodcard_uncollected'
  | 'attendance_missing'
  | 'needs_stale'
  | 'stock_unallocated'
  | 'returns_overdue';

export type TemplateParams = Record<string, string | number>;

type TemplateDef = {
  /** Guardians may opt out of messages that are not essential; staff messages are always sent. */
  essential: boolean;
  audience: 'guardian' | 'staff';
  /** What the coordinator's preview fills in. */
  sample: TemplateParams;
};

const code = 'K7QM-4XPA-9TR';
const statusUrl = 'https://example.org/status';

/** Every template: its audience, whether it is essential, and sample values for the preview. */
export const templates: Record<TemplateName, TemplateDef> = {
  need_registered: { essential: true, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, institution: 'Liepājas 5. vidusskola' } },
  device_ready_for_pickup: { essential: true, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, place: 'Liepājas 5. vidusskola, Ziemeļu iela 19', from: '2026-11-25', hours: '9:00–15:00' } },
  device_out_for_delivery: { essential: true, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, day: '2026-11-25' } },
  device_handed_over: { essential: false, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, date: '2026-11-25' } },
  kindergarten_request_received: { essential: true, audience: 'guardian', sample: { firstName: 'Jānis', code, statusUrl } },
  kindergarten_placed: { essential: true, audience: 'guardian', sample: { firstName: 'Jānis', code, statusUrl, kindergarten: 'PII “Cīrulītis”', from: '2026-11-26' } },
  kindergarten_waiting: { essential: true, audience: 'guardian', sample: { firstName: 'Jānis', code, statusUrl } },
  foodcard_ready: { essential: true, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, place: 'Liepājas 5. vidusskola', from: '2026-11-25' } },
  foodcard_collected: { essential: false, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, date: '2026-11-25' } },
  device_uncollected: { essential: false, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, place: 'Liepājas 5. vidusskola', days: 3 } },
  foodcard_uncollected: { essential: false, audience: 'guardian', sample: { firstName: 'Anna', code, statusUrl, place: 'Liepājas 5. vidusskola', days: 3 } },
  attendance_missing: { essential: true, audience: 'staff', sample: { institution: 'PII “Cīrulītis”', day: '2026-11-25', deadline: '10:00', url: 'https://example.org/kindergartens' } },
  needs_stale: { essential: true, audience: 'staff', sample: { institution: 'Liepājas 5. vidusskola', days: 7, url: 'https://example.org/devices' } },
  stock_unallocated: { essential: true, audience: 'staff', sample: { count: 12, days: 14, url: 'https://example.org/devices' } },
  returns_overdue: { essential: true, audience: 'staff', sample: { count: 4, url: 'https://example.org/devices' } },
};

export const templateNames = Object.keys(templates) as TemplateName[];

export type Rendered = { subject: string; body: string };

/**
 * Renders a template in a language from the catalogues (`messages.<name>.subject` and `.body`).
 * Non-essential guardian messages end with the opt-out line and its link.
 */
export function renderTemplate(name: TemplateName, lang: Lang, params: TemplateParams, optOutUrl?: string): Rendered {
  const t = translator(lang);
  const subject = t(`messages.${name}.subject`, params);
  let body = t(`messages.${name}.body`, params);
  if (!templates[name].essential && templates[name].audience === 'guardian' && optOutUrl) body += `\n\n${t('messages.optOutLine', { url: optOutUrl })}`;
  return { subject, body };
}

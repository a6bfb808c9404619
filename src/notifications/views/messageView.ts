import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime } from '../../web/format.ts';
import { errorNotice, okNotice, type FormError } from '../../web/forms.ts';
import type { Message } from '../model.ts';
import { channelLabel, failureText, languageLabel, lines, statusLabel, subnav, templateLabel, type View } from './common.ts';

/** The statuses a coordinator may send again (as the service allows). */
export const resendableStatuses = ['failed', 'unknown', 'sent', 'delivered'];

const k = 'notifications.page.message';

/**
 * One message: every field, the subject and the body as text (how the outbox is read when no
 * channel is set up), and the resend form when the message may be sent again.
 */
export function messageView(v: View, m: Message, d: { institution: { code: string; name: string } | null; notice?: string | null; error?: FormError }): Html {
  const { ctx, t } = v;
  const when = (x: Date | string | null | undefined) => (x ? formatDateTime(x, ctx.lang) : '—');
  const row = (key: string, value: Html | string | number) => html`<dt>${t(`${k}.${key}`)}</dt><dd data-field="${key}">${value}</dd>`;
  const recipient = html`${m.recipient.address}${m.recipient.name ? html` (${m.recipient.name})` : ''}`;
  return html`${subnav(v)}
<p><a href="/notifications">${t(`${k}.back`)}</a></p>
${okNotice(d.notice)}
${errorNotice(d.error, {}, 'resend-error')}
<dl class="facts" id="message-facts">
  ${row('template', templateLabel(t, m.template))}
  ${row('status', statusLabel(t, m.status))}
  ${row('channel', channelLabel(t, m.channel))}
  ${row('language', languageLabel(t, m.language))}
  ${row('recipient', recipient)}
  ${row('recipientKind', t(`notifications.page.recipientKinds.${m.recipient.kind}`, { defaultValue: m.recipient.kind }))}
  ${row('institution', d.institution ? `${d.institution.name} (${d.institution.code})` : '—')}
  ${row('essential', t(m.essential ? 'notifications.page.yes' : 'notifications.page.no'))}
  ${row('event', html`<span class="code wrap">${m.event}</span>`)}
  ${row('attempts', m.attempts ?? 0)}
  ${row('resends', m.resends ?? 0)}
  ${row('failure', failureText(t, m.failure) || '—')}
  ${m.notBefore ? row('notBefore', when(m.notBefore)) : ''}
  ${row('createdAt', when(m.createdAt as Date))}
  ${row('sentAt', when(m.sentAt))}
  ${row('deliveredAt', when(m.deliveredAt))}
</dl>
<section aria-labelledby="text-h" class="card wide" id="message-text">
<h2 id="text-h">${t(`${k}.textTitle`)}</h2>
${m.channel === 'outbox' ? html`<p class="notice" id="outbox-note">${t(`${k}.outboxNote`)}</p>` : ''}
${m.subject ? html`<h3>${t(`${k}.subject`)}</h3><p id="message-subject">${m.subject}</p>` : ''}
<h3>${t(`${k}.body`)}</h3>
<p id="message-body">${lines(m.body)}</p>
</section>
${resendableStatuses.includes(m.status)
  ? html`<section aria-labelledby="resend-h" id="resend">
<h2 id="resend-h">${t(`${k}.resendTitle`)}</h2>
<form method="post" action="/notifications/messages/${encodeURIComponent(m._id)}/resend">
  ${csrfField(ctx)}
  <p class="hint muted" id="resend-hint">${t(`${k}.resendHint`)}</p>
  <button type="submit" aria-describedby="resend-hint">${t(`${k}.resend`)}</button>
</form>
</section>`
  : ''}`;
}

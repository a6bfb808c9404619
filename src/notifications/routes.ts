import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { actorOf, findInstitutionFor, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { NotFound, Unauthenticated } from '../errors.ts';
import { contactHash, recordOptOut, removeOptOut } from './contacts.ts';
import type { NotifyDeps } from './deps.ts';
import { getMessage, listMessages, messageCounts, resendMessage } from './messageService.ts';
import { presentMessage } from './presenters.ts';
import { ContactInputSchema, MessageQuerySchema, PreviewQuerySchema, ReceiptSchema, messageFilter } from './queries.ts';
import { recordReceipt } from './sender.ts';
import { changeReminderSettings, reminderSettings, ReminderSettingsInput } from './settings.ts';
import { closeContactTask, listContactTasks } from './taskService.ts';
import { renderTemplate, templateNames, templates, type TemplateName } from './templates.ts';
import { languages } from '../i18n/index.ts';
import { recordAudit } from '../audit/service.ts';

export const logPageSize = 50;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The notifications API: the message log, resend, template previews and reminder settings for
 * coordinators; each institution's contact tasks in its own scope; the SMS provider's receipts.
 */
export function notificationApiRoutes(deps: NotifyDeps, receiptToken: string | undefined): Router {
  const router = Router();
  router.get('/api/notifications/messages', requireRole('coordinator'), async (req, res) => {
    const q = parseInput(MessageQuerySchema, req.query);
    const { items, total } = await listMessages(await messageFilter(q), logPageSize, (q.page - 1) * logPageSize);
    res.json({ items: items.map((m) => presentMessage(m)), total, page: q.page, pageSize: logPageSize, counts: await messageCounts() });
  });
  router.get('/api/notifications/messages/:messageId', requireRole('coordinator'), async (req, res) => {
    res.json(presentMessage(await getMessage(String(req.params.messageId)), true));
  });
  router.post('/api/notifications/messages/:messageId/resend', requireRole('coordinator'), async (req, res) => {
    const m = await resendMessage(actorOf(req), String(req.params.messageId), deps, req.ip ?? null);
    res.status(202).json(presentMessage(m));
  });
  router.get('/api/notifications/templates', requireRole('coordinator'), (_req, res) => {
    res.json({ items: templateNames.map((name) => ({ name, audience: templates[name].audience, essential: templates[name].essential, languages })) });
  });
  router.get('/api/notifications/templates/:template', requireRole('coordinator'), (req, res) => {
    const name = String(req.params.template) as TemplateName;
    if (!templates[name]) throw new NotFound('template_not_found');
    const { lang } = parseInput(PreviewQuerySchema, req.query);
    const langs = lang ? [lang] : languages;
    const sample = templates[name].sample;
    res.json({ name, previews: langs.map((l) => ({ language: l, ...renderTemplate(name, l, sample, `${deps.baseUrl}/notifications/opt-out/EXAMPLE`) })) });
  });
  router.get('/api/notifications/settings', requireRole('coordinator'), async (_req, res) => {
    res.json(await reminderSettings());
  });
  router.put('/api/notifications/settings', requireRole('coordinator'), async (req, res) => {
    res.json(await changeReminderSettings(actorOf(req), parseInput(ReminderSettingsInput, req.body), req.ip ?? null));
  });
  // A guardian phoned the office: the coordinator records the opt-out (or takes it back).
  router.post('/api/notifications/opt-outs', requireRole('coordinator'), async (req, res) => {
    const { address } = parseInput(ContactInputSchema, req.body);
    await recordOptOut(contactHash(deps.key, address), 'coordinator');
    await recordAudit({ actor: actorOf(req), action: 'notification.opt_out', target: { type: 'contact' }, ip: req.ip ?? null });
    res.status(201).json({ optedOut: true });
  });
  router.delete('/api/notifications/opt-outs', requireRole('coordinator'), async (req, res) => {
    const { address } = parseInput(ContactInputSchema, req.body);
    const removed = await removeOptOut(contactHash(deps.key, address));
    await recordAudit({ actor: actorOf(req), action: 'notification.opt_in', target: { type: 'contact' }, ip: req.ip ?? null });
    res.json({ optedOut: false, removed });
  });
  router.get('/api/institutions/:code/contact-tasks', requireStaff(), async (req, res) => {
    const inst = await findInstitutionFor(actorOf(req), String(req.params.code));
    res.json({ institution: inst.code, items: await listContactTasks(actorOf(req), inst._id) });
  });
  router.post('/api/institutions/:code/contact-tasks/:taskId/done', requireStaff(), async (req, res) => {
    const inst = await findInstitutionFor(actorOf(req), String(req.params.code));
    await closeContactTask(actorOf(req), inst._id, String(req.params.taskId), req.ip ?? null);
    res.status(204).end();
  });
  // The SMS provider's delivery receipts: a token of its own in `X-Receipt-Token` (not a bearer
  // token, which would be taken for a user's API token), no session.
  router.post('/api/notifications/sms/receipts', async (req, res) => {
    const given = req.headers['x-receipt-token'];
    if (!receiptToken || typeof given !== 'string' || !sameToken(given, receiptToken)) throw new Unauthenticated('receipt_token_invalid');
    const found = await recordReceipt(parseInput(ReceiptSchema, req.body));
    res.status(found ? 200 : 202).json({ recorded: found });
  });
  return router;
}

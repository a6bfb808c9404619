import { Router, type Request, type Response } from 'express';
import { actorOf, requireRole } from '../auth/scope.ts';
import type { AppError } from '../errors.ts';
import { parseInput } from '../http/parse.ts';
import { languages } from '../i18n/index.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { listInstitutions } from '../institutions/service.ts';
import { attempt, formError, type FormError } from '../web/forms.ts';
import { text, values } from '../web/formValues.ts';
import { ip, renameFields, send, viewOf } from '../web/pageSupport.ts';
import type { NotifyDeps } from './deps.ts';
import { getMessage, listMessages, messageCounts, resendMessage } from './messageService.ts';
import { MessageQuerySchema, messageFilter } from './queries.ts';
import { logPageSize } from './routes.ts';
import { changeReminderSettings, reminderSettings, ReminderSettingsInput } from './settings.ts';
import { renderTemplate, templateNames, templates } from './templates.ts';
import { templateLabel } from './views/common.ts';
import { filterFields, logView, type LogFilters } from './views/logView.ts';
import { messageView } from './views/messageView.ts';
import { hasDays, reminderKeys, settingsFields, settingsValues, settingsView, type SettingsForm } from './views/settingsView.ts';
import { templatesView } from './views/templatesView.ts';

/** A service path (`needsStale.days`) as the settings form's field name (`needsStale_days`). */
const settingsField = (path: string) => {
  const name = path.replace('.', '_');
  return settingsFields.includes(name) ? name : null;
};

/** The settings form's refusal: one notice naming the fields, and each field's own message beside it. */
function settingsRefusal(err: AppError, v: ReturnType<typeof viewOf>): Pick<SettingsForm, 'error' | 'fieldMessages'> {
  const error = renameFields(formError(err, v.t), settingsField);
  const listed = Array.isArray(err.details?.fields) ? (err.details.fields as Array<{ field?: unknown; code?: unknown }>) : [];
  const fieldMessages: Record<string, string> = {};
  for (const f of listed) {
    const name = settingsField(String(f.field ?? ''));
    if (name && !fieldMessages[name]) fieldMessages[name] = v.t(`errors.${String(f.code ?? '')}`, { defaultValue: v.t('errors.invalid_input') });
  }
  return { error, fieldMessages };
}

/**
 * The coordinator's message pages: the log with its filters and counts, one message with its text
 * and a resend form, every template previewed, and the reminder settings.
 */
export function notificationPages(notify: NotifyDeps): Router {
  const router = Router();
  const coordinator = requireRole('coordinator');

  // --- The log -----------------------------------------------------------------------------------
  router.get('/notifications', coordinator, async (req, res) => {
    const v = viewOf(req);
    const filters = values(req.query, filterFields) as LogFilters;
    const typedPage = text(req.query, 'page').trim();
    const [counts, institutions] = await Promise.all([messageCounts(), listInstitutions(actorOf(req))]);
    const r = await attempt(async () => {
      const q = parseInput(MessageQuerySchema, { ...filters, page: typedPage || undefined });
      const found = await listMessages(await messageFilter(q), logPageSize, (q.page - 1) * logPageSize);
      return { ...found, page: q.page };
    });
    const error: FormError | undefined = r.ok ? undefined : renameFields(formError(r.error, v.t), (f) => (filterFields as readonly string[]).find((x) => x === f) ?? null);
    const body = logView(v, {
      counts,
      filters,
      institutions: institutions.map((i) => ({ code: i.code, name: i.name })),
      items: r.ok ? r.value.items : [],
      total: r.ok ? r.value.total : 0,
      page: r.ok ? r.value.page : 1,
      pageSize: logPageSize,
      error,
    });
    send(res, v, v.t('notifications.page.log.title'), body, r.ok ? 200 : r.error.status);
  });

  // --- One message -------------------------------------------------------------------------------
  async function renderMessage(req: Request, res: Response, extra: { status?: number; error?: FormError } = {}) {
    const v = viewOf(req);
    const m = await getMessage(String(req.params.messageId));
    const inst = m.institution ? await InstitutionModel.findById(m.institution, { code: 1, name: 1 }).lean() : null;
    const notice = text(req.query, 'done') === 'resent' && !extra.error ? v.t('notifications.page.message.resent') : null;
    const body = messageView(v, m, { institution: inst ? { code: inst.code, name: inst.name } : null, notice, error: extra.error });
    send(res, v, v.t('notifications.page.message.title', { template: templateLabel(v.t, m.template) }), body, extra.status ?? 200);
  }

  router.get('/notifications/messages/:messageId', coordinator, (req, res) => renderMessage(req, res));

  router.post('/notifications/messages/:messageId/resend', coordinator, async (req, res) => {
    const id = String(req.params.messageId);
    const r = await attempt(() => resendMessage(actorOf(req), id, notify, ip(req)));
    if (r.ok) return res.redirect(303, `/notifications/messages/${encodeURIComponent(id)}?done=resent`);
    if (r.error.status === 404) throw r.error;
    await renderMessage(req, res, { status: r.error.status, error: formError(r.error, viewOf(req).t) });
  });

  // --- Templates ---------------------------------------------------------------------------------
  router.get('/notifications/templates', coordinator, (req, res) => {
    const v = viewOf(req);
    const example = `${notify.baseUrl}/notifications/opt-out/EXAMPLE`;
    const list = templateNames.map((name) => ({
      name,
      audience: templates[name].audience,
      essential: templates[name].essential,
      previews: languages.map((language) => ({ language, ...renderTemplate(name, language, templates[name].sample, example) })),
    }));
    send(res, v, v.t('notifications.page.templatesPage.title'), templatesView(v, list));
  });

  // --- Reminder settings -------------------------------------------------------------------------
  async function renderSettings(req: Request, res: Response, form?: SettingsForm, status = 200) {
    const v = viewOf(req);
    const shown = form ?? { values: settingsValues(await reminderSettings()) };
    const notice = text(req.query, 'done') === 'saved' && !form ? v.t('notifications.page.settings.saved') : null;
    send(res, v, v.t('notifications.page.settings.title'), settingsView(v, shown, notice), status);
  }

  router.get('/notifications/settings', coordinator, (req, res) => renderSettings(req, res));

  router.post('/notifications/settings', coordinator, async (req, res) => {
    const typed = values(req.body, settingsFields);
    // An unticked checkbox is not sent at all: absent is off.
    const input = Object.fromEntries(
      reminderKeys.map((r) => [
        r,
        {
          enabled: typed[`${r}_enabled`] !== '',
          ...(hasDays(r) ? { days: typed[`${r}_days`]!.trim() } : {}),
          ...(r === 'needsStale' ? { campaignFrom: typed.needsStale_campaignFrom!.trim(), campaignTo: typed.needsStale_campaignTo!.trim() } : {}),
        },
      ]),
    );
    const r = await attempt(() => changeReminderSettings(actorOf(req), parseInput(ReminderSettingsInput, input), ip(req)));
    if (r.ok) return res.redirect(303, '/notifications/settings?done=saved');
    await renderSettings(req, res, { values: typed, ...settingsRefusal(r.error, viewOf(req)) }, r.error.status);
  });

  return router;
}

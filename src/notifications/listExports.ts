import { Router } from 'express';
import { requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { values } from '../web/formValues.ts';
import { exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { listMessages } from './messageService.ts';
import type { Message } from './model.ts';
import { MessageQuerySchema, messageFilter } from './queries.ts';
import { channelLabel, failureText, languageLabel, statusLabel, templateLabel } from './views/common.ts';
import { filterFields } from './views/logView.ts';

const k = 'notifications.page.log';

const messageColumns: ListColumn<Message>[] = [
  { header: `${k}.time`, value: (m) => m.createdAt as Date | undefined, kind: 'time', width: 17 },
  { header: `${k}.recipient`, value: (m) => m.recipient.address, width: 26 },
  { header: 'exports.columns.recipientName', value: (m) => m.recipient.name, width: 20 },
  { header: `${k}.template`, value: (m, t) => templateLabel(t, m.template), width: 28 },
  { header: `${k}.language`, value: (m, t) => languageLabel(t, m.language) },
  { header: `${k}.channel`, value: (m, t) => channelLabel(t, m.channel) },
  { header: `${k}.status`, value: (m, t) => statusLabel(t, m.status), width: 16 },
  { header: `${k}.attempts`, value: (m) => m.attempts ?? 0, kind: 'number' },
  { header: `${k}.failure`, value: (m, t) => failureText(t, m.failure), width: 30 },
];

/** The message log as a workbook: every message the log's filters find (newest first), not one page of them. */
export function notificationListExports(): Router {
  const router = Router();
  router.get('/notifications.xlsx', requireRole('coordinator'), async (req, res) => {
    const q = parseInput(MessageQuerySchema, values(req.query, filterFields));
    const { items } = await listMessages(await messageFilter(q), exportRowCap, 0);
    await sendListExport(req, res, { name: 'exports.files.messages', columns: messageColumns, rows: items });
  });
  return router;
}

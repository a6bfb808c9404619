import { cellDate, cellInteger, cellText } from '../cells.ts';
import { normalizeHeader } from '../headers.ts';
import { RowCheck, type KindSpec } from './types.ts';

export type AttendanceRow = { day: string; group: string; registered: number; present: number };

/** Per day and group of a base kindergarten: registered and present. Key: day + group. */
export const kindergartenAttendance: KindSpec<AttendanceRow> = {
  kind: 'kindergarten-attendance',
  fields: [
    { key: 'day', required: true, names: ['Datums', 'Дата', 'Date', 'Diena'] },
    { key: 'group', required: true, names: ['Grupa', 'Группа', 'Group', 'Grupas nosaukums'] },
    { key: 'registered', required: true, names: ['Reģistrēti', 'Зарегистрировано', 'Registered', 'Reģistrēto skaits', 'Sarakstā'] },
    { key: 'present', required: true, names: ['Klātesoši', 'Присутствует', 'Present', 'Klātesošo skaits', 'Apmeklē'] },
  ],
  choices: {},
  parseRow(cells, ctx) {
    const c = new RowCheck();
    const day = cellDate(cells.day, ctx.date1904);
    if (!cellText(cells.day) && !(cells.day instanceof Date)) c.error('day', 'required');
    else if (!day) c.error('day', 'invalid_date');
    else if (day > ctx.today) c.error('day', 'date_in_future');
    const group = cellText(cells.group);
    if (!group) c.error('group', 'required');
    const counts: Record<string, number> = {};
    for (const f of ['registered', 'present']) {
      const n = cellInteger(cells[f]);
      if (!cellText(cells[f])) c.error(f, 'required');
      else if (n === null) c.error(f, 'not_a_number');
      else if (n < 0) c.error(f, 'negative');
      else counts[f] = n;
    }
    if (counts.present !== undefined && counts.registered !== undefined && counts.present > counts.registered) c.warn('present', 'present_above_registered');
    return c.result(() => ({
      key: `${day}|${normalizeHeader(group)}`,
      record: { day: day!, group, registered: counts.registered!, present: counts.present! },
    }));
  },
};

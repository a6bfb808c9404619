import { z } from 'zod';
import { normalizeHeader } from '../headers.ts';
import { requiredCount, requiredDate, requiredText, type RowContext } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';

export type AttendanceRow = { day: string; group: string; registered: number; present: number };

/** Per day and group of a base kindergarten: registered and present. Key: day + group. */
const schema = (ctx: RowContext) =>
  z.object({
    day: requiredDate(ctx, { notAfterToday: true }),
    group: requiredText(),
    registered: requiredCount(),
    present: requiredCount(),
  });

export const kindergartenAttendance: KindSpec<AttendanceRow, ReturnType<typeof schema>> = {
  kind: 'kindergarten-attendance',
  fields: [
    { key: 'day', required: true, names: ['Datums', 'Дата', 'Date', 'Diena', 'Apmeklējuma datums', 'День', 'Day'] },
    { key: 'group', required: true, names: ['Grupa', 'Группа', 'Group', 'Grupas nosaukums', 'Название группы', 'Group name'] },
    { key: 'registered', required: true, names: ['Reģistrēti', 'Зарегистрировано', 'Registered', 'Reģistrēto skaits', 'Reģistrēto bērnu skaits', 'Sarakstā', 'Bērnu skaits sarakstā', 'Зарегистрированных', 'В списке', 'Registered children'] },
    { key: 'present', required: true, names: ['Klātesoši', 'Присутствует', 'Present', 'Klātesošo skaits', 'Klātesošo bērnu skaits', 'Apmeklē', 'Apmeklēja', 'Присутствовало', 'Присутствующих', 'Attended', 'Attendance'] },
  ],
  choices: {},
  keyField: 'day',
  // The key is the day and the group together: the same day for another group is no repeat.
  duplicateCode: 'duplicate_day_group',
  schema,
  build(v, warn) {
    // Accepted: the list of registered children may lag behind the children who actually came.
    if (v.present > v.registered) warn('present', 'present_above_registered');
    return { key: `${v.day}|${normalizeHeader(v.group)}`, record: v };
  },
};

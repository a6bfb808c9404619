import { cellDate, cellText } from '../cells.ts';
import { parsePersonalCode, type PersonalCode } from '../personalCode.ts';
import { RowCheck, type KindSpec } from './types.ts';
import { choiceLists, familyStatus } from './words.ts';

export type FoodEntitlementRow = {
  personalCode: PersonalCode;
  firstName: string;
  lastName: string;
  class: string | null;
  status: 'poor' | 'low_income';
  validFrom: string;
  validTo: string;
};

/** Family status (poor or low-income) with its validity per pupil. Key: the personal code. */
export const foodEntitlements: KindSpec<FoodEntitlementRow> = {
  kind: 'food-entitlements',
  fields: [
    { key: 'personalCode', required: true, names: ['Personas kods', 'Персональный код', 'Personal code', 'P.k.', 'Skolēna personas kods'] },
    { key: 'firstName', required: true, names: ['Vārds', 'Имя', 'First name', 'Name'] },
    { key: 'lastName', required: true, names: ['Uzvārds', 'Фамилия', 'Last name', 'Surname'] },
    { key: 'class', required: false, names: ['Klase', 'Класс', 'Class'] },
    { key: 'status', required: true, names: ['Statuss', 'Статус', 'Status', 'Ģimenes statuss', 'Статус семьи', 'Family status'] },
    { key: 'validFrom', required: true, names: ['Derīgs no', 'Действует с', 'Valid from', 'Statuss no', 'No'] },
    { key: 'validTo', required: true, names: ['Derīgs līdz', 'Действует до', 'Valid to', 'Statuss līdz', 'Līdz', 'Valid until'] },
  ],
  choices: { status: choiceLists.status },
  parseRow(cells, ctx) {
    const c = new RowCheck();
    const text = (k: string) => cellText(cells[k]);
    const pc = parsePersonalCode(cells.personalCode);
    if (!pc.ok) c.error('personalCode', pc.reason === 'missing' ? 'required' : `personal_code_${pc.reason}`);
    const firstName = text('firstName');
    const lastName = text('lastName');
    if (!firstName) c.error('firstName', 'required');
    if (!lastName) c.error('lastName', 'required');
    const rawStatus = text('status');
    const status = familyStatus(rawStatus);
    if (!rawStatus) c.error('status', 'required');
    else if (!status) c.error('status', 'unknown_status');
    const dates: Record<string, string | null> = {};
    for (const f of ['validFrom', 'validTo']) {
      dates[f] = cellDate(cells[f], ctx.date1904);
      if (!text(f) && !(cells[f] instanceof Date) && typeof cells[f] !== 'number') c.error(f, 'required');
      else if (!dates[f]) c.error(f, 'invalid_date');
    }
    if (dates.validFrom && dates.validTo && dates.validTo < dates.validFrom) c.error('validTo', 'validity_reversed');
    return c.result(() => {
      const code = (pc as { ok: true; value: PersonalCode }).value;
      return {
        key: code.code,
        record: { personalCode: code, firstName, lastName, class: text('class') || null, status: status!, validFrom: dates.validFrom!, validTo: dates.validTo! },
      };
    });
  },
};

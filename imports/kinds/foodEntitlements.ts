import { z } from 'zod';
import type { PersonalCode } from '../personalCode.ts';
import { optionalText, personalCode, requiredChoice, requiredDate, requiredText, type RowContext } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
import { wholeNameFields } from './wholeNameFields.ts';
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
const schema = (ctx: RowContext) =>
  z
    .object({
      personalCode: personalCode(),
      firstName: requiredText(),
      lastName: requiredText(),
      class: optionalText(),
      status: requiredChoice(familyStatus, 'unknown_status'),
      validFrom: requiredDate(ctx),
      validTo: requiredDate(ctx),
    })
    // Both ends are inclusive, so a status valid for one day has validFrom equal to validTo.
    .superRefine((row, c) => {
      if (row.validTo < row.validFrom) c.addIssue({ code: 'custom', message: 'validity_reversed', path: ['validTo'] });
    });

export const foodEntitlements: KindSpec<FoodEntitlementRow, ReturnType<typeof schema>> = {
  kind: 'food-entitlements',
  fields: [
    {
      key: 'personalCode',
      required: true,
      names: [
        'Personas kods', 'Персональный код', 'Personal code', 'P.k.', 'Pers. kods', 'Pers.k.', 'Skolēna personas kods', 'Izglītojamā personas kods', 'Personas kods/ID',
        'Personas identifikācijas kods', 'Перс. код', 'Персональный код/ID', 'Персональный код ученика', 'Личный код', 'Personal code/ID', 'Personal ID', 'Personal identity number',
      ],
    },
    { key: 'firstName', required: true, names: ['Vārds', 'Имя', 'First name', 'Skolēna vārds', 'Izglītojamā vārds', 'Name', 'Имя ученика', 'Given name'] },
    { key: 'lastName', required: true, names: ['Uzvārds', 'Фамилия', 'Last name', 'Skolēna uzvārds', 'Izglītojamā uzvārds', 'Surname', 'Фамилия ученика', 'Family name'] },
    { key: 'class', required: false, names: ['Klase', 'Класс', 'Class', 'Kl.', 'Klase/grupa', 'Класс/группа', 'Grade'] },
    { key: 'status', required: true, names: ['Statuss', 'Статус', 'Status', 'Ģimenes statuss', 'Statusa veids', 'Статус семьи', 'Социальный статус', 'Family status', 'Status type'] },
    // "No" alone is how a "Derīgs" group title's first column is often headed, and also how a
    // row-number column is: it only takes this field when no other column names it better.
    {
      key: 'validFrom',
      required: true,
      names: ['Derīgs no', 'Действует с', 'Valid from', 'Derīga no', 'Spēkā no', 'Statuss no', 'Statuss derīgs no', 'Sākuma datums', 'Действителен с', 'Статус с', 'Дата начала', 'Start date', 'Status from', 'No'],
    },
    {
      key: 'validTo',
      required: true,
      names: ['Derīgs līdz', 'Действует до', 'Valid to', 'Derīga līdz', 'Spēkā līdz', 'Statuss līdz', 'Statuss derīgs līdz', 'Beigu datums', 'Līdz', 'Действителен до', 'Статус до', 'Дата окончания', 'Valid until', 'End date', 'Status until'],
    },
    ...wholeNameFields,
  ],
  choices: { status: choiceLists.status },
  keyField: 'personalCode',
  schema,
  build(v) {
    return { key: v.personalCode.code, record: v };
  },
};

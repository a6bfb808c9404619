import { z } from 'zod';
import type { PersonalCode } from '../personalCode.ts';
import { optionalText, personalCode, requiredChoice, requiredDate, requiredText, type RowContext } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
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
    { key: 'personalCode', required: true, names: ['Personas kods', 'Персональный код', 'Personal code', 'P.k.', 'Skolēna personas kods'] },
    { key: 'firstName', required: true, names: ['Vārds', 'Имя', 'First name', 'Name'] },
    { key: 'lastName', required: true, names: ['Uzvārds', 'Фамилия', 'Last name', 'Surname'] },
    { key: 'class', required: false, names: ['Klase', 'Класс', 'Class'] },
    { key: 'status', required: true, names: ['Statuss', 'Статус', 'Status', 'Ģimenes statuss', 'Статус семьи', 'Family status'] },
    { key: 'validFrom', required: true, names: ['Derīgs no', 'Действует с', 'Valid from', 'Statuss no', 'No'] },
    { key: 'validTo', required: true, names: ['Derīgs līdz', 'Действует до', 'Valid to', 'Statuss līdz', 'Līdz', 'Valid until'] },
  ],
  choices: { status: choiceLists.status },
  keyField: 'personalCode',
  schema,
  build(v) {
    return { key: v.personalCode.code, record: v };
  },
};

import { z } from 'zod';
import type { PersonalCode } from '../personalCode.ts';
import { optionalChoice, optionalEmail, optionalPhone, optionalText, personalCode, requiredChoice, requiredDate, requiredText, type RowContext } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
import { wholeNameFields } from './wholeNameFields.ts';
import { choiceLists, language, sector } from './words.ts';

export type KindergartenRequestRow = {
  firstName: string;
  lastName: string;
  personalCode: PersonalCode;
  parentName: string | null;
  parentPhone: string | null;
  parentEmail: string | null;
  /** Null when the cell is empty (or not recognised): a new request takes Latvian, an existing one keeps its language. */
  language: 'lv' | 'ru' | 'en' | null;
  employer: string;
  sector: 'health' | 'police' | 'retail' | 'utilities' | 'social_care' | 'transport' | 'other';
  neededFrom: string;
  preferredArea: string | null;
  note: string | null;
};

/**
 * Requests for a place in a base kindergarten for children of essential workers, as the office
 * collects them. Key: the child's personal code. The day care is needed from may have passed (care
 * then starts on the day the child is placed).
 */
const schema = (ctx: RowContext) =>
  z.object({
    firstName: requiredText(),
    lastName: requiredText(),
    personalCode: personalCode(),
    parentName: optionalText(),
    parentPhone: optionalPhone(),
    parentEmail: optionalEmail(),
    language: optionalChoice(language, 'unknown_language'),
    employer: requiredText(),
    sector: requiredChoice(sector, 'unknown_sector'),
    neededFrom: requiredDate(ctx),
    preferredArea: optionalText(),
    note: optionalText(),
  });

export const kindergartenRequests: KindSpec<KindergartenRequestRow, ReturnType<typeof schema>> = {
  kind: 'kindergarten-requests',
  fields: [
    { key: 'firstName', required: true, names: ['Bērna vārds', 'Имя ребёнка', "Child's first name", 'Vārds', 'Имя', 'First name', 'Child first name', 'Name'] },
    { key: 'lastName', required: true, names: ['Bērna uzvārds', 'Фамилия ребёнка', "Child's last name", 'Uzvārds', 'Фамилия', 'Last name', 'Child last name', "Child's surname", 'Surname'] },
    {
      key: 'personalCode',
      required: true,
      names: [
        'Bērna personas kods', 'Персональный код ребёнка', "Child's personal code", 'Bērna pers. kods', 'Personas kods', 'Pers. kods', 'Pers.k.', 'Personas kods/ID', 'Personas identifikācijas kods',
        'Персональный код', 'Перс. код', 'Персональный код/ID', 'Личный код', 'Personal code', 'P.k.', 'Personas kods (pk)', 'Child personal code', 'Personal code/ID', 'Personal ID',
      ],
    },
    {
      key: 'parentName',
      required: false,
      names: [
        'Vecāka vārds, uzvārds', 'ФИО родителя', "Parent's name", 'Vecāks', 'Vecāku vārds, uzvārds', 'Likumiskais pārstāvis', 'Likumiskā pārstāvja vārds, uzvārds', 'Pieteicējs', 'Iesniedzējs',
        'Родитель', 'Законный представитель', 'Заявитель', 'Parent', 'Parent name', "Parent's full name", 'Applicant',
      ],
    },
    {
      key: 'parentPhone',
      required: false,
      names: [
        'Vecāka tālrunis', 'Телефон родителя', "Parent's phone", 'Vecāka tālr.', 'Tālrunis', 'Tālr.', 'Tālr. nr.', 'Tālruņa numurs', 'Tālruņa nr.', 'Kontakttālrunis', 'Mobilais tālrunis', 'Mob. tālr.', 'Telefons',
        'Telefona numurs', 'Tel.', 'Телефон', 'Тел.', 'Номер телефона', 'Контактный телефон', 'Мобильный телефон', 'Phone', 'Parent phone', 'Phone number', 'Telephone', 'Mobile', 'Contact phone',
      ],
    },
    {
      key: 'parentEmail',
      required: false,
      names: [
        'Vecāka e-pasts', 'Эл. почта родителя', "Parent's e-mail", 'Vecāka e-pasta adrese', 'E-pasts', 'E-pasta adrese', 'Эл. почта', 'Электронная почта', 'Эл. адрес', 'Адрес эл. почты',
        'E-mail', 'E-mail address', 'Parent e-mail',
      ],
    },
    { key: 'language', required: false, names: ['Valoda', 'Язык', 'Language', 'Saziņas valoda', 'Язык общения', 'Communication language'] },
    {
      key: 'employer',
      required: true,
      names: ['Darba devējs', 'Работодатель', 'Employer', 'Vecāka darba devējs', 'Darba vieta', 'Место работы', 'Работодатель родителя', 'Workplace', 'Place of work'],
    },
    { key: 'sector', required: true, names: ['Nozare', 'Отрасль', 'Sector', 'Darba nozare', 'Joma', 'Сфера', 'Сфера работы', 'Industry'] },
    {
      key: 'neededFrom',
      required: true,
      names: ['Vajadzīgs no', 'Нужно с', 'Needed from', 'Vieta vajadzīga no', 'Vajadzīgs no datuma', 'Sākot no', 'Место нужно с', 'С какой даты', 'Needed from date', 'Start date'],
    },
    { key: 'preferredArea', required: false, names: ['Vēlamais rajons', 'Желаемый район', 'Preferred area', 'Rajons', 'Apkaime', 'Vēlamā apkaime', 'Район', 'Микрорайон', 'Area', 'Neighbourhood'] },
    { key: 'note', required: false, names: ['Piezīmes', 'Примечание', 'Note', 'Piezīme', 'Komentārs', 'Примечания', 'Комментарий', 'Notes', 'Comment'] },
    ...wholeNameFields,
  ],
  choices: { language: choiceLists.language, sector: choiceLists.sector },
  keyField: 'personalCode',
  schema,
  build(v) {
    return { key: v.personalCode.code, record: v };
  },
};

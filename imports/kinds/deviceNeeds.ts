import { z } from 'zod';
import type { PersonalCode } from '../personalCode.ts';
import { optionalChoice, optionalEmail, optionalInteger, optionalPhone, optionalText, personalCode, requiredChoice, requiredText } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
import { wholeNameFields } from './wholeNameFields.ts';
import { choiceLists, deliveryMethod, deviceType, language } from './words.ts';

export type DeviceNeedRow = {
  class: string;
  firstName: string;
  lastName: string;
  personalCode: PersonalCode;
  deviceType: 'laptop' | 'tablet';
  guardianName: string | null;
  guardianPhone: string | null;
  guardianEmail: string | null;
  // null when the row names none (or none recognised): a pupil already known keeps theirs.
  language: 'lv' | 'ru' | 'en' | null;
  reason: string | null;
  priority: number | null;
  deliveryMethod: 'pickup' | 'home';
  address: string | null;
};

/** Pupils who need a laptop or tablet, with the guardian's contact. Key: the personal code. */
const schema = () =>
  z.object({
    class: requiredText(),
    firstName: requiredText(),
    lastName: requiredText(),
    personalCode: personalCode(),
    deviceType: requiredChoice(deviceType, 'unknown_device_type'),
    guardianName: optionalText(),
    guardianPhone: optionalPhone(),
    guardianEmail: optionalEmail(),
    language: optionalChoice(language, 'unknown_language'),
    reason: optionalText(),
    priority: optionalInteger(1, 5, 'invalid_priority'),
    deliveryMethod: optionalChoice(deliveryMethod, 'unknown_delivery_method'),
    address: optionalText(),
  });

export const deviceNeeds: KindSpec<DeviceNeedRow, ReturnType<typeof schema>> = {
  kind: 'device-needs',
  fields: [
    { key: 'class', required: true, names: ['Klase', 'Класс', 'Class', 'Klase/grupa', 'Kl.', 'Skolēna klase', 'Класс/группа', 'Grade'] },
    { key: 'firstName', required: true, names: ['Vārds', 'Имя', 'First name', 'Skolēna vārds', 'Izglītojamā vārds', 'Name', 'Имя ученика', 'Given name', "Pupil's first name"] },
    { key: 'lastName', required: true, names: ['Uzvārds', 'Фамилия', 'Last name', 'Skolēna uzvārds', 'Izglītojamā uzvārds', 'Surname', 'Фамилия ученика', 'Family name', "Pupil's last name"] },
    {
      key: 'personalCode',
      required: true,
      names: [
        'Personas kods', 'Персональный код', 'Personal code', 'P.k.', 'Pers. kods', 'Pers.k.', 'Skolēna personas kods', 'Izglītojamā personas kods', 'Personas kods (pk)',
        'Personas kods/ID', 'Personas identifikācijas kods', 'Перс. код', 'Персональный код/ID', 'Персональный код ученика', 'Личный код', 'Personal code/ID', 'Personal ID', 'Personal identity number',
      ],
    },
    { key: 'deviceType', required: true, names: ['Ierīce', 'Устройство', 'Device', 'Ierīces tips', 'Ierīces veids', 'Vajadzīgā ierīce', 'Nepieciešamā ierīce', 'Тип устройства', 'Вид устройства', 'Device type', 'Device needed'] },
    {
      key: 'guardianName',
      required: false,
      names: ['Vecāka vārds, uzvārds', 'ФИО родителя', 'Guardian name', 'Vecāks', 'Vecāku vārds, uzvārds', 'Likumiskais pārstāvis', 'Likumiskā pārstāvja vārds, uzvārds', 'Aizbildnis', 'Родитель', 'Законный представитель', 'Guardian', "Guardian's name", 'Parent', "Parent's name"],
    },
    {
      key: 'guardianPhone',
      required: false,
      names: [
        'Vecāka tālrunis', 'Телефон родителя', 'Guardian phone', 'Vecāka tālr.', 'Vecāka telefons', 'Tālrunis', 'Tālr.', 'Tālr. nr.', 'Tālruņa numurs', 'Tālruņa nr.', 'Telefons', 'Telefona numurs',
        'Tel.', 'Mobilais tālrunis', 'Mob. tālr.', 'Kontakttālrunis', 'Телефон', 'Тел.', 'Номер телефона', 'Контактный телефон', 'Мобильный телефон', 'Phone', 'Phone number', 'Telephone',
        'Mobile', 'Mobile phone', 'Contact phone', "Guardian's phone", "Parent's phone",
      ],
    },
    {
      key: 'guardianEmail',
      required: false,
      names: [
        'Vecāka e-pasts', 'Эл. почта родителя', 'Guardian e-mail', 'Vecāka e-pasta adrese', 'E-pasts', 'E-pasta adrese', 'Эл. почта', 'Электронная почта', 'Эл. адрес', 'Адрес эл. почты',
        'E-mail родителя', 'E-mail', 'E-mail address', "Guardian's e-mail", "Parent's e-mail",
      ],
    },
    { key: 'language', required: false, names: ['Valoda', 'Язык', 'Language', 'Saziņas valoda', 'Vēlamā valoda', 'Язык общения', 'Communication language', 'Preferred language'] },
    { key: 'reason', required: false, names: ['Iemesls', 'Причина', 'Reason', 'Pamatojums', 'Piezīmes', 'Обоснование', 'Примечание', 'Notes'] },
    { key: 'priority', required: false, names: ['Prioritāte', 'Приоритет', 'Priority', 'Steidzamība', 'Срочность', 'Urgency'] },
    { key: 'deliveryMethod', required: false, names: ['Saņemšanas veids', 'Способ получения', 'Delivery method', 'Piegāde', 'Piegādes veids', 'Saņemšana', 'Доставка', 'Способ доставки', 'Delivery'] },
    { key: 'address', required: false, names: ['Adrese', 'Адрес', 'Address', 'Piegādes adrese', 'Dzīvesvietas adrese', 'Адрес доставки', 'Адрес проживания', 'Delivery address', 'Home address'] },
    ...wholeNameFields,
  ],
  choices: { deviceType: choiceLists.deviceType, language: choiceLists.language, deliveryMethod: choiceLists.deliveryMethod },
  keyField: 'personalCode',
  schema,
  build(v, warn) {
    const method = v.deliveryMethod ?? 'pickup';
    if (method === 'home' && !v.address) warn('address', 'address_needed_for_delivery');
    return {
      key: v.personalCode.code,
      record: { ...v, language: v.language ?? null, deliveryMethod: method },
    };
  },
};

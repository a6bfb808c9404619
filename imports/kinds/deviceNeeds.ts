import { z } from 'zod';
import type { PersonalCode } from '../personalCode.ts';
import { optionalChoice, optionalEmail, optionalInteger, optionalPhone, optionalText, personalCode, requiredChoice, requiredText } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
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
  language: 'lv' | 'ru' | 'en';
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
    { key: 'class', required: true, names: ['Klase', 'Класс', 'Class', 'Klase/grupa'] },
    { key: 'firstName', required: true, names: ['Vārds', 'Имя', 'First name', 'Skolēna vārds', 'Name', 'Имя ученика'] },
    { key: 'lastName', required: true, names: ['Uzvārds', 'Фамилия', 'Last name', 'Skolēna uzvārds', 'Surname', 'Фамилия ученика'] },
    { key: 'personalCode', required: true, names: ['Personas kods', 'Персональный код', 'Personal code', 'P.k.', 'Skolēna personas kods', 'Personas kods (pk)'] },
    { key: 'deviceType', required: true, names: ['Ierīce', 'Устройство', 'Device', 'Ierīces tips', 'Ierīces veids', 'Vajadzīgā ierīce', 'Тип устройства', 'Device type'] },
    { key: 'guardianName', required: false, names: ['Vecāka vārds, uzvārds', 'ФИО родителя', 'Guardian name', 'Vecāks', 'Likumiskais pārstāvis', 'Родитель', 'Guardian'] },
    { key: 'guardianPhone', required: false, names: ['Vecāka tālrunis', 'Телефон родителя', 'Guardian phone', 'Tālrunis', 'Телефон', 'Phone'] },
    { key: 'guardianEmail', required: false, names: ['Vecāka e-pasts', 'Эл. почта родителя', 'Guardian e-mail', 'E-pasts', 'Эл. почта', 'E-mail', 'Email', 'Guardian email'] },
    { key: 'language', required: false, names: ['Valoda', 'Язык', 'Language', 'Saziņas valoda'] },
    { key: 'reason', required: false, names: ['Iemesls', 'Причина', 'Reason', 'Piezīmes'] },
    { key: 'priority', required: false, names: ['Prioritāte', 'Приоритет', 'Priority'] },
    { key: 'deliveryMethod', required: false, names: ['Saņemšanas veids', 'Способ получения', 'Delivery method', 'Piegāde'] },
    { key: 'address', required: false, names: ['Adrese', 'Адрес', 'Address', 'Piegādes adrese'] },
  ],
  choices: { deviceType: choiceLists.deviceType, language: choiceLists.language, deliveryMethod: choiceLists.deliveryMethod },
  keyField: 'personalCode',
  schema,
  build(v, warn) {
    const method = v.deliveryMethod ?? 'pickup';
    if (method === 'home' && !v.address) warn('address', 'address_needed_for_delivery');
    return {
      key: v.personalCode.code,
      record: { ...v, language: v.language ?? 'lv', deliveryMethod: method },
    };
  },
};

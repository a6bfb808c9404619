import { cellInteger, cellText, normalizeEmail, normalizePhone } from '../cells.ts';
import { parsePersonalCode, type PersonalCode } from '../personalCode.ts';
import { RowCheck, type KindSpec } from './types.ts';
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
export const deviceNeeds: KindSpec<DeviceNeedRow> = {
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
  parseRow(cells) {
    const c = new RowCheck();
    const text = (k: string) => cellText(cells[k]);
    const cls = text('class');
    const firstName = text('firstName');
    const lastName = text('lastName');
    if (!cls) c.error('class', 'required');
    if (!firstName) c.error('firstName', 'required');
    if (!lastName) c.error('lastName', 'required');
    const pc = parsePersonalCode(cells.personalCode);
    if (!pc.ok) c.error('personalCode', pc.reason === 'missing' ? 'required' : `personal_code_${pc.reason}`);
    const rawType = text('deviceType');
    const type = deviceType(rawType);
    if (!rawType) c.error('deviceType', 'required');
    else if (!type) c.error('deviceType', 'unknown_device_type');

    const rawPhone = text('guardianPhone');
    const phone = rawPhone ? normalizePhone(rawPhone) : null;
    if (rawPhone && !phone) c.warn('guardianPhone', 'invalid_phone');
    const rawEmail = text('guardianEmail');
    const email = rawEmail ? normalizeEmail(rawEmail) : null;
    if (rawEmail && !email) c.warn('guardianEmail', 'invalid_email');
    const rawLang = text('language');
    const lang = rawLang ? language(rawLang) : 'lv';
    if (rawLang && !lang) c.warn('language', 'unknown_language');
    const rawPriority = text('priority');
    const priority = rawPriority ? cellInteger(cells.priority) : null;
    if (rawPriority && (priority === null || priority < 1 || priority > 5)) c.warn('priority', 'invalid_priority');
    const rawDelivery = text('deliveryMethod');
    const delivery = rawDelivery ? deliveryMethod(rawDelivery) : 'pickup';
    if (rawDelivery && !delivery) c.warn('deliveryMethod', 'unknown_delivery_method');
    const address = text('address') || null;
    if (delivery === 'home' && !address) c.warn('address', 'address_needed_for_delivery');

    return c.result(() => {
      const code = (pc as { ok: true; value: PersonalCode }).value;
      return {
        key: code.code,
        record: {
          class: cls,
          firstName,
          lastName,
          personalCode: code,
          deviceType: type!,
          guardianName: text('guardianName') || null,
          guardianPhone: phone,
          guardianEmail: email,
          language: lang ?? 'lv',
          reason: text('reason') || null,
          priority: priority !== null && priority >= 1 && priority <= 5 ? priority : null,
          deliveryMethod: delivery ?? 'pickup',
          address,
        },
      };
    });
  },
};

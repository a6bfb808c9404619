import type { NameOrder } from './headers.ts';

/**
 * A first and last name written in one cell, under a header that says their order ("Vārds,
 * uzvārds": "Anna Bērziņa"; "Uzvārds, vārds" or "ФИО": "Bērziņa Anna", "Иванов Олег Петрович").
 *
 * A comma, where the cell has one, divides the two parts. Otherwise the surname is taken as one
 * word (a double surname is written with a hyphen, "Bērziņa-Kalniņa", and stays one word): the last
 * word when the first name comes first, the first word when the surname does. The rest is the
 * first name ("Anna Marija"; a Russian patronymic stays with it, "Олег Петрович"). With three or
 * more words and no comma that split is a reading, not a certainty: `checked` is false and the row
 * is warned about, so the principal sees the names before saving them.
 */
export type WholeName = { firstName: string; lastName: string; checked: boolean };

export function splitWholeName(text: string, order: NameOrder): WholeName | null {
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const [a, b] = [text.slice(0, comma).trim(), text.slice(comma + 1).trim()];
    if (!a || !b) return null;
    return order === 'firstLast' ? { firstName: a, lastName: b, checked: true } : { firstName: b, lastName: a, checked: true };
  }
  const words = text.split(/\s+/u).filter(Boolean);
  if (words.length < 2) return null;
  const checked = words.length === 2;
  return order === 'firstLast'
    ? { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1)!, checked }
    : { firstName: words.slice(1).join(' '), lastName: words[0]!, checked };
}

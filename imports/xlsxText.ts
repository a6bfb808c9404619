/**
 * Cell text as the .xlsx format escapes it. A character XML cannot hold, and a carriage return,
 * which XML would turn into a line feed, is written `_xHHHH_` (its code in hex); a text that
 * itself reads like such an escape has its underscore written `_x005F_` (ECMA-376, ST_Xstring).
 * Excel writes a cell pasted from Windows text with its line end as `…_x000D_`, then a line feed.
 * exceljs leaves the escapes as they are, so a personal code pasted so was read as
 * "010101-10006_x000D_" and refused, and a name kept the escape in it. Only .xlsx cells are
 * unescaped: in a CSV such text is what the person typed.
 */

const xstringEscape = /_x([0-9A-Fa-f]{4})_/gu;

const needsUnescaping = (s: unknown): s is string => typeof s === 'string' && s.includes('_x');

function unescaped(s: string): string {
  return s.replace(xstringEscape, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

type Run = { text?: unknown };

/** A cell value as exceljs yields it, with its text unescaped: plain, rich, a formula's result, a link's text. */
function unescapedValue(v: unknown): unknown {
  if (needsUnescaping(v)) return unescaped(v);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) {
    const runs = o.richText as Run[];
    return runs.some((r) => needsUnescaping(r.text)) ? { ...o, richText: runs.map((r) => (needsUnescaping(r.text) ? { ...r, text: unescaped(r.text) } : r)) } : v;
  }
  if ('result' in o) {
    const result = unescapedValue(o.result);
    return result === o.result ? v : { ...o, result };
  }
  // A hyperlink's text may itself be rich text.
  if ('text' in o) {
    const text = unescapedValue(o.text);
    return text === o.text ? v : { ...o, text };
  }
  return v;
}

/** A row's values (as exceljs gives them, from index 1) with their text unescaped; the same array when none is escaped. */
export function unescapedRow(values: unknown[]): unknown[] {
  let out: unknown[] | null = null;
  values.forEach((v, i) => {
    const u = unescapedValue(v);
    if (u !== v) (out ??= [...values])[i] = u;
  });
  return out ?? values;
}

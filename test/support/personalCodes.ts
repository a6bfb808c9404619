const weights = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/**
 * `count` distinct valid old-form personal codes of children born 2005–2014, from the `from`-th
 * valid one on: one per birth date and serial, so calls with ranges that do not overlap never
 * share a code. For generated lists in tests and benchmarks.
 */
export function personalCodes(count: number, from = 0): string[] {
  const out: string[] = [];
  for (let n = 0, valid = 0; out.length < count; n++) {
    const day = new Date(Date.UTC(2005, 0, 1) + (n % 3650) * 86_400_000);
    const serial = String(Math.floor(n / 3650) % 1000).padStart(3, '0');
    const d = [day.getUTCDate(), day.getUTCMonth() + 1, day.getUTCFullYear() % 100].map((v) => String(v).padStart(2, '0')).join('') + '2' + serial;
    const check = (1101 - weights.reduce((s, w, j) => s + w * Number(d[j]), 0)) % 11;
    if (check < 10 && valid++ >= from) out.push(`${d.slice(0, 6)}-${d.slice(6)}${check}`);
  }
  return out;
}

import { deviceType } from '../../imports/kinds/words.ts';
import type { DeviceType } from './model.ts';

export type ShipmentLine = { serial: string; type: DeviceType; make?: string; model?: string };
export type BadLine = { line: number; text: string; problem: 'no_serial' | 'unknown_type' | 'too_many_fields' | 'too_long' | 'repeated' };

/**
 * Reads a shipment typed by hand, one device per line as `serial;type;make;model` (a tab works as
 * well as `;`). The type may be written as in the lists (`laptop`, `dators`, `planšete`, `планшет`…).
 * Empty lines are skipped; every line that cannot be read is reported with its number.
 */
export function parseShipmentLines(text: string): { devices: ShipmentLine[]; bad: BadLine[] } {
  const devices: ShipmentLine[] = [];
  const bad: BadLine[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const report = (problem: BadLine['problem']) => bad.push({ line: i + 1, text: line.slice(0, 200), problem });
    const parts = line.split(/[;\t]/).map((p) => p.trim());
    if (parts.length > 4) return report('too_many_fields');
    const [serialRaw = '', typeRaw = '', make = '', model = ''] = parts;
    const serial = serialRaw.toUpperCase();
    if (!serial) return report('no_serial');
    if (serial.length > 80 || make.length > 100 || model.length > 100) return report('too_long');
    const type = deviceType(typeRaw);
    if (!type) return report('unknown_type');
    if (seen.has(serial)) return report('repeated');
    seen.add(serial);
    devices.push({ serial, type, ...(make ? { make } : {}), ...(model ? { model } : {}) });
  });
  return { devices, bad };
}

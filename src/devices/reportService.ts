import type { Actor } from '../auth/actor.ts';
import { scopeFilter } from '../auth/scope.ts';
import { InstitutionModel } from '../institutions/model.ts';
import type { TFunction } from '../i18n/index.ts';
import { exportWorkbook } from '../shared/xlsxExport.ts';
import { DeviceModel, DeviceNeedModel } from './model.ts';

/** Needs with a device on its way to the pupil, and needs whose device reached the pupil. */
export const allocatedStates: ReadonlySet<string> = new Set(['allocated', 'ready_for_pickup', 'out_for_delivery']);
export const handedStates: ReadonlySet<string> = new Set(['delivered', 'returned']);

export type InstitutionDeviceRow = {
  code: string;
  name: string;
  neededLaptops: number;
  neededTablets: number;
  received: number;
  allocated: number;
  handedOver: number;
  outstanding: number;
};

/**
 * The ministry's figures per institution. Needed: needs not cancelled, by type. Received: devices
 * the institution holds or has handed on. Allocated: needs with a device not yet with the pupil.
 * Handed over: needs whose device reached the pupil (including those since returned).
 * Outstanding: needs still waiting for a device to reach the pupil.
 */
export async function deviceFigures(actor: Actor): Promise<InstitutionDeviceRow[]> {
  const [insts, needs, devices] = await Promise.all([
    InstitutionModel.find({ ...scopeFilter(actor, '_id'), type: 'school' }, { code: 1, name: 1 }).sort({ name: 1 }).lean(),
    DeviceNeedModel.find({ ...scopeFilter(actor) }, { institution: 1, deviceType: 1, status: 1 }).lean(),
    DeviceModel.find({ ...scopeFilter(actor), institution: { $ne: null } }, { institution: 1 }).lean(),
  ]);
  const rows = new Map<string, InstitutionDeviceRow>(
    insts.map((i) => [String(i._id), { code: i.code, name: i.name, neededLaptops: 0, neededTablets: 0, received: 0, allocated: 0, handedOver: 0, outstanding: 0 }]),
  );
  for (const n of needs) {
    const row = rows.get(String(n.institution));
    if (!row || n.status === 'cancelled') continue;
    if (n.deviceType === 'laptop') row.neededLaptops += 1;
    else row.neededTablets += 1;
    if (allocatedStates.has(n.status)) row.allocated += 1;
    if (handedStates.has(n.status)) row.handedOver += 1;
    else row.outstanding += 1;
  }
  for (const d of devices) {
    const row = rows.get(String(d.institution));
    if (row) row.received += 1;
  }
  return [...rows.values()];
}

/** The ministry report as a workbook, headers in the reader's language, with a total row. */
export async function ministryReport(actor: Actor, t: TFunction): Promise<Buffer> {
  const rows = await deviceFigures(actor);
  const keys = ['neededLaptops', 'neededTablets', 'received', 'allocated', 'handedOver', 'outstanding'] as const;
  const total = Object.fromEntries(keys.map((k) => [k, rows.reduce((s, r) => s + r[k], 0)]));
  return exportWorkbook(
    t('devices.report.sheet'),
    [{ header: t('devices.report.code'), width: 14 }, { header: t('devices.report.institution'), width: 40 }, ...keys.map((k) => ({ header: t(`devices.report.${k}`), width: 14 }))],
    [...rows.map((r) => [r.code, r.name, ...keys.map((k) => r[k])]), ['', t('devices.report.total'), ...keys.map((k) => total[k]!)]],
  );
}

/** The device figures of a reader's scope, as the dashboard counts them (src/dashboard/figures.ts). */
export type DeviceCounts = { needed: number; awaitingApproval: number; inStock: number; allocated: number; handedOver: number; outstanding: number; staleStock: number };

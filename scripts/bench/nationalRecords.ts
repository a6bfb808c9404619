import { Types } from 'mongoose';
import { DeviceModel, DeviceNeedModel, ShipmentModel, type DeviceStatus, type NeedStatus } from '../../src/devices/model.ts';
import { newReferenceCode } from '../../src/devices/referenceCode.ts';
import { ContactTaskModel, MessageModel } from '../../src/notifications/model.ts';
import { messageId } from '../../src/notifications/messageService.ts';
import { rigaToday } from '../../src/shared/dates.ts';
import { batchWriter, day, insertInBatches, pick, random, rnd, type SeededPupil } from './nationalData.ts';

/**
 * The device needs (one per pupil, over the statuses, their steps within the last 8 weeks), the
 * devices (those allocated or handed to a need linked both ways, the rest in stock, some held there
 * for months, returned or faulty) with their shipments, and the notification log with its failures
 * and the contact tasks those left open.
 */
const needShares: Array<[NeedStatus, number]> = [
  ['registered', 0.15], ['approved', 0.2], ['allocated', 0.15], ['ready_for_pickup', 0.15],
  ['out_for_delivery', 0.1], ['delivered', 0.15], ['returned', 0.05], ['cancelled', 0.05],
];

function share<T>(shares: Array<[T, number]>): T {
  let r = random();
  for (const [s, p] of shares) if ((r -= p) < 0) return s;
  return shares[0]![0];
}

/** The steps a need went through to reach `status`, as the services record them. */
function pathTo(status: NeedStatus, home: boolean): NeedStatus[] {
  const handed: NeedStatus[] = ['registered', 'approved', 'allocated', home ? 'out_for_delivery' : 'ready_for_pickup', 'delivered'];
  if (status === 'cancelled') return random() < 0.5 ? ['registered', 'cancelled'] : ['registered', 'approved', 'cancelled'];
  if (status === 'returned') return [...handed, 'returned'];
  if (status === 'ready_for_pickup' || status === 'out_for_delivery') return handed.slice(0, 4);
  return handed.slice(0, handed.indexOf(status) + 1);
}

/** Moments for `n` steps: the first within the last 8 weeks, each later one between it and now. */
function stepTimes(n: number, now: number): number[] {
  let at = now - rnd(1, 56 * 24) * 3_600_000;
  const out = [at];
  for (let i = 1; i < n; i++) out.push((at += Math.floor(random() * Math.min(6 * day, (now - at) / 2))));
  return out;
}

export async function seedDevices(pupils: SeededPupil[], needCount: number, deviceCount: number, now: Date): Promise<Record<string, number>> {
  const t = now.getTime();
  const shipments = Array.from({ length: Math.max(2, Math.round(deviceCount / 1000)) }, (_, i) => {
    const at = new Date(t - rnd(20, 150) * day);
    return { _id: new Types.ObjectId(), reference: `PAV-2026-${String(i + 1).padStart(3, '0')}`, receivedAt: rigaToday(at), importId: null, note: null, createdAt: at, updatedAt: at, __v: 0 };
  });
  shipments.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const shipmentBefore = (at: number) => pick(shipments.filter((s) => s.createdAt.getTime() < at).slice(-5).concat(shipments.slice(0, 1)));
  const who = () => `user:${new Types.ObjectId()}`;
  const devices: Array<Record<string, unknown>> = [];
  const device = (status: DeviceStatus, shipment: (typeof shipments)[number], extra: Record<string, unknown>, history: Array<{ status: string; at: Date }>) => {
    const _id = new Types.ObjectId();
    const laptop = random() < 0.6;
    devices.push({
      _id, serial: `${laptop ? 'LT' : 'TB'}${String(devices.length + 1).padStart(8, '0')}`, type: laptop ? 'laptop' : 'tablet',
      make: laptop ? pick(['Lenovo', 'HP', 'Dell']) : pick(['Samsung', 'Lenovo']), model: laptop ? pick(['ThinkPad E14', 'ProBook 440', 'Latitude 3420']) : pick(['Galaxy Tab A8', 'Tab M10']),
      condition: random() < 0.9 ? 'new' : 'used', status, institution: null, shipment: shipment._id, need: null, stockedAt: shipment.createdAt, handover: null, returnedAt: null,
      history: [{ status: 'in_stock', at: shipment.createdAt, by: 'import:shipment', note: shipment.reference }, ...history.map((h) => ({ ...h, by: who(), note: null }))],
      version: history.length, createdByImport: null, changedByImport: null, createdAt: shipment.createdAt, updatedAt: history.at(-1)?.at ?? shipment.createdAt, __v: 0, ...extra,
    });
    return _id;
  };

  const order = pupils.map((_, i) => i);
  const counts: Record<string, number> = {};
  const needs = batchWriter(DeviceNeedModel.collection);
  for (let i = 0; i < needCount; i++) {
    // A random pupil not picked yet (a partial shuffle): one need per pupil.
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
    const pupil = pupils[order[i]!]!;
    const status = share(needShares);
    counts[status] = (counts[status] ?? 0) + 1;
    const home = random() < 0.3;
    const steps = pathTo(status, home);
    const times = stepTimes(steps.length, t);
    const history = steps.map((s, k) => ({ status: s, at: new Date(times[k]!), by: k === 0 && random() < 0.7 ? 'import:bench' : who(), note: null }));
    const last = times.at(-1)!;
    const lastDay = rigaToday(new Date(last));
    const _id = new Types.ObjectId();
    const handed = steps.includes('delivered');
    const handover = handed ? { collectedBy: `${pupil.firstName === 'Anna' ? 'Māte' : 'Vecāks'}`, relation: 'parent', date: rigaToday(new Date(times[steps.indexOf('delivered')]!)), returnBy: '2027-06-15', recordedBy: who() } : null;
    let linked = null;
    if (steps.includes('allocated') && devices.length < deviceCount) {
      const allocatedAt = times[steps.indexOf('allocated')]!;
      const later = history.slice(steps.indexOf('allocated')).map((h) => ({ status: h.status === 'allocated' ? 'allocated' : h.status === 'delivered' ? 'handed_over' : h.status, at: h.at }));
      const deviceHistory = later.filter((h) => h.status === 'allocated' || h.status === 'handed_over' || h.status === 'returned');
      const deviceStatus: DeviceStatus = status === 'returned' ? 'returned' : status === 'delivered' ? 'handed_over' : 'allocated';
      const id = device(deviceStatus, shipmentBefore(allocatedAt), status === 'returned' ? { returnedAt: lastDay } : { institution: pupil.institution, handover, need: _id }, deviceHistory);
      if (status !== 'returned') linked = id;
    }
    await needs.add({
      _id, institution: pupil.institution, pupil: pupil._id, firstName: pupil.firstName, deviceType: random() < 0.6 ? 'laptop' : 'tablet',
      reason: random() < 0.5 ? pick(['Nav datora mājās', 'Vairāki bērni, viens dators', 'Dators bojāts']) : null, priority: rnd(1, 5),
      deliveryMethod: home ? 'home' : 'pickup', address: home ? `Ostas iela ${rnd(1, 90)}-${rnd(1, 40)}` : null, referenceCode: newReferenceCode(), status, device: linked,
      pickup: status === 'ready_for_pickup' ? { from: lastDay, hours: 'P.–Pk. 9:00–15:00' } : { from: null, hours: null },
      delivery: status === 'out_for_delivery' ? { run: new Types.ObjectId(), day: lastDay } : { run: null, day: null },
      handover, history, version: history.length - 1, createdByImport: history[0]!.by === 'import:bench' ? 'bench' : null, changedByImport: null,
      createdAt: history[0]!.at, updatedAt: history.at(-1)!.at, __v: 0,
    });
  }
  await needs.done();

  // The rest of the stock: mostly waiting for a need, a quarter of it for over 60 days; some faulty.
  while (devices.length < deviceCount) {
    const faulty = random() < 0.15;
    const s = pick(shipments);
    device(faulty ? 'faulty' : 'in_stock', s, faulty ? {} : { stockedAt: new Date(Math.max(s.createdAt.getTime(), t - (random() < 0.25 ? rnd(61, 150) : rnd(1, 60)) * day)) }, faulty ? [{ status: 'faulty', at: new Date(s.createdAt.getTime() + rnd(1, 10) * day) }] : []);
  }
  await insertInBatches(ShipmentModel.collection, shipments);
  await insertInBatches(DeviceModel.collection, devices);
  for (const d of devices) counts[`device:${d.status}`] = (counts[`device:${d.status}`] ?? 0) + 1;
  return counts;
}

const guardianTemplates = ['need_registered', 'device_ready_for_pickup', 'device_out_for_delivery', 'device_handed_over', 'foodcard_ready', 'foodcard_collected', 'device_uncollected', 'foodcard_uncollected'];
const staffTemplates = ['attendance_missing', 'needs_stale', 'stock_unallocated', 'returns_overdue'];
const outcomes: Array<[string, number]> = [['delivered', 0.45], ['sent', 0.38], ['failed', 0.06], ['queued', 0.03], ['retrying', 0.02], ['held', 0.02], ['suppressed', 0.03], ['unknown', 0.01]];

/** The notification log over the last 8 weeks, and an open contact task for most failed contacts. */
export async function seedMessages(pupils: SeededPupil[], messageCount: number, now: Date): Promise<{ messages: number; failed: number; openTasks: number }> {
  const t = now.getTime();
  const messages = [];
  const tasks = [];
  const tasked = new Set<string>();
  for (let i = 0; i < messageCount; i++) {
    const at = new Date(t - rnd(0, 56 * 24 * 60) * 60_000);
    const staff = random() < 0.08;
    const pupil = pick(pupils);
    const channel = staff || pupil.email ? 'email' : 'sms';
    const template = staff ? pick(staffTemplates) : pick(guardianTemplates);
    const address = staff ? `direktors${rnd(1, 600)}@skola.example.lv` : channel === 'email' ? pupil.email! : pupil.phone!;
    const event = `${template}:${new Types.ObjectId()}`;
    const key = `${event}|${staff ? `user:${new Types.ObjectId()}` : `guardian:${pupil._id}`}|${channel}`;
    const status = share(outcomes);
    const failure = status === 'failed' ? pick(channel === 'email' ? [{ code: 'recipient_rejected', message: '550 5.1.1 mailbox unavailable' }, { code: 'smtp_rejected', message: '554 5.7.1 rejected' }] : [{ code: 'invalid_number', message: '400 invalid number' }, { code: 'provider_unavailable', message: '503 busy' }])
      : status === 'suppressed' ? { code: 'opted_out', message: null } : status === 'unknown' ? { code: 'interrupted', message: null } : { code: null, message: null };
    const sent = status === 'sent' || status === 'delivered';
    const _id = messageId(key);
    messages.push({
      _id, key, event, template, essential: !['device_handed_over', 'foodcard_collected', 'device_uncollected', 'foodcard_uncollected'].includes(template), language: staff ? 'lv' : pupil.language, channel,
      recipient: { kind: staff ? 'staff' : 'guardian', address, name: null, user: staff ? new Types.ObjectId() : null }, institution: pupil.institution, pupil: staff ? null : pupil._id,
      subject: channel === 'email' ? 'Paziņojums no izglītības pārvaldes' : '', body: `Labdien! ${pupil.firstName}: ${template}. Statuss: https://example.lv/status`,
      status, attempts: status === 'queued' || status === 'held' ? 0 : status === 'retrying' || status === 'failed' ? rnd(1, 5) : 1, claimedBy: null,
      notBefore: status === 'held' || status === 'retrying' ? new Date(t + rnd(5, 600) * 60_000) : null, failure, providerId: sent ? `p-${_id}` : null,
      sentAt: sent ? new Date(at.getTime() + 4000) : null, deliveredAt: status === 'delivered' ? new Date(at.getTime() + 9000) : null, resends: 0, version: 2, createdAt: at, updatedAt: at,
    });
    if ((failure.code === 'recipient_rejected' || failure.code === 'invalid_number') && !staff && !tasked.has(`${pupil._id}:${channel}`)) {
      tasked.add(`${pupil._id}:${channel}`);
      const done = random() < 0.3;
      const taskId = new Types.ObjectId();
      tasks.push({
        _id: taskId, institution: pupil.institution, pupil: pupil._id, channel, address, message: _id, reason: failure, status: done ? 'done' : 'open',
        openKey: `${pupil._id}:${channel}${done ? `:${taskId}` : ''}`, doneAt: done ? new Date(Math.min(t, at.getTime() + rnd(1, 5) * day)) : null, doneBy: done ? `user:${new Types.ObjectId()}` : null, createdAt: at, updatedAt: at,
      });
    }
  }
  await insertInBatches(MessageModel.collection, messages);
  await insertInBatches(ContactTaskModel.collection, tasks);
  return { messages: messages.length, failed: messages.filter((m) => m.status === 'failed').length, openTasks: tasks.filter((x) => x.status === 'open').length };
}

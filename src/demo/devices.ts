import type { Actor } from '../auth/actor.ts';
import { DeviceNeedModel } from '../devices/model.ts';
import { approveNeeds, markReadyForPickup, registerNeed } from '../devices/needsService.ts';
import { confirmAllocation } from '../devices/allocationService.ts';
import { recordHandover } from '../devices/handoverService.ts';
import { registerShipment } from '../devices/stockService.ts';
import type { DeviceSettings } from '../devices/settings.ts';

/** The demo parent's code, printed by `scripts/start`: a device ready to collect at school. */
export const demoReferenceCode = 'K7QM-4XPA-9TR';

// Made-up pupils with valid made-up personal codes; never real people.
const pupils = [
  { firstName: 'Anna', lastName: 'Kalniņa', class: '12.a', personalCode: '150803-20006', deviceType: 'laptop', language: 'lv' },
  { firstName: 'Dmitrijs', lastName: 'Ivanovs', class: '9.b', personalCode: '020806-20006', deviceType: 'laptop', language: 'ru' },
  { firstName: 'Elza', lastName: 'Ozola', class: '5.a', personalCode: '110410-20002', deviceType: 'tablet', language: 'lv' },
  { firstName: 'Mārtiņš', lastName: 'Bērziņš', class: '7.c', personalCode: '230308-20002', deviceType: 'laptop', language: 'lv', deliveryMethod: 'home', address: 'Graudu iela 12-3, Liepāja, LV-3401' },
  { firstName: 'Sofija', lastName: 'Petrova', class: '3.b', personalCode: '301212-20008', deviceType: 'tablet', language: 'ru' },
  { firstName: 'Oliver', lastName: 'Smith', class: '10.a', personalCode: '040505-20003', deviceType: 'laptop', language: 'en' },
] as const;

/**
 * Device needs for the demo principal's school in every state the pages show: registered,
 * approved, allocated, ready for pickup (with the printed demo code), handed over; and a shipment
 * with devices left in stock for the coordinator's allocation proposal.
 */
export async function seedDemoDevices(actor: Actor, settings: DeviceSettings, school: string): Promise<void> {
  const ids: string[] = [];
  for (const p of pupils) {
    const need = await registerNeed(actor, { ...p, institution: school, guardianName: `${p.lastName} (vecāks)`, guardianPhone: null, guardianEmail: null, reason: null, priority: undefined, deliveryMethod: 'deliveryMethod' in p ? p.deliveryMethod : 'pickup', address: 'address' in p ? p.address : null }, settings, null);
    ids.push(String(need._id));
  }
  await DeviceNeedModel.updateOne({ _id: ids[0] }, { $set: { referenceCode: demoReferenceCode } });
  await approveNeeds(actor, ids.slice(0, 5), null);
  await registerShipment(
    actor,
    {
      reference: 'IZM-2020/04-LIE',
      receivedAt: '2020-04-02',
      note: null,
      devices: [
        { serial: 'PF2LX0A1', type: 'laptop', make: 'Lenovo', model: 'ThinkPad E14', condition: 'new' },
        { serial: 'PF2LX0A2', type: 'laptop', make: 'Lenovo', model: 'ThinkPad E14', condition: 'new' },
        { serial: 'PF2LX0A3', type: 'laptop', make: 'Lenovo', model: 'ThinkPad E14', condition: 'new' },
        { serial: 'PF2LX0A4', type: 'laptop', make: 'Lenovo', model: 'ThinkPad E14', condition: 'new' },
        { serial: 'DMPZ7K01', type: 'tablet', make: 'Apple', model: 'iPad 10.2', condition: 'new' },
        { serial: 'DMPZ7K02', type: 'tablet', make: 'Apple', model: 'iPad 10.2', condition: 'new' },
      ],
    },
    null,
  );
  await confirmAllocation(actor, { matches: [{ need: ids[0]!, serial: 'PF2LX0A1' }, { need: ids[1]!, serial: 'PF2LX0A2' }, { need: ids[2]!, serial: 'DMPZ7K01' }] }, null);
  await markReadyForPickup(actor, ids[0]!, { from: '2020-04-06', hours: 'P.–Pk. 9:00–15:00' }, null);
  await recordHandover(actor, ids[1]!, { serial: 'PF2LX0A2', collectedBy: 'Irina Ivanova', relation: 'mother', date: '2020-04-07' }, settings, null);
}

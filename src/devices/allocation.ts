/**
 * The allocation proposal, as a pure function so it can be tested without a database.
 *
 * For each device type separately: when there are fewer devices than approved needs, each
 * institution's share is proportional to its unmet needs (largest-remainder method, so shares add
 * up exactly; ties go to the institution whose next pupil has the more urgent priority, then to
 * the earlier need). Within an institution the most urgent needs come first (priority 1 before 5,
 * then the earliest registered). Each institution takes devices already in its own stock first,
 * then the office's stock oldest first, then spare devices other institutions hold.
 */

export type StockDevice = { id: string; serial: string; type: string; institution: string | null; stockedAt: number };
export type OpenNeed = { id: string; institution: string; type: string; priority: number; createdAt: number };

export type MatchReason = {
  priority: number;
  /** This need's place in its institution's queue (1 = first). */
  rank: number;
  /** Devices of this type the institution gets in this proposal, and its unmet needs of this type. */
  share: number;
  unmet: number;
  /** Whether every need of this type could be met. */
  enough: boolean;
  source: 'own_stock' | 'office_stock' | 'other_institution';
};

export type Match = { needId: string; deviceId: string; serial: string; institution: string; type: string; reason: MatchReason };
export type TypeSummary = { type: string; devices: number; needs: number; matched: number };
export type Proposal = { matches: Match[]; summary: TypeSummary[] };

const byUrgency = (a: OpenNeed, b: OpenNeed) => a.priority - b.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byAge = (a: StockDevice, b: StockDevice) => a.stockedAt - b.stockedAt || (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0);

/** Matches in-stock devices to approved needs; see the module comment for the rules. */
export function proposeAllocation(devices: StockDevice[], needs: OpenNeed[]): Proposal {
  const types = [...new Set([...devices.map((d) => d.type), ...needs.map((n) => n.type)])].sort();
  const matches: Match[] = [];
  const summary: TypeSummary[] = [];
  for (const type of types) {
    const typeDevices = devices.filter((d) => d.type === type);
    const typeNeeds = needs.filter((n) => n.type === type);
    const made = allocateType(typeDevices, typeNeeds, type);
    matches.push(...made);
    summary.push({ type, devices: typeDevices.length, needs: typeNeeds.length, matched: made.length });
  }
  return { matches, summary };
}

function allocateType(devices: StockDevice[], needs: OpenNeed[], type: string): Match[] {
  const queues = new Map<string, OpenNeed[]>();
  for (const n of needs) {
    let q = queues.get(n.institution);
    if (!q) queues.set(n.institution, (q = []));
    q.push(n);
  }
  for (const q of queues.values()) q.sort(byUrgency);
  const shares = fairShares(queues, Math.min(devices.length, needs.length), needs.length);
  const enough = devices.length >= needs.length;

  // Stock by holder: each institution's own, the office's (key ''), everyone's oldest first.
  const stock = new Map<string, StockDevice[]>();
  for (const d of [...devices].sort(byAge)) {
    const key = d.institution ?? '';
    let list = stock.get(key);
    if (!list) stock.set(key, (list = []));
    list.push(d);
  }
  const taken = new Set<string>();
  const take = (list: StockDevice[] | undefined): StockDevice | undefined => {
    while (list?.length) {
      const d = list.shift()!;
      if (!taken.has(d.id)) return d;
    }
    return undefined;
  };
  const others = [...devices].sort(byAge);
  const takeOther = (inst: string): StockDevice | undefined => others.find((d) => !taken.has(d.id) && d.institution !== null && d.institution !== inst);

  const matches: Match[] = [];
  // Institutions in a fixed order, so the same data always gives the same proposal.
  for (const inst of [...queues.keys()].sort()) {
    const queue = queues.get(inst)!;
    const share = shares.get(inst) ?? 0;
    for (let i = 0; i < share; i++) {
      const need = queue[i]!;
      let source: MatchReason['source'] = 'own_stock';
      let device = take(stock.get(inst));
      if (!device) {
        source = 'office_stock';
        device = take(stock.get(''));
      }
      if (!device) {
        source = 'other_institution';
        device = takeOther(inst);
      }
      if (!device) break;
      taken.add(device.id);
      matches.push({ needId: need.id, deviceId: device.id, serial: device.serial, institution: inst, type, reason: { priority: need.priority, rank: i + 1, share, unmet: queue.length, enough, source } });
    }
  }
  return matches;
}

/** Largest-remainder shares of `total` devices among institutions in proportion to their queue length. */
export function fairShares(queues: Map<string, OpenNeed[]>, total: number, needCount: number): Map<string, number> {
  const shares = new Map<string, number>();
  if (needCount === 0) return shares;
  const rest: Array<{ inst: string; remainder: number; next: OpenNeed | undefined }> = [];
  let given = 0;
  for (const [inst, queue] of queues) {
    const exact = (total * queue.length) / needCount;
    const whole = Math.min(Math.floor(exact), queue.length);
    shares.set(inst, whole);
    given += whole;
    rest.push({ inst, remainder: exact - whole, next: queue[whole] });
  }
  rest.sort((a, b) => b.remainder - a.remainder || (a.next && b.next ? byUrgency(a.next, b.next) : a.next ? -1 : 1) || (a.inst < b.inst ? -1 : 1));
  for (const r of rest) {
    if (given >= total) break;
    if (!r.next) continue;
    shares.set(r.inst, shares.get(r.inst)! + 1);
    given += 1;
  }
  return shares;
}

import type { Types } from 'mongoose';
import type { KindergartenRequestRow } from '../../../imports/kinds/kindergartenRequests.ts';
import { newPlacementCode } from '../../kindergartens/referenceCode.ts';
import { recordEvents } from '../../events/service.ts';
import { activeRequestStatuses, PlacementRequestModel, type RequestStatus } from '../../kindergartens/model.ts';
import { storedPersonalCode } from '../../pupils/identity.ts';
import { guardedUpdate } from '../../shared/claims.ts';
import { RecordBook, type Plan, type Stored } from './recordBook.ts';
import { pupilSearchKeys } from '../../pupils/searchKeys.ts';
import type { ApplyContext, OpenApplier, RowResult } from './types.ts';

// A list may correct a request until the child is placed; a placed child's request changes by hand only.
const editable: readonly RequestStatus[] = ['received', 'waiting'];
// Losing this many races in a row to other changes of one request means something is wrong: the
// import fails this attempt and is retried.
const updateTries = 5;

type RequestDoc = Stored & { activeKey: string; status: string };

/**
 * Creates or updates base-kindergarten placement requests, one active request per child, matched
 * on the keyed hash of the child's personal code (the `activeKey` a request holds while it is
 * received, waiting or placed). A child with no active request gets a new one, received now, with
 * a reference code and its `kindergarten.request_received` event; a request still received or
 * waiting takes the row's parent contacts, employer, sector, day and area; a placed child's request
 * is never changed by a list. The requests belong to the office, not to an institution.
 */
export const openKindergartenRequests: OpenApplier<KindergartenRequestRow> = async (ctx) => {
  const fields = '_id activeKey status parent employer sector neededFrom preferredArea note createdByImport changedByImport';
  const loaded = (await PlacementRequestModel.find({ status: { $in: activeRequestStatuses } }, fields).lean()) as unknown as RequestDoc[];
  const requests = new RecordBook<RequestDoc>(
    ctx,
    {
      model: PlacementRequestModel,
      keyOf: (r) => r.activeKey,
      filterFor: (hash) => ({ activeKey: hash }),
      locked: (r) => !editable.includes(r.status as RequestStatus),
      // A coordinator may place the child while the import runs: the change is guarded by the
      // request's version (as placing is), so it lands only while the request is still open.
      update: (r, set) => updateWhileOpen(r._id, set),
    },
    loaded,
  );

  return async (rows) => {
    const plans: Plan[] = rows.map(({ record }) => plan(ctx, record));
    const saved = await requests.saveAll(plans);
    // Keyed by the request, so an import retried after a crash records each event once.
    if (!ctx.dryRun) {
      await recordEvents(
        saved.flatMap((s) =>
          s.kind === 'written' && s.outcome === 'created' && s.id
            ? [{ type: 'kindergarten.request_received', key: `kindergarten.request_received:${String(s.id)}`, subject: { kind: 'placementRequest', id: s.id as Types.ObjectId } }]
            : [],
        ),
      );
    }
    return saved.map(
      (s): RowResult =>
        s.kind === 'locked'
          ? { outcome: s.outcome, errors: [], warnings: [{ field: 'personalCode', code: 'request_placed_not_changed' }] }
          : { outcome: s.kind === 'foreign' ? 'unchanged' : s.outcome, errors: [], warnings: [] },
    );
  };
};

/**
 * What a row asks of the child's request. Optional cells left empty keep what is stored (a list
 * without phones or notes never erases them); a new request takes them as null, Latvian for the language.
 */
function plan(ctx: ApplyContext, r: KindergartenRequestRow): Plan {
  const stored = storedPersonalCode(ctx.key, r.personalCode);
  const hash = stored.personalCodeHash;
  const wanted: Record<string, unknown> = { employer: r.employer, sector: r.sector, neededFrom: r.neededFrom };
  if (r.parentName) wanted['parent.name'] = r.parentName;
  if (r.parentPhone) wanted['parent.phone'] = r.parentPhone;
  if (r.parentEmail) wanted['parent.email'] = r.parentEmail;
  if (r.language) wanted['parent.language'] = r.language;
  if (r.preferredArea) wanted.preferredArea = r.preferredArea;
  if (r.note) wanted.note = r.note;
  return {
    key: hash,
    wanted,
    // Drawn again for each insert attempt, so a clashing reference code is replaced.
    fresh: () => {
      const now = new Date();
      return {
        child: { firstName: r.firstName, lastName: r.lastName, ...stored },
        searchKeys: pupilSearchKeys({ firstName: r.firstName, lastName: r.lastName, personalCodeMasked: stored.personalCodeMasked }),
        parent: { name: r.parentName, phone: r.parentPhone, email: r.parentEmail, language: r.language ?? 'lv' },
        employer: r.employer,
        sector: r.sector,
        neededFrom: r.neededFrom,
        preferredArea: r.preferredArea,
        note: r.note,
        receivedAt: now,
        status: 'received',
        activeKey: hash,
        referenceCode: newPlacementCode(),
        history: [{ status: 'received', at: now, by: `import:${ctx.importId}`, note: ctx.fileName }],
      };
    },
  };
}

/** Sets the fields while the request is received or waiting; false once it is not (placed, or closed meanwhile). */
async function updateWhileOpen(id: unknown, set: Record<string, unknown>): Promise<boolean> {
  for (let i = 0; i < updateTries; i++) {
    if (await guardedUpdate(PlacementRequestModel, id, editable, {}, { $set: set })) return true;
    // Refused: either the request moved on, or another change of it won the race and this one tries again.
    const now = (await PlacementRequestModel.findById(id, { status: 1 }).lean()) as { status: string } | null;
    if (!now || !editable.includes(now.status as RequestStatus)) return false;
  }
  throw new Error('a placement request kept changing while an import updated it');
}

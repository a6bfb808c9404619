import { MongoClient, ObjectId } from 'mongodb';
const c = await MongoClient.connect('mongodb://127.0.0.1:27099/');
const db = c.db('p1');
const col = db.collection('pupils');
await col.createIndex({ personalCodeHash: 1 }, { unique: true });
await col.createIndex({ institution: 1 });
const insts = Array.from({ length: 100 }, () => new ObjectId());
for (let b = 0; b < 100; b++) {
  const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: new ObjectId(), institution: insts[i % 100], personalCodeHash: `h${b * 1000 + i}`, firstName: 'A', lastName: 'B', class: '5a', guardian: { name: 'x', phone: '+37120000000', email: null, language: 'lv' }, createdByImport: 'imp1' }));
  await col.insertMany(docs, { ordered: false });
}
const one = await col.findOne({ personalCodeHash: 'h4242' });
console.log(JSON.stringify(one));
const t = async (l: string, f: () => Promise<unknown>) => { const s = performance.now(); for (let i = 0; i < 10; i++) await f(); console.log(l, ((performance.now() - s) / 10).toFixed(1), 'ms'); };
await t('by hash', () => col.findOne({ personalCodeHash: 'h99' }));
await t('by _id', () => col.findOne({ _id: one!._id }));
await t('by institution (1000 docs)', () => col.find({ institution: insts[3] }).toArray());
await t('update by _id', () => col.updateOne({ _id: one!._id }, { $set: { x: Math.random() } }));
if (false) {
  try { const r = await col.insertMany([{ personalCodeHash: 'h1' }, { personalCodeHash: 'new1' }, { personalCodeHash: 'h2' }, { personalCodeHash: 'new2' }], { ordered: false }); console.log('no error', r); } catch (e: any) { console.log('dup err', e.code, e.writeErrors?.map((w: any) => [w.index, w.code]), e.insertedCount, e.result?.insertedCount); }
  console.log('new1', !!(await col.findOne({ personalCodeHash: 'new1' })), 'new2', !!(await col.findOne({ personalCodeHash: 'new2' })));
}
await c.close();

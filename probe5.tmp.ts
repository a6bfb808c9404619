import { MongoClient } from 'mongodb';
const c = await MongoClient.connect('mongodb://127.0.0.1:27099/');
const col = c.db('p1').collection('pupils');
await col.findOne({ personalCodeHash: 'h4242' });
console.log('MARK');
await col.findOne({ personalCodeHash: 'h4243' });
await c.close();

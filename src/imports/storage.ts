import mongoose, { Types } from 'mongoose';
import { Readable } from 'node:stream';
import { importBucketName } from '../db.ts';

/**
 * Uploaded files live in the database (GridFS), so any worker on any machine can read them and a
 * retried job finds the same bytes. Files are at most IMPORT_MAX_BYTES, so reading one back whole is fine.
 */
function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: importBucketName });
}

/** Stores the uploaded bytes and returns the file id. */
export async function storeFile(name: string, bytes: Buffer): Promise<Types.ObjectId> {
  const upload = bucket().openUploadStream(name);
  await new Promise<void>((resolve, reject) => {
    Readable.from([bytes]).pipe(upload).on('finish', () => resolve()).on('error', reject);
  });
  return upload.id as Types.ObjectId;
}

/** Reads a stored file back. */
export async function readFile(id: Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(id)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

import zlib from 'node:zlib';
import { inspectZip } from '../../imports/sniff.ts';

export type ZipEntry = {
  name: string;
  data: Buffer;
  store?: boolean;
  // Sizes written into the central directory instead of the true ones: how a crafted zip lies.
  declared?: { compressed?: number; uncompressed?: number };
  // Sizes moved into a ZIP64 extra field, with 0xFFFFFFFF in the 32-bit fields; omitExtra drops the field.
  zip64?: { uncompressed: bigint; compressed: bigint } | { omitExtra: true };
};

/** A zip written byte by byte: local headers with data, central directory, optional ZIP64 records, end record. */
export function makeZip(entries: ZipEntry[], opts: { comment?: string; zip64Eocd?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.store ? e.data : zlib.deflateRawSync(e.data);
    const crc = zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);

    let extra = Buffer.alloc(0);
    let compressed = e.declared?.compressed ?? body.length;
    let uncompressed = e.declared?.uncompressed ?? e.data.length;
    if (e.zip64) {
      compressed = 0xffffffff;
      uncompressed = 0xffffffff;
      if (!('omitExtra' in e.zip64)) {
        extra = Buffer.alloc(20);
        extra.writeUInt16LE(1, 0);
        extra.writeUInt16LE(16, 2);
        extra.writeBigUInt64LE(e.zip64.uncompressed, 4);
        extra.writeBigUInt64LE(e.zip64.compressed, 12);
      }
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(45, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(e.store ? 0 : 8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(compressed, 20);
    cd.writeUInt32LE(uncompressed, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(extra.length, 30);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name, extra);
    offset += local.length + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (opts.zip64Eocd) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(cdBytes.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cdBytes.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const comment = Buffer.from(opts.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(opts.zip64Eocd ? 0xffff : entries.length, 8);
  end.writeUInt16LE(opts.zip64Eocd ? 0xffff : entries.length, 10);
  end.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : cdBytes.length, 12);
  end.writeUInt32LE(opts.zip64Eocd ? 0xffffffff : offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, cdBytes, ...tail, end, comment]);
}

/** The entries of a zip, inflated, in the order they are stored (for rebuilding a zip differently). */
export function unzipEntries(zip: Buffer): ZipEntry[] {
  const r = inspectZip(zip);
  if (!r.ok) throw new Error(r.detail);
  return [...r.parts]
    .sort((a, b) => a.localOffset - b.localOffset)
    .map((p) => {
      const data = zip.subarray(p.dataStart, p.dataStart + p.compressed);
      return { name: p.name, data: p.method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data) };
    });
}

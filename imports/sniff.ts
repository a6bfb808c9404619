/**
 * Telling what an uploaded file really is from its bytes, never its name, and checking an .xlsx's
 * zip directory before any of it is inflated. Users rename files freely (a .pdf saved as .xlsx, an
 * old .xls renamed to .xlsx), and each case deserves its own stable code rather than a parser crash.
 */

import { utf16Of } from './csv.ts';

export type FileKind = 'xlsx' | 'csv' | 'xls' | 'encrypted' | 'unsupported';

/** One zip entry as the central directory describes it; `crc` is the CRC-32 of its uncompressed bytes. */
export type ZipPart = { name: string; localOffset: number; dataStart: number; compressed: number; uncompressed: number; method: number; crc: number };

export type ZipInspection =
  | { ok: true; entries: number; totalUncompressed: number; parts: ZipPart[]; cdOffset: number }
  | { ok: false; code: 'not_a_spreadsheet' | 'opendocument' | 'damaged_file' | 'zip_bomb' | 'too_many_entries'; detail: string };

const zipLocal = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// A password-protected .xlsx is not a zip at all: Office wraps the encrypted package in an OLE
// compound file whose directory (names in UTF-16LE) has a stream called EncryptedPackage.
const encryptedPackage = Buffer.from('EncryptedPackage', 'utf16le');

// Formats people rename to .xlsx or .csv; recognised by signature so that text-looking ones
// (a PDF may have no NUL early on, RTF and HTML are plain text) are not taken for a CSV.
const binarySignatures: Buffer[] = [
  Buffer.from('%PDF'),
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), // PNG
  Buffer.from([0xff, 0xd8, 0xff]), // JPEG
  Buffer.from('GIF87a'),
  Buffer.from('GIF89a'),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]), // empty zip
  Buffer.from([0x50, 0x4b, 0x07, 0x08]), // split zip
  Buffer.from([0x1f, 0x8b]), // gzip
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), // 7z
  Buffer.from('Rar!'),
  Buffer.from('{\\rtf'),
];

// Markup that some systems export with an .xls name (HTML tables, SpreadsheetML 2003); not CSV.
const markupStart = /^\s*<(\?xml|!doctype|html|table)\b/i;

const nulWindow = 4 * 1024;
const textWindow = 64 * 1024;
// Exported CSVs sometimes carry a stray control character (a vertical tab from a Mac cell break);
// binaries are full of them, so a small share is tolerated.
const maxControlShare = 0.01;

/**
 * What the bytes are: 'xlsx' (a zip, still to be confirmed by inspectZip), 'xls', 'encrypted',
 * 'csv' or 'unsupported'. Pass the whole file: an encrypted workbook's OLE directory entry
 * "EncryptedPackage" can be anywhere in it. Text checks look at the first 64 KiB only.
 */
export function sniffFile(head: Buffer): FileKind {
  if (head.length === 0) return 'unsupported';
  if (startsWith(head, zipLocal)) return 'xlsx';
  if (startsWith(head, ole)) {
    // A plain byte search rather than walking the OLE directory chain: both outcomes are refused,
    // the difference is only which message the user sees.
    return head.includes(encryptedPackage) ? 'encrypted' : 'xls';
  }
  if (binarySignatures.some((sig) => startsWith(head, sig))) return 'unsupported';
  // Excel's "Unicode Text": UTF-16 after its byte-order mark, so every other byte of Latin text is NUL.
  const utf16 = utf16Of(head);
  if (utf16) return looksLikeCsv(new TextDecoder(utf16).decode(head.subarray(0, textWindow))) ? 'csv' : 'unsupported';
  if (head.subarray(0, nulWindow).includes(0)) return 'unsupported';
  return looksLikeCsv(sampleText(head.subarray(0, textWindow))) ? 'csv' : 'unsupported';
}

function looksLikeCsv(text: string): boolean {
  if (markupStart.test(text.replace(/^\uFEFF/, ''))) return false;
  return controlShare(text) <= maxControlShare;
}

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.subarray(0, prefix.length).equals(prefix);
}

/** The sample as text the way decodeCsv would read it: UTF-8 if valid, else Windows-1257. */
function sampleText(sample: Buffer): string {
  try {
    // stream: the sample may end inside a multi-byte character; that must not count as invalid.
    return new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return new TextDecoder('windows-1257').decode(sample);
  }
}

/** Share of characters no text file has: C0 controls other than tab, line ends, form feed and DOS EOF; DEL; C1 controls; undecodable bytes. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) bad++;
    } else if ((c >= 0x7f && c <= 0x9f) || c === 0xfffd) bad++;
  }
  return bad / text.length;
}

const sig = { local: 0x04034b50, central: 0x02014b50, eocd: 0x06054b50, zip64Eocd: 0x06064b50, zip64Locator: 0x07064b50 };
const eocdSize = 22;
const maxCommentLength = 0xffff;
const u32Max = 0xffffffff;
const mib = 1024 * 1024;
// Small parts (styles, shared strings of a short list) are highly compressible XML; their ratio
// says nothing about a bomb, and their sizes cannot add up to much.
const ratioFloor = mib;
const requiredParts = ['[Content_Types].xml', 'xl/workbook.xml'];

/**
 * Limits for an uploaded workbook's zip: 256 MiB inflated in all (a 20 MiB upload of plain XML
 * reaches about 200 MiB), at most 100:1 per large entry and overall, at most 10,000 entries.
 */
export const zipLimits = { maxUncompressed: 256 * mib, maxRatio: 100, maxEntries: 10_000 };

/**
 * Checks an .xlsx's zip structure from its central directory without inflating anything: entry
 * count, declared uncompressed sizes (total and ratio to compressed, per entry and overall) and that
 * the workbook parts exist. Declared sizes can lie; openXlsx (xlsxParts.ts) inflates each part
 * the reader will use before reading and refuses one that grows past its declared size.
 *
 * A file that begins as a zip but whose structure is broken (cut off before its directory, or a
 * directory pointing where there is nothing) is `damaged_file`: it was a workbook damaged on its way,
 * and "not a spreadsheet" would send the principal looking for a different file. A sound zip that
 * holds no workbook (a Word document, an archive) is `not_a_spreadsheet`.
 */
export function inspectZip(file: Buffer, limits = zipLimits): ZipInspection {
  const eocd = findEocd(file);
  // Without its end record a file that starts as a zip was cut off; anything else never was one.
  if (eocd < 0) return fail(startsWith(file, zipLocal) ? 'damaged_file' : 'not_a_spreadsheet', 'no end of central directory record');
  const disk = file.readUInt16LE(eocd + 4);
  const cdDisk = file.readUInt16LE(eocd + 6);
  let entries = file.readUInt16LE(eocd + 10);
  let cdSize = file.readUInt32LE(eocd + 12);
  let cdOffset = file.readUInt32LE(eocd + 16);
  // The central directory must end before the record(s) describing it.
  let cdLimit = eocd;

  const locator = eocd - 20;
  if (locator >= 0 && file.readUInt32LE(locator) === sig.zip64Locator) {
    const recordOffset = safeU64(file, locator + 8);
    if (recordOffset === null || recordOffset + 56 > locator || file.readUInt32LE(recordOffset) !== sig.zip64Eocd) {
      return fail('damaged_file', 'bad ZIP64 end of central directory record');
    }
    const total = safeU64(file, recordOffset + 32);
    const size = safeU64(file, recordOffset + 40);
    const offset = safeU64(file, recordOffset + 48);
    if (total === null) return fail('too_many_entries', 'ZIP64 entry count out of range');
    if (size === null || offset === null) return fail('damaged_file', 'ZIP64 directory position out of range');
    if (file.readUInt32LE(recordOffset + 16) !== 0 || file.readUInt32LE(recordOffset + 20) !== 0) {
      return fail('not_a_spreadsheet', 'multi-volume zip');
    }
    entries = total;
    cdSize = size;
    cdOffset = offset;
    cdLimit = recordOffset;
  } else if (cdSize === u32Max || cdOffset === u32Max) {
    return fail('not_a_spreadsheet', 'ZIP64 markers without a ZIP64 record');
  } else if (disk !== 0 || cdDisk !== 0) {
    return fail('not_a_spreadsheet', 'multi-volume zip');
  }
  // Checked before walking so a huge declared count costs nothing. Without ZIP64 a count of 0xFFFF
  // is taken at face value, which is far above any sensible limit anyway.
  if (entries > limits.maxEntries) return fail('too_many_entries', `${entries} entries, at most ${limits.maxEntries}`);
  if (cdOffset + cdSize > cdLimit) return fail('damaged_file', 'central directory outside the file');

  const names = new Set<string>();
  const parts: ZipPart[] = [];
  let total = 0;
  let totalCompressed = 0;
  let pos = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let i = 0; i < entries; i++) {
    if (pos + 46 > cdEnd || file.readUInt32LE(pos) !== sig.central) return fail('damaged_file', `central directory entry ${i + 1} is malformed`);
    const flags = file.readUInt16LE(pos + 8);
    const method = file.readUInt16LE(pos + 10);
    const crc = file.readUInt32LE(pos + 16);
    let compressed = file.readUInt32LE(pos + 20);
    let uncompressed = file.readUInt32LE(pos + 24);
    const nameLength = file.readUInt16LE(pos + 28);
    const extraLength = file.readUInt16LE(pos + 30);
    const commentLength = file.readUInt16LE(pos + 32);
    let localOffset = file.readUInt32LE(pos + 42);
    const next = pos + 46 + nameLength + extraLength + commentLength;
    if (next > cdEnd) return fail('damaged_file', `central directory entry ${i + 1} is malformed`);
    const nameBytes = file.subarray(pos + 46, pos + 46 + nameLength);
    // Part names that matter are ASCII; latin1 maps bytes one to one, so no decoding can fail.
    const name = nameBytes.toString('latin1');
    const shown = printable(name);

    if (uncompressed === u32Max || compressed === u32Max || localOffset === u32Max) {
      const z64 = zip64Extra(file.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength), {
        uncompressed: uncompressed === u32Max,
        compressed: compressed === u32Max,
        offset: localOffset === u32Max,
      });
      if (!z64) return fail('zip_bomb', `${shown}: sizes marked as ZIP64 without ZIP64 data`);
      if (z64.uncompressed !== undefined) uncompressed = z64.uncompressed;
      if (z64.compressed !== undefined) compressed = z64.compressed;
      if (z64.offset !== undefined) localOffset = z64.offset;
      if (!Number.isSafeInteger(uncompressed)) return fail('zip_bomb', `${shown}: declared size out of range`);
      if (!Number.isSafeInteger(compressed) || !Number.isSafeInteger(localOffset)) return fail('damaged_file', `${shown}: position out of range`);
    }

    if (flags & 0x1) return fail('not_a_spreadsheet', `${shown}: encrypted zip entry`);
    if (method !== 0 && method !== 8) return fail('not_a_spreadsheet', `${shown}: compression method ${method}`);
    if (method === 0 && compressed !== uncompressed) return fail('not_a_spreadsheet', `${shown}: stored entry with differing sizes`);
    if (names.has(name)) return fail('not_a_spreadsheet', `${shown}: duplicate entry`);
    names.add(name);

    if (uncompressed >= ratioFloor && uncompressed > compressed * limits.maxRatio) {
      return fail('zip_bomb', `${shown}: ${uncompressed} bytes from ${compressed} (more than ${limits.maxRatio}:1)`);
    }
    total += uncompressed;
    totalCompressed += compressed;
    if (total > limits.maxUncompressed) return fail('zip_bomb', `more than ${limits.maxUncompressed} bytes uncompressed`);

    // The local header is what a streaming reader actually follows; it must be where the directory says.
    if (localOffset + 30 > cdOffset || file.readUInt32LE(localOffset) !== sig.local) return fail('damaged_file', `${shown}: no local header at its offset`);
    const localNameLength = file.readUInt16LE(localOffset + 26);
    const localExtraLength = file.readUInt16LE(localOffset + 28);
    const dataStart = localOffset + 30 + localNameLength + localExtraLength;
    if (!file.subarray(localOffset + 30, localOffset + 30 + localNameLength).equals(nameBytes)) return fail('damaged_file', `${shown}: local header names another entry`);
    if (dataStart + compressed > cdOffset) return fail('damaged_file', `${shown}: data runs into the central directory`);
    parts.push({ name, localOffset, dataStart, compressed, uncompressed, method, crc });
    pos = next;
  }
  if (total >= ratioFloor && total > totalCompressed * limits.maxRatio) {
    return fail('zip_bomb', `${total} bytes from ${totalCompressed} in all (more than ${limits.maxRatio}:1)`);
  }
  if (!names.has('xl/workbook.xml') && isOpenDocumentSpreadsheet(file, parts)) return fail('opendocument', 'an OpenDocument spreadsheet');
  for (const part of requiredParts) {
    if (!names.has(part)) return fail('not_a_spreadsheet', `no ${part}`);
  }
  return { ok: true, entries, totalUncompressed: total, parts, cdOffset };
}

// LibreOffice's own format (.ods, or an .ots template) is a zip too, opening with a stored
// `mimetype` entry naming it; a principal who saved there is told how to save an .xlsx instead of
// that this is no spreadsheet.
const odsTypes = ['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.spreadsheet-template'];

function isOpenDocumentSpreadsheet(file: Buffer, parts: ZipPart[]): boolean {
  const mime = parts.find((p) => p.name === 'mimetype');
  if (!mime || mime.method !== 0 || mime.compressed > 100) return false;
  return odsTypes.includes(file.subarray(mime.dataStart, mime.dataStart + mime.compressed).toString('latin1'));
}

function fail(code: 'not_a_spreadsheet' | 'opendocument' | 'damaged_file' | 'zip_bomb' | 'too_many_entries', detail: string): ZipInspection {
  return { ok: false, code, detail };
}

/** Offset of the End Of Central Directory record, searched backwards over a possible comment; -1 if none. */
function findEocd(file: Buffer): number {
  const lowest = Math.max(0, file.length - eocdSize - maxCommentLength);
  for (let at = file.length - eocdSize; at >= lowest; at--) {
    // The comment length must reach exactly to the end, so a signature inside a comment is not taken.
    if (file.readUInt32LE(at) === sig.eocd && at + eocdSize + file.readUInt16LE(at + 20) === file.length) return at;
  }
  return -1;
}

/** An unsigned 64-bit field as a number, or null when it is past the buffer or not exactly representable. */
function safeU64(file: Buffer, at: number): number | null {
  if (at < 0 || at + 8 > file.length) return null;
  const v = file.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}

/** The ZIP64 extended information field (id 1): only the values whose 32-bit fields were 0xFFFFFFFF, in this order. */
function zip64Extra(extra: Buffer, want: { uncompressed: boolean; compressed: boolean; offset: boolean }): { uncompressed?: number; compressed?: number; offset?: number } | null {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    const body = extra.subarray(at + 4, at + 4 + size);
    if (body.length < size) return null;
    if (id === 0x0001) {
      const out: { uncompressed?: number; compressed?: number; offset?: number } = {};
      let p = 0;
      for (const key of ['uncompressed', 'compressed', 'offset'] as const) {
        if (!want[key]) continue;
        if (p + 8 > body.length) return null;
        // Beyond 2^53 is reported as infinite: out of range for every limit, and no float rounding.
        const v = body.readBigUInt64LE(p);
        out[key] = v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
        p += 8;
      }
      return out;
    }
    at += 4 + size;
  }
  return null;
}

/** An entry name fit for a log line: control characters dropped, length bounded. */
function printable(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}

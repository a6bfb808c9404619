import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { inspectZip, sniffFile, type ZipInspection } from '../../../imports/sniff.ts';
import { makeZip, type ZipEntry as Entry } from '../../support/zip.ts';

const mib = 1024 * 1024;

const contentTypes: Entry = { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') };
const workbook: Entry = { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') };

/** An OLE compound file: 512-byte header, then one directory sector with the given stream names. */
function oleFile(streams: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(0, 0x30);
  const dir = Buffer.alloc(512);
  ['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 64);
    dir[at + 66] = i === 0 ? 5 : 2;
  });
  return Buffer.concat([header, dir, Buffer.alloc(1024)]);
}

function failure(r: ZipInspection): { code: string; detail: string } {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
  return r;
}

describe('sniffFile', () => {
  let xlsx: Buffer;

  before(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Saraksts');
    ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods']);
    ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404']);
    xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  });

  it('takes a zip for an .xlsx candidate', () => {
    expect(sniffFile(xlsx.subarray(0, 64 * 1024))).to.equal('xlsx');
    expect(sniffFile(xlsx)).to.equal('xlsx');
  });

  it('tells an old .xls from a password-protected workbook by the EncryptedPackage stream', () => {
    expect(sniffFile(oleFile(['Workbook', '\u0005SummaryInformation']))).to.equal('xls');
    expect(sniffFile(oleFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']))).to.equal('encrypted');
    const bare = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bare);
    expect(sniffFile(bare)).to.equal('xls');
    expect(sniffFile(Buffer.concat([bare, Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(512)]))).to.equal('encrypted');
  });

  it('refuses renamed documents and images', () => {
    expect(sniffFile(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'))).to.equal('unsupported');
    expect(sniffFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]))).to.equal('unsupported');
    expect(sniffFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]))).to.equal('unsupported');
    expect(sniffFile(Buffer.from('GIF89a\u0001\u0000\u0001\u0000'))).to.equal('unsupported');
    expect(sniffFile(Buffer.from('{\\rtf1\\ansi Klase;Vārds}'))).to.equal('unsupported');
    expect(sniffFile(Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Buffer.alloc(18)]))).to.equal('unsupported');
  });

  it('refuses markup exported under a spreadsheet name', () => {
    expect(sniffFile(Buffer.from('<html><body><table><tr><td>Klase</td></tr></table></body></html>'))).to.equal('unsupported');
    expect(sniffFile(Buffer.from('\ufeff  <?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'))).to.equal('unsupported');
  });

  it('refuses other binaries: a NUL early on, or many control characters', () => {
    const nul = Buffer.from('Klase;Vārds\n5.a;Anna\n');
    expect(sniffFile(Buffer.concat([nul, Buffer.from([0]), nul]))).to.equal('unsupported');
    const noisy = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i % 10 === 0 ? 0x01 : 0x41)));
    expect(sniffFile(noisy)).to.equal('unsupported');
    expect(sniffFile(Buffer.alloc(0))).to.equal('unsupported');
  });

  it('takes Excel’s “Unicode Text” (UTF-16 after its byte-order mark) for CSV, but not binary behind such a mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Klase\tVārds\r\n5.a\tĢirts\r\n', 'utf16le')]);
    expect(sniffFile(le)).to.equal('csv');
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(sniffFile(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).to.equal('csv');
    expect(sniffFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('\u0001\u0002\u0003'.repeat(50), 'utf16le')]))).to.equal('unsupported');
  });

  it('takes UTF-8 (with or without BOM) and Windows-1257 text for CSV', () => {
    expect(sniffFile(Buffer.from('\ufeffKlase;Vārds;Uzvārds\r\n5.a;Ģirts;Šķēle\r\n'))).to.equal('csv');
    expect(sniffFile(Buffer.from('Klase,Vārds\n5.a,Anna\n'))).to.equal('csv');
    // "Šķēle" in Windows-1257: Š=D0 ķ=ED ē=E7.
    expect(sniffFile(Buffer.from([...Buffer.from('Klase;Uzv'), 0xe2, ...Buffer.from('rds\r\n5.a;'), 0xd0, 0xed, 0xe7, ...Buffer.from('le\r\n')]))).to.equal('csv');
    expect(sniffFile(Buffer.from('a'))).to.equal('csv');
  });

  it('takes a 64 KiB head that ends inside a UTF-8 letter for CSV', () => {
    // One ASCII byte, then two-byte letters: byte 65535 is the first half of an 'ā'.
    const text = Buffer.from(`x${'ā'.repeat(40_000)}`);
    const head = text.subarray(0, 64 * 1024);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(head)).to.throw();
    expect(sniffFile(head)).to.equal('csv');
  });

  it('allows a stray control character in a long text', () => {
    const text = Buffer.from(`Klase;Piezīmes\n5.a;pirmā rinda\u000botrā rinda\n${'5.b;ok\n'.repeat(100)}`);
    expect(sniffFile(text)).to.equal('csv');
  });
});

describe('inspectZip', () => {
  let xlsx: Buffer;
  // 50 MiB of zeros deflate to about 50 KiB: a 1000:1 entry, made once for all tests.
  let zeros: Buffer;

  before(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Saraksts');
    ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods']);
    for (let i = 0; i < 200; i++) ws.addRow(['5.a', `Anna ${i}`, 'Bērziņa', '020307-20404']);
    xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    zeros = Buffer.alloc(50 * mib);
  });

  it('accepts a workbook written by exceljs and reports its entries and size', () => {
    const r = inspectZip(xlsx);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.entries).to.be.greaterThan(5);
    expect(r.totalUncompressed).to.be.greaterThan(xlsx.length);
  });

  it('refuses a zip bomb by its declared ratio, without inflating it', () => {
    const bomb = makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: zeros }]);
    expect(bomb.length).to.be.lessThan(mib);
    expect(sniffFile(bomb.subarray(0, 64 * 1024))).to.equal('xlsx');
    const r = failure(inspectZip(bomb));
    expect(r.code).to.equal('zip_bomb');
    expect(r.detail).to.include('xl/worksheets/sheet1.xml');
  });

  it('refuses a bomb even without workbook parts, so it gets the bomb code', () => {
    expect(failure(inspectZip(makeZip([{ name: 'xl/worksheets/sheet1.xml', data: zeros }]))).code).to.equal('zip_bomb');
  });

  it('refuses many small entries whose total ratio is a bomb', () => {
    const small = zeros.subarray(0, 900 * 1024);
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: small }));
    const r = failure(inspectZip(makeZip([contentTypes, workbook, ...entries])));
    expect(r.code).to.equal('zip_bomb');
    expect(r.detail).to.include('in all');
  });

  it('ignores the ratio of entries under 1 MiB: ordinary XML compresses very well', () => {
    const xml = Buffer.from('<c r="A1" s="1"/>'.repeat(50_000));
    expect(xml.length).to.be.lessThan(mib);
    const r = inspectZip(makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: xml }]));
    expect(r.ok).to.equal(true);
  });

  it('refuses more declared bytes than the limit', () => {
    const r = failure(inspectZip(xlsx, { maxUncompressed: 1000, maxRatio: 100, maxEntries: 10_000 }));
    expect(r.code).to.equal('zip_bomb');
    const lying = makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), store: true, declared: { uncompressed: 4, compressed: 4 } }]);
    expect(inspectZip(lying).ok).to.equal(true);
  });

  it('refuses too many entries', () => {
    const r = failure(inspectZip(xlsx, { maxUncompressed: 200 * mib, maxRatio: 100, maxEntries: 3 }));
    expect(r.code).to.equal('too_many_entries');
  });

  it('refuses sizes marked as ZIP64 without ZIP64 data', () => {
    const r = failure(inspectZip(makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), zip64: { omitExtra: true } }])));
    expect(r.code).to.equal('zip_bomb');
  });

  it('reads ZIP64 sizes and end records', () => {
    const honest = makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), store: true, zip64: { uncompressed: 4n, compressed: 4n } }], { zip64Eocd: true });
    const ok = inspectZip(honest);
    expect(ok).to.deep.include({ ok: true, entries: 3 });
    const huge = makeZip([contentTypes, workbook, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), zip64: { uncompressed: 5n * 1024n ** 3n, compressed: 100n } }], { zip64Eocd: true });
    expect(failure(inspectZip(huge)).code).to.equal('zip_bomb');
  });

  it('refuses a zip that is not a workbook: a .docx, a random archive', () => {
    const docx = makeZip([contentTypes, { name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    expect(sniffFile(docx)).to.equal('xlsx');
    const r = failure(inspectZip(docx));
    expect(r.code).to.equal('not_a_spreadsheet');
    expect(r.detail).to.include('xl/workbook.xml');
    expect(failure(inspectZip(makeZip([{ name: 'photo.jpg', data: Buffer.from('x') }]))).code).to.equal('not_a_spreadsheet');
  });

  it('tells a LibreOffice spreadsheet (.ods) by its stored mimetype, and a LibreOffice text document from it', () => {
    const odf = (mime: string) => makeZip([{ name: 'mimetype', data: Buffer.from(mime), store: true }, { name: 'content.xml', data: Buffer.from('<office:document-content/>') }]);
    expect(sniffFile(odf('application/vnd.oasis.opendocument.spreadsheet'))).to.equal('xlsx');
    expect(failure(inspectZip(odf('application/vnd.oasis.opendocument.spreadsheet'))).code).to.equal('opendocument');
    expect(failure(inspectZip(odf('application/vnd.oasis.opendocument.spreadsheet-template'))).code).to.equal('opendocument');
    expect(failure(inspectZip(odf('application/vnd.oasis.opendocument.spreadsheet-extra'))).code).to.equal('not_a_spreadsheet');
    expect(failure(inspectZip(odf('application/vnd.oasis.opendocument.text'))).code).to.equal('not_a_spreadsheet');
  });

  it('finds the end record behind a comment', () => {
    const withComment = makeZip([contentTypes, workbook], { comment: 'x'.repeat(40_000) });
    expect(inspectZip(withComment).ok).to.equal(true);
  });

  it('refuses a malformed or truncated directory as a damaged file, and bytes that were never a zip as not a spreadsheet', () => {
    expect(failure(inspectZip(xlsx.subarray(0, xlsx.length - 10))).code).to.equal('damaged_file');
    expect(failure(inspectZip(xlsx.subarray(0, Math.floor(xlsx.length / 2)))).code).to.equal('damaged_file');
    const junk = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 0x7a)]);
    expect(sniffFile(junk)).to.equal('xlsx');
    expect(failure(inspectZip(junk)).code).to.equal('damaged_file');
    expect(failure(inspectZip(Buffer.alloc(10))).code).to.equal('not_a_spreadsheet');
    // The central directory points at a local header that is not there.
    const shifted = makeZip([contentTypes, workbook]);
    const cd = shifted.readUInt32LE(shifted.length - 22 + 16);
    shifted.writeUInt32LE(7, cd + 42);
    expect(failure(inspectZip(shifted)).code).to.equal('damaged_file');
  });
});

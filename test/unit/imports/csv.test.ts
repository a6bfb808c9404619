import { expect } from 'chai';
import { decodeCsv, parseCsv, type CsvNote } from '../../../imports/csv.ts';

// Windows-1257 bytes of the Latvian letters, as Excel's plain "CSV" writes them.
const cp1257: Record<string, number> = {
  ā: 0xe2, č: 0xe8, ē: 0xe7, ģ: 0xec, ī: 0xee, ķ: 0xed, ļ: 0xef, ņ: 0xf2, š: 0xf0, ū: 0xfb, ž: 0xfe,
  Ā: 0xc2, Č: 0xc8, Ē: 0xc7, Ģ: 0xcc, Ī: 0xce, Ķ: 0xcd, Ļ: 0xcf, Ņ: 0xd2, Š: 0xd0, Ū: 0xdb, Ž: 0xde,
};

/** Encodes ASCII plus Latvian letters in Windows-1257 by hand. */
function encode1257(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const b = cp1257[ch] ?? ch.charCodeAt(0);
    if (b > 0xff) throw new Error(`no byte for ${ch}`);
    return b;
  }));
}

// Rows as parsed, with `notes` only where reading found a quote gone wrong.
const rows = (text: string): Array<{ rowNumber: number; values: unknown[]; notes?: CsvNote[] }> =>
  [...parseCsv(text)].map(({ notes, ...row }) => (notes.length ? { ...row, notes } : row));

describe('decodeCsv', () => {
  it('maps each Latvian letter to the Windows-1257 byte', () => {
    const decoder = new TextDecoder('windows-1257');
    for (const [ch, byte] of Object.entries(cp1257)) expect(decoder.decode(Buffer.from([byte])), `0x${byte.toString(16)}`).to.equal(ch);
  });

  it('reads UTF-8 and strips the BOM', () => {
    const r = decodeCsv(Buffer.from('\ufeffKlase;Vārds\r\n5.a;Ģirts\r\n'));
    expect(r).to.deep.equal({ text: 'Klase;Vārds\r\n5.a;Ģirts\r\n', encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from('Klase;Vārds'))).to.deep.equal({ text: 'Klase;Vārds', encoding: 'utf-8' });
    expect(decodeCsv(Buffer.alloc(0))).to.deep.equal({ text: '', encoding: 'utf-8' });
  });

  it('falls back to Windows-1257 when the bytes are not UTF-8', () => {
    const text = 'Vārds;Uzvārds\r\nĢirts;Šķēle\r\nŽanis;Ļoti Ņiprais Čūska\r\nĀris;Ēķis Īle Ūdre\r\n';
    const bytes = encode1257(text);
    expect(bytes.length).to.equal(text.length);
    expect(bytes.subarray(0, 2)).to.deep.equal(Buffer.from([0x56, 0xe2]));
    expect(decodeCsv(bytes)).to.deep.equal({ text, encoding: 'windows-1257' });
  });

  it('reads Excel’s “Unicode Text”: UTF-16, little- or big-endian, after its byte-order mark', () => {
    const text = 'Klase\tVārds\tUzvārds\r\n3.a\tĢirts\tŠķēle\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(le)).to.deep.equal({ text, encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    expect(decodeCsv(be)).to.deep.equal({ text, encoding: 'utf-16be' });
    expect(rows(decodeCsv(le).text)[1]?.values).to.deep.equal([undefined, '3.a', 'Ģirts', 'Šķēle']);
  });

  it('reads pure ASCII as UTF-8', () => {
    expect(decodeCsv(Buffer.from('a;b\n1;2\n')).encoding).to.equal('utf-8');
  });
});

describe('parseCsv', () => {
  it('yields exceljs-shaped rows: index 0 unused, then strings', () => {
    expect(rows('Klase;Vārds\n5.a;Anna\n')).to.deep.equal([
      { rowNumber: 1, values: [undefined, 'Klase', 'Vārds'] },
      { rowNumber: 2, values: [undefined, '5.a', 'Anna'] },
    ]);
  });

  it('detects semicolon, comma and tab delimiters', () => {
    expect(rows('a;b,c;d\n')[0]?.values).to.deep.equal([undefined, 'a', 'b,c', 'd']);
    expect(rows('a,b,c\n1,"2;3",4\n')[1]?.values).to.deep.equal([undefined, '1', '2;3', '4']);
    expect(rows('a\tb\tc\nx, y\tz\tw\n')[1]?.values).to.deep.equal([undefined, 'x, y', 'z', 'w']);
    expect(rows('Vārds\nAnna\n')[1]?.values).to.deep.equal([undefined, 'Anna']);
  });

  it('does not let a title line or quoted text decide the delimiter', () => {
    const text = 'Saraksts, Rīga, 2020./2021.\n\nKlase;Vārds;Adrese\n5.a;Anna;"Rīga, Brīvības 1, 2"\n';
    expect(rows(text).map((r) => r.values)).to.deep.equal([
      [undefined, 'Saraksts, Rīga, 2020./2021.'],
      [undefined, 'Klase', 'Vārds', 'Adrese'],
      [undefined, '5.a', 'Anna', 'Rīga, Brīvības 1, 2'],
    ]);
    expect(rows('"a,b,c,d";x\n')[0]?.values).to.deep.equal([undefined, 'a,b,c,d', 'x']);
  });

  it('reads quoted fields with doubled quotes and line breaks, numbering rows as Excel does', () => {
    const text = 'Klase;"Vecāka\ntālrunis";Piezīmes\r\n5.a;"+371 2912 3456";"Teica: ""jā"""\r\n5.b;;"divas\r\nrindas"\r\n5.c;1;2\r\n';
    expect(rows(text)).to.deep.equal([
      { rowNumber: 1, values: [undefined, 'Klase', 'Vecāka\ntālrunis', 'Piezīmes'] },
      { rowNumber: 2, values: [undefined, '5.a', '+371 2912 3456', 'Teica: "jā"'] },
      { rowNumber: 3, values: [undefined, '5.b', '', 'divas\r\nrindas'] },
      { rowNumber: 4, values: [undefined, '5.c', '1', '2'] },
    ]);
  });

  it('accepts CRLF, LF and CR line ends, with or without a final one', () => {
    const expected = [[undefined, 'a', 'b'], [undefined, '1', '2']];
    for (const text of ['a;b\r\n1;2\r\n', 'a;b\n1;2\n', 'a;b\r1;2\r', 'a;b\n1;2']) {
      expect(rows(text).map((r) => r.values), JSON.stringify(text)).to.deep.equal(expected);
    }
  });

  it('skips blank rows but keeps counting them', () => {
    const text = '\nKlase;Vārds\n\n;;\n5.a;Anna\n"";""\n5.b;Jānis\n\n';
    expect(rows(text).map((r) => [r.rowNumber, r.values[1]])).to.deep.equal([[2, 'Klase'], [5, '5.a'], [7, '5.b']]);
  });

  it('keeps empty fields and whitespace as they are', () => {
    expect(rows('a;;c;\n')[0]?.values).to.deep.equal([undefined, 'a', '', 'c', '']);
    expect(rows(' a ; b\n')[0]?.values).to.deep.equal([undefined, ' a ', ' b']);
  });

  it('reads stray quotes as Excel does', () => {
    expect(rows('ab"c;d\n')[0]?.values).to.deep.equal([undefined, 'ab"c', 'd']);
    expect(rows('"ab"c;d\n')[0]?.values).to.deep.equal([undefined, 'abc', 'd']);
  });

  it('leaves out a quote never closed, so the rows after it are read as rows, and says so', () => {
    // Excel would read everything after the quote as one cell: the rows below would vanish into it.
    expect(rows('a;"unterminated\nrest;of file\n')).to.deep.equal([
      { rowNumber: 1, values: [undefined, 'a', 'unterminated'], notes: [{ column: 2, code: 'stray_quote' }] },
      { rowNumber: 2, values: [undefined, 'rest', 'of file'] },
    ]);
    const text = 'Klase;Vārds;Uzvārds\r\n5.a;"Jānis;Kalniņš\r\n5.b;Anna;Ozola\r\n';
    expect(rows(text).slice(1)).to.deep.equal([
      { rowNumber: 2, values: [undefined, '5.a', 'Jānis', 'Kalniņš'], notes: [{ column: 2, code: 'stray_quote' }] },
      { rowNumber: 3, values: [undefined, '5.b', 'Anna', 'Ozola'] },
    ]);
  });

  it('marks a quote closed only lines later, over whole records, as rows joined; a cell over two lines is no such thing', () => {
    const joined = '5.a;"Jānis;Kalniņš;150606-20126;planšete\n5.b;Pēteris;Ozols;010101-21237;dators\n5.c;Ilze";Liepa;020202-22228;dators\n';
    const [row, ...rest] = rows(joined);
    expect(row?.notes).to.deep.equal([{ column: 2, code: 'rows_joined' }]);
    expect(row?.values[3]).to.equal('Liepa');
    expect(rest).to.deep.equal([]);
    const address = 'Klase,Vārds,Adrese,Ierīce\n5.a,Anna,"Rīga,\nBrīvības iela 1, dz. 5",dators\n5.b,Jānis,x,dators\n';
    expect(rows(address).map((r) => r.notes ?? [])).to.deep.equal([[], [], []]);
    // A note over two lines with more commas than a short list has, in a list as wide as device needs.
    const wide = 'Klase,Vārds,Uzvārds,Personas kods,Ierīce,Tālrunis,Adrese,Piezīmes\n5.a,Anna,Ozola,010115-12345,dators,,"Brīvības iela 1,\nRīga, Rīgas nov., LV-1010, Latvija","Alerģija:\nrieksti, piens, olas, zivis"\n';
    expect(rows(wide).map((r) => r.notes ?? [])).to.deep.equal([[], []]);
  });

  it('marks a quote left open in a row’s last cell and closed by the next row’s first quoted cell as rows joined', () => {
    const text = 'Klase;Vārds;Uzvārds;Personas kods;Ierīce;Adrese\n5.a;Anna;Ozola;010115-12345;dators;"Rīga\n6.b;"Jānis";Kalniņš;150606-20126;dators;\n7.c;Ilze;Liepa;020202-22228;dators;\n';
    const read = rows(text);
    expect(read[1]?.notes).to.deep.equal([{ column: 6, code: 'rows_joined' }]);
    expect(read.slice(2).map((r) => r.values[2])).to.deep.equal(['Ilze']);
  });

  it('finds the delimiter past a quote in the header that is never closed', () => {
    expect(rows('Vārds,"Uzvārds,Personas kods,Klase\nAnna,Ozola,010115-12345,5.a\n')[1]?.values).to.deep.equal([undefined, 'Anna', 'Ozola', '010115-12345', '5.a']);
  });

  it('reads a Windows-1257 file end to end', () => {
    const { text, encoding } = decodeCsv(encode1257('Klase;Vārds;Uzvārds\r\n3.a;Ģirts;Šķēle\r\n'));
    expect(encoding).to.equal('windows-1257');
    expect(rows(text)[1]).to.deep.equal({ rowNumber: 2, values: [undefined, '3.a', 'Ģirts', 'Šķēle'] });
  });

  it('drops fields beyond Excel\'s last column', () => {
    const [row] = rows(`${';'.repeat(20_000)}x\n`);
    expect(row).to.equal(undefined);
    const [wide] = rows(`x${';y'.repeat(20_000)}\n`);
    expect(wide?.values).to.have.length(16_385);
  });

  it('yields nothing for empty text', () => {
    expect(rows('')).to.deep.equal([]);
    expect(rows('\r\n\r\n')).to.deep.equal([]);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CustomerExportError, readCustomerExport, readCustomerExportFile, type SageCustomerRecord } from './customer-export-reader.ts';

const fixture = (name: string) => path.join(import.meta.dirname, '../../test/fixtures/sage', name);
const zynkSample = (name: string) => path.join(import.meta.dirname, '../../test/fixtures/zynk', name);

async function readAll(file: string): Promise<SageCustomerRecord[]> {
  const records: SageCustomerRecord[] = [];
  await readCustomerExportFile(file, (r) => void records.push(r));
  return records;
}

async function readText(xml: string | Uint8Array, chunkSize = 7): Promise<SageCustomerRecord[]> {
  const records: SageCustomerRecord[] = [];
  async function* chunks() {
    for (let i = 0; i < xml.length; i += chunkSize) yield xml.slice(i, i + chunkSize);
  }
  await readCustomerExport(chunks(), (r) => void records.push(r));
  return records;
}

async function failureOf(promise: Promise<unknown>): Promise<CustomerExportError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CustomerExportError);
  return err as CustomerExportError;
}

describe('Sage customer export reader', () => {
  it("when the seed's sample is read, then every email field is collected, normalised and de-duplicated", async () => {
    const [joe] = await readAll(fixture('customers-export.xml'));
    expect(joe).toMatchObject({ accountReference: 'JOE001', companyName: 'Zynk Software Limited', contactName: 'Joe Harrison', line: 6 });
    expect(joe!.emails).toEqual(['joe@zynk.com', 'accounts@zynk.com', 'sales@zynk.com', 'support@zynk.com', 'joe.harrison@example.com']);
  });

  it('when fields are nested, nil or bank details, then details keep the first two and drop the bank', async () => {
    const [joe] = await readAll(fixture('customers-export.xml'));
    expect(joe!.details).toMatchObject({
      Id: '123',
      DepartmentInfo: { Reference: '4', Name: 'Admin' },
      OverrideNominalCode: null,
      CustomerDeliveryAddress: { Town: 'Newcastle upon Tyne' },
      VatNumber: '796 5763 59',
    });
    expect(JSON.stringify(joe!.details)).not.toContain('12345678');
    expect(joe!.details).not.toHaveProperty('Banks');
  });

  it('when a record has only some fields, then the rest are absent and emails are "not given" rather than empty', async () => {
    const records = await readAll(fixture('customers-export.xml'));
    expect(records.map((r) => r.accountReference)).toEqual(['JOE001', 'DOE001', 'MIN001']);
    expect(records[1]).toMatchObject({ companyName: 'Doe & Daughters', emails: ['john.doe@example.com'] });
    expect(records[2]).toMatchObject({ companyName: null, contactName: null, emails: null });
  });

  it('when a customer nests elements thousands deep, then the file is refused naming the line, not read until the stack runs out', async () => {
    const deep = `<Company><Customers>\n<Customer><AccountReference>D1</AccountReference><Notes>${'<n>'.repeat(5000)}${'</n>'.repeat(5000)}</Notes></Customer></Customers></Company>`;
    const err = await failureOf(readText(deep, 4096));
    expect(err.message).toMatch(/^line 2, column \d+: elements are nested more than 32 deep inside a <Customer>/);
  });

  it("when Zynk's own customer export carries &#x0; in a memo, then every customer is read and the reference is dropped with a warning naming the record", async () => {
    const records = await readAll(zynkSample('Stationary & Computer Mart - Customer Export.xml'));
    expect(records).toHaveLength(30);
    const swan = records.find((r) => r.accountReference === 'SWA001')!;
    expect(swan.warnings).toEqual([
      'customer "SWA001" (line 3139): line 3248: character reference &#x0; dropped (a character XML 1.0 forbids)',
    ]);
    expect(JSON.stringify(swan.details)).toContain('John is on holiday from th 15th December till the new year.');
    expect(JSON.stringify(swan.details)).not.toMatch(/\\u0000|&#x0;/);
    expect(records.filter((r) => r.warnings.length > 0)).toEqual([swan]);
  });

  it("when Zynk's other sample files are read as exports, then they parse and their customers are found", async () => {
    const customersIn = async (name: string) => (await readAll(zynkSample(name))).map((r) => r.companyName);
    expect(await customersIn('Credit note with Sales Payment.xml')).toEqual(['Internetware']);
    expect(await customersIn('Customer with Invoice and Payment.xml')).toEqual(['Internetware']);
    expect(await customersIn('Customer with Sales Order and Card Payment [DOWNLOAD].xml')).toEqual(['Internetware']);
    expect(await customersIn('Invoice with NetValueDiscount Applied.xml')).toEqual([]);
    expect(await customersIn('Sales Order with Minimal Information.xml')).toEqual([]);
  });

  it('when the file arrives in tiny chunks, then the result is the same', async () => {
    const xml =
      '<Company><Customers><Customer><AccountReference>AB1</AccountReference><Email>a@b.co</Email><Email2></Email2></Customer></Customers></Company>';
    expect(await readText(xml, 3)).toEqual([
      {
        line: 1,
        accountReference: 'AB1',
        companyName: null,
        contactName: null,
        emails: ['a@b.co'],
        details: { AccountReference: 'AB1', Email: 'a@b.co', Email2: '' },
        warnings: [],
        tooLong: null,
      },
    ]);
  });

  it('when the file is UTF-16 with a byte-order mark, then it is read', async () => {
    const xml =
      '\ufeff<Company><Customers><Customer><AccountReference>ZOE1</AccountReference><CompanyName>Zoë</CompanyName></Customer></Customers></Company>';
    const records = await readText(new Uint8Array(Buffer.from(xml, 'utf16le')), 5);
    expect(records[0]).toMatchObject({ accountReference: 'ZOE1', companyName: 'Zoë' });
  });

  it('when the file declares windows-1252, then its accents are read correctly', async () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><Company><Customers><Customer><CompanyName>Zo'),
      Buffer.from([0xeb]),
      Buffer.from('</CompanyName></Customer></Customers></Company>'),
    ]);
    expect((await readText(new Uint8Array(bytes), 1000))[0]!.companyName).toBe('Zoë');
  });

  it('when the XML is malformed, then the error names the line and column', async () => {
    const err = await failureOf(readAll(fixture('malformed.xml')));
    expect(err.line).toBe(10);
    expect(err.message).toMatch(/^line 10, column \d+: unexpected close tag/);
  });

  it('when the file is a billion-laughs bomb, then it is refused at the DOCTYPE without expanding anything', async () => {
    const err = await failureOf(readAll(fixture('billion-laughs.xml')));
    expect(err.message).toContain('DOCTYPE');
  });

  it('when the file declares an external entity, then it is refused and the entity never resolved', async () => {
    const err = await failureOf(readAll(fixture('external-entity.xml')));
    expect(err.message).toContain('DOCTYPE');
    expect(err.message).not.toContain('root:');
  });

  it('when an entity is used without any declaration, then it is an error, not an empty value', async () => {
    const err = await failureOf(
      readText('<Company><Customers><Customer><CompanyName>&xxe;</CompanyName></Customer></Customers></Company>'),
    );
    expect(err.message).toContain('undefined entity');
  });

  it('when the root is not <Company>, then the file is refused as not being a customer export', async () => {
    const err = await failureOf(readText('<Invoices><Invoice/></Invoices>'));
    expect(err.message).toContain('the root element is <Invoices>');
  });

  it('when the file is empty, then it is refused', async () => {
    const err = await failureOf(readText(''));
    expect(err.message).toContain('root element');
  });

  it('when the file declares an unsupported encoding, then it is refused naming it', async () => {
    const err = await failureOf(readText(new Uint8Array(Buffer.from('<?xml version="1.0" encoding="EBCDIC-US"?><Company/>'))));
    expect(err.message).toContain('EBCDIC-US');
  });
});

describe('Sage customer export reader: rarely used branches', () => {
  async function* whole(xml: string) {
    yield xml;
  }
  const customers = (...records: string[]) =>
    `<Company><Customers>${records.map((r) => `<Customer>${r}</Customer>`).join('')}</Customers></Company>`;

  it('when references are dropped inside and outside records, then each record names its own, on its first and last lines too, and the rest are the file’s warnings', async () => {
    const xml = [
      '<Company><Name>A&#x0;B</Name><Customers>',
      '<Customer><AccountReference>R1</AccountReference><Notes>x&#x1;</Notes>',
      '<Memo>y&#x2;</Memo></Customer>',
      '<Customer><Memo>&#x3;</Memo></Customer>',
      '</Customers></Company>',
    ].join('\n');
    const records: SageCustomerRecord[] = [];
    const read = await readCustomerExport(whole(xml), (r) => void records.push(r));
    const dropped = (line: number, n: number) => `line ${line}: character reference &#x${n}; dropped (a character XML 1.0 forbids)`;
    expect(read).toEqual({ customers: 2, warnings: [dropped(1, 0)] });
    expect(records.map((r) => r.warnings)).toEqual([
      [`customer "R1" (line 2): ${dropped(2, 1)}`, `customer "R1" (line 2): ${dropped(3, 2)}`],
      [`the customer at line 4: ${dropped(4, 3)}`],
    ]);
  });

  it('when a clean file is read, then it counts its customers and has no warnings', async () => {
    expect(await readCustomerExport(whole(customers('<AccountReference>A</AccountReference>', '')), () => undefined)).toEqual({
      customers: 2,
      warnings: [],
    });
  });

  it('when the parser refuses the file, then the message is its reason at the line and column, without its own position prefix or final stop', async () => {
    expect((await failureOf(readText('<Company>\n</Customers>'))).message).toBe('line 2, column 12: unexpected close tag');
    expect((await failureOf(readText('<Company><Customers><Customer></Company>', 100))).message).toBe(
      'line 1, column 40: unexpected close tag',
    );
    const unclosed = await failureOf(readText('<Company><Customers.List>', 100));
    expect(unclosed.message).toMatch(/: unclosed tag: Customers\.List$/);
    const version = await failureOf(readText('<?xml version="2.0"?><Company/>', 100));
    expect(version.message).toMatch(/version number must match \/\^1\\\.\[0-9\]\+\$\/$/);
  });

  it('when the file cannot be decoded, then the error has no position and is a CustomerExportError', async () => {
    const err = await failureOf(readText(new Uint8Array(Buffer.from('<?xml version="1.0" encoding="EBCDIC-US"?><Company/>'))));
    expect(err).toMatchObject({ name: 'CustomerExportError', line: null, column: null });
    expect(err.message).toBe(err.problem);
  });

  it('when a customer nests exactly 32 levels, then it is read; one more is refused', async () => {
    const nested = (n: number) => customers(`${'<n>'.repeat(n)}${'</n>'.repeat(n)}`);
    expect(await readText(nested(31), 100)).toHaveLength(1);
    expect((await failureOf(readText(nested(32), 100))).message).toContain('nested more than 32 deep');
  });

  it('when a field says xsi:nil="true", then it is null; nil="false" or another attribute "true" keep its text', async () => {
    const [record] = await readText(customers('<A xsi:nil="true"/><B xsi:nil="false">b</B><C flag="true">c</C><D nil="true">ignored</D>'));
    expect(record!.details).toEqual({ A: null, B: 'b', C: 'c', D: null });
  });

  it('when <Customer> appears anywhere but Company/Customers, then it is not a record', async () => {
    const xml =
      '<Company><Customer><AccountReference>X1</AccountReference></Customer><Suppliers><Customer/></Suppliers>' +
      '<Customers><Group><Customer/></Group><Supplier><AccountReference>X2</AccountReference></Supplier>' +
      '<Customer><AccountReference>OK1</AccountReference></Customer></Customers></Company>';
    expect((await readText(xml, 50)).map((r) => r.accountReference)).toEqual(['OK1']);
  });

  it('when bank details are the only content of a field, then none of their text is kept', async () => {
    const [record] = await readText(customers('<Extra><Banks><Bank><AccountNumber>12345678</AccountNumber></Bank></Banks></Extra>'));
    expect(record!.details).toEqual({ Extra: '' });
  });

  it('when values are padded, empty, repeated or hold elements, then they are trimmed, "not given", the last one, and no email', async () => {
    const [record] = await readText(
      customers(
        '<AccountReference></AccountReference><CompanyName>  Zoe Ltd  </CompanyName><Email>a@b.co</Email><Email>c@d.co</Email><Email2><x>e@f.co</x></Email2>',
      ),
    );
    expect(record).toMatchObject({ accountReference: null, companyName: 'Zoe Ltd', emails: ['a@b.co', 'c@d.co'] });
    expect(record!.details).toEqual({ AccountReference: '', CompanyName: 'Zoe Ltd', Email: 'c@d.co', Email2: { x: 'e@f.co' } });
  });

  it('when a field is longer than Sage allows, then the first such field is named with its length; at the limit it is not', async () => {
    const tooLong = async (fields: string) => (await readText(customers(fields), 13))[0]!.tooLong;
    expect(await tooLong(`<CompanyName>${'c'.repeat(60)}</CompanyName>`)).toBeNull();
    expect(await tooLong(`<CompanyName>${'c'.repeat(61)}</CompanyName><Town>${'t'.repeat(99)}</Town>`)).toBe(
      'CompanyName is 61 characters; Sage allows 60',
    );
    expect(await tooLong(`<CustomerInvoiceAddress><Forename>${'f'.repeat(31)}</Forename></CustomerInvoiceAddress>`)).toBe(
      'CustomerInvoiceAddress/Forename is 31 characters; Sage allows 30',
    );
  });

  it('when a field is far longer than its limit, then only twice the limit is kept, the real length is reported, and a long field within its limit is kept whole', async () => {
    const [record] = await readText(customers(`<Notes>${'n'.repeat(10_000)}</Notes><Memo>${'m'.repeat(900)}</Memo>`), 7);
    expect(record!.tooLong).toBe('Notes is 10000 characters; Sage allows 1000');
    expect(record!.details.Notes).toBe('n'.repeat(2064));
    expect(record!.details.Memo).toBe('m'.repeat(900));
  });

  it('when a field comes in pieces around CDATA, then the pieces are kept together up to twice the limit', async () => {
    const [record] = await readText(customers(`<Notes>${'a'.repeat(1500)}<![CDATA[${'b'.repeat(1500)}]]>${'c'.repeat(1500)}</Notes>`), 100);
    expect(record!.details.Notes).toBe(`${'a'.repeat(1500)}${'b'.repeat(564)}`);
    expect(record!.tooLong).toBe('Notes is 4500 characters; Sage allows 1000');
  });

  it('when a field over its limit is padded, then its length is counted without the padding', async () => {
    const [record] = await readText(customers(`<CompanyName>   ${'c'.repeat(61)}   </CompanyName>`));
    expect(record!.tooLong).toBe('CompanyName is 61 characters; Sage allows 60');
  });

  it('when each field Sage limits is at its limit, then the record is kept; one more character and it is refused naming that limit', async () => {
    const limits: Array<[string, number]> = [
      ['AccountReference', 8],
      ...['CompanyName', 'Company'].map((f): [string, number] => [f, 60]),
      ...['Title', 'Forename', 'Surname', 'ContactName', 'TradeContact'].map((f): [string, number] => [f, 30]),
      ...['Address1', 'Address2', 'Address3', 'Address4', 'Address5', 'Town', 'County', 'Postcode'].map((f): [string, number] => [f, 60]),
      ...['Telephone', 'Telephone2', 'Fax', 'Mobile'].map((f): [string, number] => [f, 30]),
      ...['Email', 'Email2', 'Email3', 'Email4', 'Email5', 'Email6'].map((f): [string, number] => [f, 255]),
      ...['Email7', 'MyEmail', 'EmailNotes', 'Notes'].map((f): [string, number] => [f, 1000]),
    ];
    for (const [field, limit] of limits) {
      const at = await readText(customers(`<${field}>${'a'.repeat(limit)}</${field}>`), 500);
      const over = await readText(customers(`<${field}>${'a'.repeat(limit + 1)}</${field}>`), 500);
      expect([field, at[0]!.tooLong]).toEqual([field, null]);
      expect(over[0]!.tooLong).toBe(`${field} is ${limit + 1} characters; Sage allows ${limit}`);
    }
  });

  it('when fields are named Email to Email6, then only those are collected as the record’s emails', async () => {
    const fields = ['Email', 'Email2', 'Email6', 'Email7', 'MyEmail', 'EmailNotes'].map((f, i) => `<${f}>p${i}@x.co</${f}>`);
    const [record] = await readText(customers(fields.join('')));
    expect(record!.emails).toEqual(['p0@x.co', 'p1@x.co', 'p2@x.co']);
    const [none] = await readText(customers('<MyEmail>q@x.co</MyEmail><Email7>r@x.co</Email7>'));
    expect(none!.emails).toBeNull();
  });

  it('when element names carry a namespace prefix, then the fields are read by their local names', async () => {
    const xml =
      '<z:Company xmlns:z="urn:z"><z:Customers><z:Customer><z:AccountReference>NS1</z:AccountReference></z:Customer></z:Customers></z:Company>';
    expect((await readText(xml))[0]).toMatchObject({ accountReference: 'NS1', details: { AccountReference: 'NS1' } });
  });
});

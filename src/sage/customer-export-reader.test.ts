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

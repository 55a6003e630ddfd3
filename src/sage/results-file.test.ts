import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import { parseResultsFile, parseResultsStream } from './results-file.ts';

const zynk = `<?xml version="1.0" encoding="utf-8"?>
<Company xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <Customers>
    <Customer>
      <Errors />
      <Id>guest-ann@example.com</Id>
      <AccountReference>ANNB01</AccountReference>
    </Customer>
  </Customers>
  <SalesOrders>
    <SalesOrder>
      <Errors>
        <Error>
          <Name>Validation</Name>
          <Description>Product code MUG-1 was not found &amp; Auto Create Products is off</Description>
        </Error>
        <Error>Account on hold</Error>
      </Errors>
      <Id>1001</Id>
    </SalesOrder>
    <SalesOrder>
      <Errors />
      <Id>1002</Id>
      <SalesOrderNumber>345</SalesOrderNumber>
    </SalesOrder>
    <SalesOrder><Errors /></SalesOrder>
  </SalesOrders>
</Company>`;

describe('parseResultsFile', () => {
  it("when Zynk's result file is read, then records with errors failed (with the errors as message) and the others imported", () => {
    expect(parseResultsFile(zynk)).toEqual({
      format: 'zynk-xml',
      results: [
        { kind: 'customer', documentId: 'guest-ann@example.com', outcome: 'imported', message: '' },
        {
          kind: 'sales_order',
          documentId: '1001',
          outcome: 'failed',
          message: 'Validation: Product code MUG-1 was not found & Auto Create Products is off; Account on hold',
        },
        { kind: 'sales_order', documentId: '1002', outcome: 'imported', message: 'Sage sales order 345' },
      ],
      problems: ['SalesOrders/SalesOrder[3] has no Id'],
    });
  });

  it('when the outcome is given, then it applies to every record (a Zynk fail file whose records carry no errors)', () => {
    expect(parseResultsFile(zynk, { outcome: 'failed' }).results.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed']);
    const bare = '<Company><SalesOrders><SalesOrder><Id>7</Id></SalesOrder></SalesOrders></Company>';
    expect(parseResultsFile(bare, { outcome: 'failed' }).results).toEqual([
      {
        kind: 'sales_order',
        documentId: '7',
        outcome: 'failed',
        message:
          "in the importer's fail file without an error: if Zynk skipped it as a duplicate (Prevent Duplicates), Sage has it; check and mark it imported",
      },
    ]);
  });

  it('when a sales order or credit note was skipped by Prevent Duplicates, then it is imported with the note, even from a fail file; a customer is not', () => {
    const fail = `<Company>
      <Customers><Customer><Errors><Error>Account reference ANN01 already imported</Error></Errors><Id>guest-ann@example.com</Id></Customer></Customers>
      <SalesOrders><SalesOrder><Errors><Error><Name>Duplicate</Name><Description>Order 1001 has already been processed</Description></Error></Errors><Id>1001</Id></SalesOrder></SalesOrders>
      <Invoices><Invoice><Errors><Error>Skipped: duplicate Id</Error></Errors><Id>88001</Id></Invoice></Invoices>
    </Company>`;
    for (const outcome of [undefined, 'failed'] as const) {
      expect(parseResultsFile(fail, { outcome }).results).toEqual([
        { kind: 'customer', documentId: 'guest-ann@example.com', outcome: 'failed', message: 'Account reference ANN01 already imported' },
        {
          kind: 'sales_order',
          documentId: '1001',
          outcome: 'imported',
          message: 'already in Sage (skipped by the importer as a duplicate: Duplicate: Order 1001 has already been processed)',
        },
        {
          kind: 'credit_note',
          documentId: '88001',
          outcome: 'imported',
          message: 'already in Sage (skipped by the importer as a duplicate: Skipped: duplicate Id)',
        },
      ]);
    }
  });

  it("when a Company document's records carry no <Errors> (a document woo-sage delivered) and no outcome is given, then it is refused", () => {
    const delivered = readFileSync(
      path.join(import.meta.dirname, '../../test/fixtures/zynk/Customer with Sales Order and Card Payment [DOWNLOAD].xml'),
      'utf8',
    );
    expect(() => parseResultsFile(delivered)).toThrow(
      "the file is not an importer's results file: 2 of its 2 records carry no <Errors> element",
    );
    const mixed =
      '<Company><SalesOrders><SalesOrder><Errors/><Id>1</Id></SalesOrder><SalesOrder><Id>2</Id></SalesOrder></SalesOrders></Company>';
    expect(() => parseResultsFile(mixed)).toThrow('1 of its 2 records carry no <Errors> element');
    expect(() => parseResultsFile('<Company><Products/></Company>')).toThrow(
      'has no Customers/Customer, SalesOrders/SalesOrder or Invoices/Invoice records',
    );
    expect(() => parseResultsFile('<Company><SalesOrders><SalesOrder><Errors/></SalesOrder></SalesOrders></Company>')).toThrow(
      'no record that can be applied (SalesOrders/SalesOrder[1] has no Id); nothing was changed',
    );
    expect(() => parseResultsFile('Id,Status\n')).toThrow('no record that can be applied');
  });

  it('when a CSV of Id, Status and Message is read, then quoted fields and several status words are understood', () => {
    const csv =
      'Id,Status,Message,Kind\r\n1001,imported,,sales order\n"guest-x@example.com",FAILED,"Name too long, ""Ann""",customer\n1003,maybe,x\n,ok\n\n';
    expect(parseResultsFile(csv)).toEqual({
      format: 'csv',
      results: [
        { kind: 'sales_order', documentId: '1001', outcome: 'imported', message: '' },
        { kind: 'customer', documentId: 'guest-x@example.com', outcome: 'failed', message: 'Name too long, "Ann"' },
      ],
      problems: ['line 4: status "maybe" is not imported or failed', 'line 5: no Id'],
    });
  });

  it('when the file is not XML a results file can be, then it is refused with a clear reason', () => {
    expect(() => parseResultsFile('')).toThrow('the results file is empty');
    expect(() => parseResultsFile('<Company><SalesOrders></Company>')).toThrow(/not well-formed XML/);
    expect(() => parseResultsFile('<Invoices/>')).toThrow('expected a Zynk <Company> document');
    expect(() => parseResultsFile('OrderId;Result\n1;ok')).toThrow(ValidationError);
    expect(() => parseResultsFile('<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><Company>&x;</Company>')).toThrow(
      /not well-formed/,
    );
  });
});

describe('parseResultsFile: rarely used branches', () => {
  it('when a file has no record at all, then the refusal says so', () => {
    expect(() => parseResultsFile('  \n ')).toThrow(new ValidationError('the results file is empty'));
    expect(() => parseResultsFile('Id,Status\n')).toThrow(
      'the results file has no record that can be applied (it has no records); nothing was changed',
    );
  });

  it('when the XML is not well-formed, then the refusal is a validation error naming the parser’s reason', () => {
    expect(() => parseResultsFile('<Company><SalesOrders></Company>')).toThrow(
      expect.objectContaining({ name: 'ValidationError', message: expect.stringMatching(/^the results file is not well-formed XML: /) }),
    );
  });

  it('when an error element is empty, names only itself, or has only a message, then it is described by what it has', () => {
    const record = (errors: string, id: string) => `<SalesOrder><Errors>${errors}</Errors><Id>${id}</Id></SalesOrder>`;
    const xml = `<Company><SalesOrders>${[
      record('<Error/>', '1'),
      record('<Error><Name>Validation</Name></Error>', '2'),
      record('<Error><Message>Account on hold</Message></Error>', '3'),
      record('<Error>  Stock too low  </Error>', '4'),
    ].join('')}</SalesOrders></Company>`;
    expect(parseResultsFile(xml).results.map((r) => [r.documentId, r.outcome, r.message])).toEqual([
      ['1', 'imported', ''],
      ['2', 'failed', 'Validation'],
      ['3', 'failed', 'Account on hold'],
      ['4', 'failed', 'Stock too low'],
    ]);
  });

  it('when an imported credit note carries its invoice number, then the message names the Sage credit note', () => {
    const xml = '<Company><Invoices><Invoice><Errors/><Id>88001</Id><InvoiceNumber>77</InvoiceNumber></Invoice></Invoices></Company>';
    expect(parseResultsFile(xml).results).toEqual([
      { kind: 'credit_note', documentId: '88001', outcome: 'imported', message: 'Sage credit note 77' },
    ]);
  });

  it('when a CSV names its columns with the other accepted words, padded and in any order, then they are understood', () => {
    const a = parseResultsFile(' Document Id , Outcome , Error , Type \n1,success,,SalesOrder\n2,fail,Out of stock,sales-order');
    const b = parseResultsFile(
      'Kind,Message,Result,DocumentId\nCredit Note,,true,88001\ninvoice,x,false,88002\ncreditnote,,ok,88003\ncustomer,,ok,c-1\nthing,,ok,9',
    );
    expect(a.results).toEqual([
      { kind: 'sales_order', documentId: '1', outcome: 'imported', message: '' },
      { kind: 'sales_order', documentId: '2', outcome: 'failed', message: 'Out of stock' },
    ]);
    expect(b.results).toEqual([
      { kind: 'credit_note', documentId: '88001', outcome: 'imported', message: '' },
      { kind: 'credit_note', documentId: '88002', outcome: 'failed', message: 'x' },
      { kind: 'credit_note', documentId: '88003', outcome: 'imported', message: '' },
      { kind: 'customer', documentId: 'c-1', outcome: 'imported', message: '' },
      { kind: null, documentId: '9', outcome: 'imported', message: '' },
    ]);
  });

  it('when a status is any of the accepted words in any case, then it reads as imported or failed', () => {
    const words = ['imported', 'Success', 'succeeded', 'OK', 'true', 'failed', 'FAIL', 'failure', 'error', 'false'];
    const csv = ['Id,Status', ...words.map((w, i) => `${i},${w}`)].join('\n');
    expect(parseResultsFile(csv).results.map((r) => r.outcome)).toEqual([...Array(5).fill('imported'), ...Array(5).fill('failed')]);
  });

  it('when a CSV header lacks Id, or Status without a given outcome, then it is refused quoting the header', () => {
    expect(() => parseResultsFile('OrderId,Result\n1,ok')).toThrow(
      new ValidationError('the results CSV needs a header with Id and Status columns (got "orderid,result")'),
    );
    expect(() => parseResultsFile('Id,Note\n1,x')).toThrow('needs a header with Id and Status columns (got "id,note")');
    expect(() => parseResultsFile(`Id,${'x'.repeat(300)}\n1,ok`)).toThrow(`(got "id,${'x'.repeat(197)}")`);
    expect(parseResultsFile('Id,Note\n1,x', { outcome: 'failed' }).results).toEqual([
      { kind: null, documentId: '1', outcome: 'failed', message: '' },
    ]);
  });

  it('when CSV rows are short, blank or carry an Id too long, then each is a problem naming its line or is skipped', () => {
    const csv = ['Status,Id,Message,Kind', 'ok', ' , ,', `ok,${'9'.repeat(256)}`, `ok,${'8'.repeat(255)}`, 'ok,7', 'failed,6,,'].join('\n');
    expect(parseResultsFile(csv)).toEqual({
      format: 'csv',
      results: [
        { kind: null, documentId: '8'.repeat(255), outcome: 'imported', message: '' },
        { kind: null, documentId: '7', outcome: 'imported', message: '' },
        { kind: null, documentId: '6', outcome: 'failed', message: '' },
      ],
      problems: ['line 2: no Id', 'line 4: Id is 256 characters; a document Id is at most 255'],
    });
    expect(parseResultsFile('Id,Status\n5\n6,ok').problems).toEqual(['line 2: status "" is not imported or failed']);
  });

  it('when the message or kind is the first column, then it is read', () => {
    expect(parseResultsFile('Message,Id,Status\nOut of stock,1,failed').results[0]!.message).toBe('Out of stock');
    expect(parseResultsFile('Kind,Id,Status\ncustomer,c-1,ok').results[0]!.kind).toBe('customer');
  });

  it('when CSV cells are padded, then Id, status and message are read without the padding; a long unknown status is quoted to 60 characters', () => {
    expect(parseResultsFile('Id,Status,Description\n 7 , ok , Out of stock \n').results).toEqual([
      { kind: null, documentId: '7', outcome: 'imported', message: 'Out of stock' },
    ]);
    expect(parseResultsFile(`Id,Status\n8,${'s'.repeat(100)}\n9,ok`).problems).toEqual([
      `line 2: status "${'s'.repeat(60)}" is not imported or failed`,
    ]);
  });

  it('when a sales order was "already imported" (without "been"), then it is a skipped duplicate', () => {
    const xml =
      '<Company><SalesOrders><SalesOrder><Errors><Error>Order 5 already imported</Error></Errors><Id>5</Id></SalesOrder></SalesOrders></Company>';
    expect(parseResultsFile(xml).results[0]).toMatchObject({ documentId: '5', outcome: 'imported' });
  });

  it('when a CSV has more than 100 bad lines, then 100 are named and the rest counted', () => {
    const bad = Array.from({ length: 103 }, (_, i) => `${i + 1},maybe`);
    const { problems } = parseResultsFile(['Id,Status', ...bad, '999,ok'].join('\n'));
    expect(problems).toHaveLength(101);
    expect(problems[99]).toBe('line 101: status "maybe" is not imported or failed');
    expect(problems[100]).toBe('… and 3 more problems');
  });
});

describe('parseResultsStream', () => {
  async function* chunked(...chunks: string[]) {
    yield* chunks;
  }

  it('when the first characters are white space or a byte-order mark, then the format is decided by the first real one', async () => {
    expect(
      await parseResultsStream(
        chunked('\uFEFF', '  \n', '  <Company><SalesOrders><SalesOrder>', '<Errors/><Id>7</Id></SalesOrder>', '</SalesOrders></Company>'),
      ),
    ).toEqual({
      format: 'zynk-xml',
      results: [{ kind: 'sales_order', documentId: '7', outcome: 'imported', message: '' }],
      problems: [],
    });
    expect(await parseResultsStream(chunked('\uFEFF"Id","Sta', 'tus"\n1,o', 'k\n2,failed,'))).toEqual({
      format: 'csv',
      results: [
        { kind: null, documentId: '1', outcome: 'imported', message: '' },
        { kind: null, documentId: '2', outcome: 'failed', message: '' },
      ],
      problems: [],
    });
  });

  it('when the outcome is given, then a streamed CSV without Status uses it', async () => {
    expect((await parseResultsStream(chunked('Id\n', '3\n'), { outcome: 'failed' })).results).toEqual([
      { kind: null, documentId: '3', outcome: 'failed', message: '' },
    ]);
  });

  it('when a streamed CSV holds a byte-order mark inside a value, then only a leading one is dropped', async () => {
    expect((await parseResultsStream(chunked('Id,Status,Message\n1,failed,a\uFEFFb'))).results[0]!.message).toBe('a\uFEFFb');
  });

  it('when the source cannot be closed early (no return method), then reading it still works', async () => {
    const chunks = ['Id,Status\n', '1,ok\n'];
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => (chunks.length > 0 ? { done: false, value: chunks.shift()! } : { done: true, value: undefined }),
      }),
    };
    expect((await parseResultsStream(source)).results).toEqual([{ kind: null, documentId: '1', outcome: 'imported', message: '' }]);
  });

  it('when the stream is empty or only white space, then it is refused as empty', async () => {
    await expect(parseResultsStream(chunked())).rejects.toThrow(new ValidationError('the results file is empty'));
    await expect(parseResultsStream(chunked(' ', '\n\uFEFF'))).rejects.toThrow(new ValidationError('the results file is empty'));
  });

  it('when the header is refused, then the source is closed without reading the rest', async () => {
    let closed = false;
    let read = 0;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: ++read === 1 ? 'Order,Result\n' : '1,ok\n' }),
        return: async () => {
          closed = true;
          return { done: true, value: undefined };
        },
      }),
    };
    await expect(parseResultsStream(source)).rejects.toThrow('needs a header with Id and Status columns');
    expect(closed).toBe(true);
    expect(read).toBe(1);
  });
});

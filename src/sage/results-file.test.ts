import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import { parseResultsFile } from './results-file.ts';

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

import { describe, expect, it } from 'vitest';
import { checkDocument } from './check-document.ts';

describe('checkDocument', () => {
  it('when a document is the element its kind calls for with the expected Id, then it passes', () => {
    expect(checkDocument({ kind: 'sales_order', documentId: '42', document: '<SalesOrder><Id>42</Id></SalesOrder>' })).toBeNull();
    expect(checkDocument({ kind: 'credit_note', documentId: '7', document: '<Invoice><Id>7</Id></Invoice>' })).toBeNull();
  });

  it('when a document is broken, of another kind, or carries another Id, then the problem is named', () => {
    expect(checkDocument({ kind: 'sales_order', documentId: '42', document: '<SalesOrder><Id>42</Id>' })).toMatch(/not well-formed/);
    expect(checkDocument({ kind: 'customer', documentId: 'c', document: '<SalesOrder><Id>c</Id></SalesOrder>' })).toBe(
      'the document is a <SalesOrder>, expected <Customer>',
    );
    expect(checkDocument({ kind: 'sales_order', documentId: '42', document: '<SalesOrder><Id>43</Id></SalesOrder>' })).toBe(
      'the SalesOrder document\'s Id "43" is not "42"',
    );
    expect(checkDocument({ kind: 'sales_order', documentId: null, document: '<SalesOrder/>' })).toBe('the SalesOrder document has no Id');
  });

  it('when a document declares an external entity, then it is refused without reading it', () => {
    const xml = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SalesOrder><Id>&e;</Id></SalesOrder>';
    expect(checkDocument({ kind: 'sales_order', documentId: '1', document: xml })).toMatch(/not well-formed/);
  });
});

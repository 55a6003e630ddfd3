import { parseDecimal, rescaleExact } from '../domain/money.ts';
import { sageTotals, type SageLineFields } from '../domain/pricing/sage-arithmetic.ts';
import { parseTaxRate, type TaxRate } from '../domain/pricing/tax-rate.ts';
import type { DiscountMode } from '../domain/pricing/types.ts';
import { childElement, childElements, childText, parseXmlTree, XmlParseError, type XmlElement } from './xml-tree.ts';

/** What Sage will book for one stored document, in minor units. */
export interface DocumentAmounts {
  net: number;
  vat: number;
  gross: number;
  /** Net and VAT per Sage T-code, for the VAT return. */
  byTaxCode: Map<number, { net: number; vat: number }>;
}

export class DocumentAmountsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentAmountsError';
  }
}

/** The T-code → rate table of the settings (`sageTaxRates`), read once per ledger. */
export function sageRateTable(sageTaxRates: Readonly<Record<string, string>>): Map<number, TaxRate> {
  const table = new Map<number, TaxRate>();
  for (const [code, percent] of Object.entries(sageTaxRates)) table.set(Number(code), parseTaxRate(percent));
  return table;
}

/** The lines of each element kind: a sales order's and a credit note's (Invoice). */
const ITEMS_OF: Record<string, string> = { SalesOrder: 'SalesOrderItems', Invoice: 'InvoiceItems' };

function minor(text: string, field: string): number {
  try {
    return Number(rescaleExact(parseDecimal(text), 2));
  } catch {
    throw new DocumentAmountsError(`${field} ${JSON.stringify(text.slice(0, 40))} is not an amount in whole pennies`);
  }
}

function readLine(line: XmlElement, field: string, rates: ReadonlyMap<number, TaxRate>): SageLineFields & { taxCode: number } {
  const qtyText = childText(line, 'QtyOrdered');
  if (!/^\d{1,9}$/.test(qtyText))
    throw new DocumentAmountsError(`${field}.QtyOrdered ${JSON.stringify(qtyText.slice(0, 40))} is not a whole quantity`);
  const codeText = childText(line, 'TaxCode');
  const taxCode = /^\d{1,2}$/.test(codeText) ? Number(codeText) : NaN;
  const taxRate = rates.get(taxCode);
  if (!taxRate) throw new DocumentAmountsError(`${field}.TaxCode ${JSON.stringify(codeText.slice(0, 40))} has no rate in sageTaxRates`);
  const discountText = childText(line, 'UnitDiscountAmount');
  return {
    quantity: Number(qtyText),
    unitPrice: minor(childText(line, 'UnitPrice'), `${field}.UnitPrice`),
    discount: discountText ? minor(discountText, `${field}.UnitDiscountAmount`) : 0,
    taxRate,
    taxCode,
  };
}

/**
 * What Sage computes from a stored `<SalesOrder>` or credit note `<Invoice>`, as its importer
 * would: each item and the carriage priced by Sage's own arithmetic (quantity × unit price −
 * discount, VAT per line from the T-code's rate in `sageTaxRates`, rounded per line: the pricing
 * code's `sageTotals`), never the figures WooCommerce sent. A document that cannot be read that
 * way throws DocumentAmountsError naming the field and value.
 */
export function documentAmounts(xml: string, rates: ReadonlyMap<number, TaxRate>, mode: DiscountMode): DocumentAmounts {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml);
  } catch (err) {
    if (err instanceof XmlParseError) throw new DocumentAmountsError(`the stored document is ${err.message}`);
    throw err;
  }
  const itemsName = ITEMS_OF[root.name];
  if (!itemsName) throw new DocumentAmountsError(`the stored document is a <${root.name}>, not a SalesOrder or Invoice`);
  const lines = [
    ...childElements(childElement(root, itemsName), 'Item').map((item, i) => readLine(item, `Item[${i + 1}]`, rates)),
    ...childElements(root, 'Carriage').map((carriage) => readLine(carriage, 'Carriage', rates)),
  ];
  const byCode = new Map<number, SageLineFields[]>();
  for (const line of lines) {
    const group = byCode.get(line.taxCode);
    if (group) group.push(line);
    else byCode.set(line.taxCode, [line]);
  }
  const amounts: DocumentAmounts = { net: 0, vat: 0, gross: 0, byTaxCode: new Map() };
  // Sage rounds VAT per line, so totals per T-code add up to the document's totals exactly.
  for (const [code, group] of byCode) {
    const totals = sageTotals(group, mode);
    amounts.byTaxCode.set(code, { net: totals.net, vat: totals.tax });
    amounts.net += totals.net;
    amounts.vat += totals.tax;
  }
  amounts.gross = amounts.net + amounts.vat;
  return amounts;
}

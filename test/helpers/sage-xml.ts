import { parseDecimal } from '../../src/domain/money.ts';
import type { DiscountMode } from '../../src/domain/pricing/types.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/schema.ts';
import { childElement, childElements, childText, parseXmlTree, type XmlElement } from '../../src/sage/xml-tree.ts';

/**
 * Reads a Company document back as an importer would: every SalesOrder's net = Σ QtyOrdered ×
 * UnitPrice − UnitDiscountAmount (per unit in `unitDiscount` mode), VAT per line from its TaxCode's
 * Sage rate rounded half up. Amounts are parsed from the XML text exactly (no floats).
 */
export interface ImportedOrder {
  id: string;
  accountReference: string;
  net: bigint;
  tax: bigint;
  gross: bigint;
  /** Lines whose VAT is exactly half a penny: ambiguous in Sage. */
  ties: number;
  element: XmlElement;
}

const minor = (text: string): bigint => {
  const d = parseDecimal(text || '0');
  if (d.scale > 2) throw new Error(`${text} has more than 2 decimals`);
  return d.units * 10n ** BigInt(2 - d.scale);
};

export function readSalesOrders(xml: string, options: { mode?: DiscountMode; rates?: Record<string, string> } = {}): ImportedOrder[] {
  const mode = options.mode ?? 'lineDiscount';
  const rates = options.rates ?? DEFAULT_SETTINGS.sageTaxRates;
  const root = parseXmlTree(xml);
  if (root.name !== 'Company') throw new Error(`root is ${root.name}, not Company`);
  return childElements(childElement(root, 'SalesOrders'), 'SalesOrder').map((order) => {
    let net = 0n;
    let tax = 0n;
    let ties = 0;
    const lines = [...childElements(childElement(order, 'SalesOrderItems'), 'Item'), ...childElements(order, 'Carriage')];
    for (const line of lines) {
      const quantity = BigInt(childText(line, 'QtyOrdered') || '1');
      const discount = minor(childText(line, 'UnitDiscountAmount'));
      const lineNet = quantity * minor(childText(line, 'UnitPrice')) - (mode === 'unitDiscount' ? quantity * discount : discount);
      const percent = rates[childText(line, 'TaxCode')];
      if (percent === undefined) throw new Error(`TaxCode ${childText(line, 'TaxCode')} has no rate`);
      const rate = parseDecimal(percent);
      const den = 100n * 10n ** BigInt(rate.scale);
      const product = lineNet * rate.units;
      const magnitude = product < 0n ? -product : product;
      const twice = 2n * (magnitude % den);
      if (twice === den) ties += 1;
      const rounded = magnitude / den + (twice >= den ? 1n : 0n);
      net += lineNet;
      tax += product < 0n ? -rounded : rounded;
    }
    return {
      id: childText(order, 'Id'),
      accountReference: childText(order, 'AccountReference'),
      net,
      tax,
      gross: net + tax,
      ties,
      element: order,
    };
  });
}

/** Minor units of a WooCommerce money string ("12.3" → 1230n). */
export function wooMinor(text: string): bigint {
  return minor(text);
}

/** Zynk's Company schema order of a SalesOrder's elements (Connect XML schema). */
export const SALES_ORDER_ORDER = [
  'Id',
  'CustomerId',
  'SalesOrderNumber',
  'CustomerOrderNumber',
  'Notes1',
  'Notes2',
  'Notes3',
  'ForeignRate',
  'Currency',
  'AccountReference',
  'CurrencyUsed',
  'VatInclusive',
  'SalesOrderDate',
  'DespatchDate',
  'SalesOrderAddress',
  'SalesOrderDeliveryAddress',
  'SalesOrderItems',
  'Carriage',
  'SalesOrderType',
  'TakenBy',
  'ConsignmentNo',
  'Courier',
  'SettlementDays',
  'SettlementDiscount',
  'GlobalNominalCode',
  'GlobalDetails',
  'GlobalTaxCode',
  'GlobalDepartment',
  'PaymentRef',
  'PaymentAmount',
  'BankAccount',
  'PaymentType',
];
export const ITEM_ORDER = [
  'Sku',
  'Name',
  'Description',
  'Comments',
  'QtyOrdered',
  'UnitPrice',
  'UnitDiscountAmount',
  'TaxCode',
  'NominalCode',
];
export const CONTACT_ORDER = [
  'Title',
  'Forename',
  'Surname',
  'Company',
  'Address1',
  'Address2',
  'Address3',
  'Town',
  'Postcode',
  'County',
  'Country',
  'Telephone',
  'Email',
];

/** True when every name is in the schema and they appear in its order. */
export function inSchemaOrder(names: string[], schema: string[]): boolean {
  const positions = names.map((n) => schema.indexOf(n));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!));
}

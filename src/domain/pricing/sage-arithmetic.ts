import { lineTax, type TaxRate } from './tax-rate.ts';
import type { DiscountMode, PricedTotals } from './types.ts';

/** The fields of one Sage line as written in the XML, in minor units. */
export interface SageLineFields {
  quantity: number;
  unitPrice: number;
  discount: number;
  taxRate: TaxRate;
}

/**
 * What Sage makes of a line: net = quantity × unit price − discount (the discount per unit times the
 * quantity in `unitDiscount` mode), VAT = net × rate rounded to the penny, line by line. This is the
 * model every price the connector writes is checked against.
 */
export function sageLineNet(line: Pick<SageLineFields, 'quantity' | 'unitPrice' | 'discount'>, mode: DiscountMode): number {
  const discount = mode === 'unitDiscount' ? line.quantity * line.discount : line.discount;
  return line.quantity * line.unitPrice - discount;
}

export interface SageTotals extends PricedTotals {
  /** Lines whose VAT is exactly half a penny: Sage may round them either way. */
  ties: number;
}

export function sageTotals(lines: readonly SageLineFields[], mode: DiscountMode): SageTotals {
  let net = 0;
  let tax = 0;
  let ties = 0;
  for (const line of lines) {
    const lineNet = sageLineNet(line, mode);
    const vat = lineTax(lineNet, line.taxRate);
    net += lineNet;
    tax += vat.tax;
    if (vat.tie) ties += 1;
  }
  return { net, tax, gross: net + tax, ties };
}

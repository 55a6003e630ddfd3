/**
 * A complete Zynk `Company` document around already rendered elements: Customers first, so that an
 * importer reading one file creates the accounts before the orders that need them; Invoices (the
 * credit notes for refunds) last.
 */
export function wrapCompany(parts: {
  customers?: readonly string[];
  salesOrders?: readonly string[];
  invoices?: readonly string[];
}): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Company xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
  ];
  const section = (name: string, elements: readonly string[] | undefined) => {
    if (!elements || elements.length === 0) return;
    lines.push(`  <${name}>`);
    for (const element of elements) lines.push(indent(element.trim(), '    '));
    lines.push(`  </${name}>`);
  };
  section('Customers', parts.customers);
  section('SalesOrders', parts.salesOrders);
  section('Invoices', parts.invoices);
  lines.push('</Company>', '');
  return lines.join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

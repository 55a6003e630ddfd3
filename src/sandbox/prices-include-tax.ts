type Json = Record<string, unknown>;

/**
 * How an order's REST output follows the store's "prices entered with tax" setting after a shop
 * manager switches it (WooCommerce → Settings → Tax), as a real 7.8 store showed: untouched orders
 * are not saved again (their modification time stays), but they are read back with the new flag
 * and each line's display `price` with or without its tax. No amount of the sale changes.
 */
export function presentWithPricesIncludeTax(order: Json, pricesIncludeTax: boolean): void {
  order.prices_include_tax = pricesIncludeTax;
  if (!Array.isArray(order.line_items)) return;
  for (const line of order.line_items as Json[]) {
    const quantity = Number(line.quantity);
    if (!quantity) continue;
    // A display price, a float in WooCommerce too: never used for money here.
    const total = Number(line.total) + (pricesIncludeTax ? Number(line.total_tax) : 0);
    line.price = total / quantity;
  }
}

/**
 * The value a settings map holds for a key that came from the shop (a SKU, tax class, payment
 * method, category). A plain `map[key]` finds Object.prototype's members for keys such as
 * `constructor`, `__proto__` or `toString`; only the map's own entries count.
 */
export function ownValue<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * `items` grouped by `key`, each group in the items' order (of `value` of each item, or of the
 * items themselves).
 */
export function groupBy<T, V = T>(
  items: readonly T[],
  key: (item: T) => string,
  value: (item: T) => V = (item) => item as unknown as V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(value(item));
    else groups.set(k, [value(item)]);
  }
  return groups;
}

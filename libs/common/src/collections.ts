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

/**
 * Values of a pure computation kept by key, at most `max` of them: when full it starts over
 * (keys often come from input, so the cache must stay bounded; the hot ones come back at once).
 */
export class BoundedMemo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max: number) {}

  get(key: string, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = compute();
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}

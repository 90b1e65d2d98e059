/** A CHECK constraint body keeping `column` to one of `values`: `"stage" IN ('trial', ...)`. */
export function oneOf(column: string, values: readonly string[]): string {
  return `"${column}" IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
}

/**
 * Looks `key` up among the object's own properties only. A lookup table indexed by a request string
 * (`?sort=`, an import cell, a claim value) must not answer `constructor`, `toString` or
 * `__proto__` from Object.prototype: a function where a column name or a value was expected turns
 * a bad request into a 500, or worse into a stored function's source.
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

import type { Executor } from "@gantry/db";

/**
 * Hot-path queries (every authenticated request) are built once per database handle and then
 * executed as prepared statements: building a drizzle query costs ~10× its round trip here
 * (bench/auth.ts).
 */
export function preparedPerDb<P>(build: (db: Executor) => P): (db: Executor) => P {
  const cache = new WeakMap<object, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}

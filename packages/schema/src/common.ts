import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";

/**
 * Ids are UUIDv7, made in the app: PostgreSQL 15 has no uuidv7(), and time-ordered ids keep
 * b-tree inserts local.
 */
export const newId = (): string => uuidv7();

export const idColumn = () => uuid().primaryKey().$defaultFn(newId);

export const createdAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().default(sql`now()`);

export const timestamps = () => ({
  createdAt: createdAt(),
  updatedAt: timestamp({ withTimezone: true, mode: "date" })
    .notNull()
    .default(sql`now()`)
    .$onUpdateFn(() => new Date()),
});

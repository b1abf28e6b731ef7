import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { z } from "zod";

import { createdAt, idColumn } from "./common";
import { orgs } from "./org";

export const actorTypes = ["user", "api_key", "system"] as const;

export const auditEvents = pgTable(
  "audit_events",
  {
    id: idColumn(),
    orgId: uuid()
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    actorType: text({ enum: actorTypes }).notNull(),
    actorId: uuid(),
    /** Email or key name at the time: the log stays readable after the actor is gone. */
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.orgId, t.id)],
);

export const ZAuditEvent = z.object({
  id: z.uuid(),
  actorType: z.enum(actorTypes),
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});
export type AuditEvent = z.infer<typeof ZAuditEvent>;

export const ZListAuditInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  /** Keyset cursor: the id of the last event seen (ids are time-ordered UUIDv7). */
  cursor: z.uuid({ error: "cursor must be an event id" }).optional(),
  action: z.string().max(100).optional(),
});
export const ZAuditPage = z.object({ items: z.array(ZAuditEvent), nextCursor: z.uuid().nullable() });

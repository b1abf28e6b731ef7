import type { KeyPrincipal } from "@gantry/api/services";
import { authenticateApiKey } from "@gantry/api/services";
import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";

/*
 * API-key checks on the prediction path, re-checked every `ttlMs`: a revoked key stops working
 * once the next check answers (the TTL plus one query), an expired one at its expiry. While the
 * database cannot be reached, a key that was valid at its last check keeps working (up to
 * `staleMs`), so an outage does not take serving down with it; a refusal (unknown, revoked,
 * expired) is never served from a stale entry.
 */

type Entry = { checkedAt: number; principal?: KeyPrincipal; refusal?: GantryError; pending?: Promise<KeyPrincipal> };

export type KeyCache = { authenticate(key: string): Promise<KeyPrincipal>; size(): number };

export function createKeyCache({ db, ttlMs, staleMs, maxEntries = 10_000, log }: { db: Executor; ttlMs: number; staleMs: number; maxEntries?: number; log: (m: string) => void }): KeyCache {
  const entries = new Map<string, Entry>();
  let warnedAt = 0;

  const check = (key: string, previous: Entry | undefined): Promise<KeyPrincipal> => {
    const pending = authenticateApiKey(db, key).then(
      (principal) => {
        entries.set(key, { checkedAt: Date.now(), principal });
        return principal;
      },
      (error: unknown) => {
        if (error instanceof GantryError) {
          entries.set(key, { checkedAt: Date.now(), refusal: error });
          throw error;
        }
        // The database did not answer: keep trusting what it said last, for a while.
        if (previous?.principal && Date.now() - previous.checkedAt < staleMs) {
          if (Date.now() - warnedAt > 10_000) {
            warnedAt = Date.now();
            log(`api key check failed (${error instanceof Error ? error.message : String(error)}); serving keys from their last check`);
          }
          entries.set(key, { ...previous, pending: undefined });
          return previous.principal;
        }
        entries.delete(key);
        throw new GantryError("INTERNAL", "The API key could not be checked: the database is unavailable", { cause: error });
      },
    );
    if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
    entries.set(key, { ...(previous ?? { checkedAt: 0 }), pending });
    return pending;
  };

  return {
    authenticate(key) {
      const entry = entries.get(key);
      const now = Date.now();
      if (entry?.principal && now - entry.checkedAt < Math.max(staleMs, ttlMs)) {
        const expires = entry.principal.expiresAt;
        if (!expires || expires.getTime() > now) {
          // Past the TTL, the check runs again in the background and this request goes on: a
          // slow or absent database never holds up a key that was good a moment ago, and a
          // revoked key is refused as soon as that check answers.
          if (now - entry.checkedAt >= ttlMs && !entry.pending) void check(key, entry).catch(() => undefined);
          return Promise.resolve(entry.principal);
        }
      }
      if (entry?.pending) return entry.pending;
      if (entry?.refusal && now - entry.checkedAt < ttlMs) return Promise.reject(entry.refusal);
      return check(key, entry);
    },
    size: () => entries.size,
  };
}

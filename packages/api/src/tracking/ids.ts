const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids we never issued are simply not found (and never reach a uuid cast in SQL). */
export const isUuid = (s: string): boolean => UUID.test(s);

import { v7 as uuidv7 } from "uuid";

/**
 * Time-ordered UUIDv7 ids: random v4 keys scatter inserts across the B-tree and halve SQLite's
 * insert speed (SPEC §8); v7 keeps new rows at the end of the index.
 */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

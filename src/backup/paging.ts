/** Rows per keyset page of the export's reads. */
export const PAGE_SIZE = 1000;

/**
 * Walks a keyset-paged query to its end: `fetch(after)` returns up to `limit` rows after the
 * key, `keyOf` gives a row's key, and each page is handed to `visit` (awaited) before the next is
 * read, so one page at a time is in memory.
 */
export async function forEachPage<R, K>(
  fetch: (after: K | undefined, limit: number) => Promise<R[]>,
  keyOf: (row: R) => K,
  visit: (rows: R[]) => Promise<void>,
  limit = PAGE_SIZE,
): Promise<void> {
  let after: K | undefined;
  for (;;) {
    const rows = await fetch(after, limit);
    if (rows.length > 0) await visit(rows);
    const last = rows.at(-1);
    if (rows.length < limit || last === undefined) return;
    after = keyOf(last);
  }
}

import { invalid } from "../shared/app-error.js";

/** Graph's limit on requests in one JSON batch. */
export const MAX_BATCH_REQUESTS = 20;

export interface BatchItem {
  id: string;
  dependsOn?: readonly string[] | undefined;
}

/**
 * The order in which a batch's requests run: each after the requests it depends on, otherwise in
 * the order given (Graph may run independent requests in parallel; Tenantry runs all of them one
 * after another, which is allowed and deterministic). Refuses duplicate ids, a `dependsOn` naming
 * no request of the batch, and dependency cycles — the whole batch is then 400.
 */
export function planBatch<T extends BatchItem>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) {
    if (byId.has(item.id)) {
      throw invalid("BATCH_DUPLICATE_ID", `Two requests of the batch have the id "${item.id}".`, {
        field: "requests.id",
      });
    }
    byId.set(item.id, item);
  }
  for (const item of items) {
    for (const dependency of item.dependsOn ?? []) {
      if (!byId.has(dependency) || dependency === item.id) {
        throw invalid(
          "BATCH_DEPENDENCY_UNKNOWN",
          `Request "${item.id}" depends on "${dependency}", which is not another request of the batch.`,
          { field: "requests.dependsOn" },
        );
      }
    }
  }
  const ordered: T[] = [];
  const placed = new Set<string>();
  while (ordered.length < items.length) {
    const next = items.find(
      (item) => !placed.has(item.id) && (item.dependsOn ?? []).every((d) => placed.has(d)),
    );
    if (!next) {
      throw invalid("BATCH_DEPENDENCY_CYCLE", "The batch's dependsOn references form a cycle.", {
        field: "requests.dependsOn",
      });
    }
    ordered.push(next);
    placed.add(next.id);
  }
  return ordered;
}

/**
 * The in-process path of a batch request's relative URL: `users?%24select=id`, `/users/x` and
 * `/v1.0/users/x` all address `/v1.0/…`; `%24` becomes `$` (what some SDKs send for `$select`,
 * `$ref`, `$count`). Absolute URLs are refused (undefined): a batch never leaves this server.
 */
export function batchRequestPath(url: string): string | undefined {
  const trimmed = url.trim().replace(/%24/gi, "$");
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith("//")) return undefined;
  const path = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  return /^\/v1\.0(?=[/?#]|$)/.test(path) ? path : `/v1.0${path}`;
}

/** A batch inside a batch, which Graph refuses too. */
export function isNestedBatch(path: string): boolean {
  return /^\/v1\.0\/\$batch(?=[/?#]|$)/i.test(path);
}

import type { OpenAppOptions, OpenedApp } from "../runtime/open-app-context.js";
import { loadConfig } from "../shared/config.js";

/**
 * Runs a command's work against the store named by the environment (`TENANTRY_DATA_DIR`,
 * `DATABASE_URL`, see src/shared/config.ts), migrated first unless told otherwise, and closes the
 * store afterwards whether the work succeeded or not. Commands that touch the store use this.
 */
export async function withAppContext<T>(
  work: (ctx: OpenedApp) => Promise<T>,
  options: OpenAppOptions = {},
): Promise<T> {
  // Loaded on use: the admin client's commands never open a store and start faster without it.
  const { openAppContext } = await import("../runtime/open-app-context.js");
  const ctx = await openAppContext(loadConfig(), { migrate: true, ...options });
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

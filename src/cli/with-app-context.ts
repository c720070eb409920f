import {
  type OpenAppOptions,
  type OpenedApp,
  openAppContext,
} from "../runtime/open-app-context.js";
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
  const ctx = await openAppContext(loadConfig(), { migrate: true, ...options });
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

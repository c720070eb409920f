import type { Command } from "commander";
import { writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** `tenantry migrate`: brings the store's schema up to date; prints `{"applied":[…]}`. */
export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description('apply pending database migrations and print {"applied":[…]}')
    .addHelpText("after", "\nExample:\n  TENANTRY_DATA_DIR=./data tenantry migrate")
    .action(async () => {
      const { migrateToLatest } = await import("../../store/migrate.js");
      const result = await withAppContext(
        async (ctx) => {
          const applied = await migrateToLatest(ctx.db, ctx.engine);
          ctx.log.info({ applied: applied.applied, store: ctx.store.location }, "migrated");
          return applied;
        },
        { migrate: false },
      );
      writeJson({ applied: result.applied });
    });
}

import type { Command } from "commander";
import { migrateToLatest } from "../../store/migrate.js";
import { writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** `tenantry migrate`: brings the store's schema up to date; prints `{"applied":[…]}`. */
export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description('apply pending database migrations and print {"applied":[…]}')
    .action(async () => {
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

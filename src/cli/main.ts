/**
 * Entry of the `tenantry` command (bin/tenantry.js imports the built dist/cli/main.js).
 * The exit code is set, not forced, so that stdout is flushed before the process ends.
 */
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv);

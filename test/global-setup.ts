import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Builds dist/ once per test run, for the tests that run the CLI as a child process. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}

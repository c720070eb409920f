import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliEnv, collect, type Outcome } from "../../test/cli-runner.js";

/**
 * Issue 8: on a terminal the CLI asks before destructive work and prompts for secrets without
 * echo. The terminal is a real pseudo-terminal from util-linux `script`; keys are typed into it.
 */

const BIN = fileURLToPath(new URL("../../bin/tenantry.js", import.meta.url));
const HAS_SCRIPT = fs.existsSync("/usr/bin/script");

/** Runs `tenantry ARGS` on a pseudo-terminal, typing `keys` once it has started. */
function onTerminal(args: string[], keys: string): Promise<Outcome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-tty-"));
  const line = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
  const child = spawn("script", ["-qfec", line, "/dev/null"], {
    env: cliEnv({ HOME: home, XDG_CONFIG_HOME: home, NO_COLOR: "1", LANG: "en_US.UTF-8" }),
    stdio: "pipe",
  });
  const { output, exited } = collect(child);
  const typing = setInterval(() => {
    // Type once the prompt is on the screen, then end the input.
    if (output.stdout.includes("?")) {
      clearInterval(typing);
      child.stdin?.write(keys);
    }
  }, 50);
  return exited.finally(() => {
    clearInterval(typing);
    fs.rmSync(home, { recursive: true, force: true });
  });
}

describe.skipIf(!HAS_SCRIPT)("tenantry on a terminal", () => {
  it("asks before destructive work; answering no changes nothing and exits 1", async () => {
    const result = await onTerminal(
      ["close", "start", "--confirm", "contoso.example", "--reason", "unused"],
      "n\r",
    );
    expect(result.stdout).toContain("This starts closing the organization contoso.example");
    expect(result.stdout).toContain("Continue?");
    expect(result.stdout).toContain("tenantry: DECLINED: Nothing was changed.");
    expect(result.code).toBe(1);
  });

  it("prompts for the password without echoing it", async () => {
    const result = await onTerminal(
      ["login", "--url", "http://127.0.0.1:9", "--user", "admin@contoso.example"],
      "Secret-Typed-2026\r",
    );
    expect(result.stdout).toContain("Password for admin@contoso.example:");
    expect(result.stdout).not.toContain("Secret-Typed-2026");
    // The typed password reached the sign-in: the server is unreachable, so that is what fails.
    expect(result.stdout).toContain("tenantry: SERVER_UNREACHABLE:");
    expect(result.code).toBe(1);
  });
});

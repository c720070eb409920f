import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, runTenantry } from "../../test/cli-runner.js";
import { commandTable } from "./commands/completion.js";
import { buildProgram } from "./program.js";

/** Issue 8: `--help` with an example on every command, and shell completion from the command tree. */

const env = cliEnv({ LANG: "en_US.UTF-8" });

/** Every command that does something (leaves of the tree), e.g. "users delete". */
function leafCommands(): string[] {
  return [...commandTable(buildProgram()).keys()].filter(
    (key) =>
      key !== "" &&
      ![...commandTable(buildProgram()).keys()].some((other) => other.startsWith(`${key} `)),
  );
}

describe("tenantry --help", () => {
  it("shows an example on every command", async () => {
    const leaves = leafCommands();
    expect(leaves).toEqual(
      expect.arrayContaining(["users delete", "close start", "subscriptions cancel", "login"]),
    );
    const missing: string[] = [];
    for (let i = 0; i < leaves.length; i += 8) {
      const chunk = leaves.slice(i, i + 8);
      const results = await Promise.all(
        chunk.map((leaf) => runTenantry([...leaf.split(" "), "--help"], env)),
      );
      results.forEach((result, j) => {
        if (result.code !== 0 || !result.stdout.includes("Example:")) missing.push(chunk[j] ?? "");
      });
    }
    expect(missing).toEqual([]);
  }, 120_000);

  it("lists the exit codes", async () => {
    const result = await runTenantry(["--help"], env);
    expect(result.stdout).toContain(
      "Exit codes: 0 success, 1 failure, 2 usage error, 3 blocked, 4 partial success.",
    );
  });
});

describe("tenantry completion", () => {
  function completeInBash(words: string[]): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-completion-"));
    try {
      const script = path.join(dir, "tenantry.bash");
      fs.writeFileSync(
        script,
        execFileSync(process.execPath, ["bin/tenantry.js", "completion", "bash"], { env }),
      );
      const line = words.map((w) => `'${w}'`).join(" ");
      const output = execFileSync(
        "bash",
        [
          "-c",
          `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _tenantry; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8" },
      );
      return output.split("\n").filter(Boolean);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("completes command names at every level in bash", () => {
    expect(completeInBash(["tenantry", "us"])).toEqual(["users"]);
    expect(completeInBash(["tenantry", "users", "d"])).toEqual(["delete"]);
    expect(completeInBash(["tenantry", "--json", "close", "c"])).toEqual(["checks", "cancel"]);
  });

  it("completes the options of the command typed so far, skipping option values", () => {
    expect(
      completeInBash(["tenantry", "subscriptions", "cancel", "--reason", "unused", "--w"]),
    ).toEqual(["--when"]);
    expect(completeInBash(["tenantry", "users", "delete", "--all-"])).toEqual(["--all-except"]);
  });

  it("prints a zsh script that registers the completion function", async () => {
    const result = await runTenantry(["completion", "zsh"], env);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("#compdef tenantry\n")).toBe(true);
    expect(result.stdout).toContain("compdef _tenantry tenantry");
    expect(result.stdout).toContain('"users") reply=(list show add update delete restore purge');
  });

  it("refuses another shell as a usage error (exit 2)", async () => {
    const result = await runTenantry(["completion", "fish"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: SHELL_UNSUPPORTED:");
  });
});

import type { Command } from "commander";
import { CommandExit, ExitCode } from "./exit-codes.js";
import { t } from "./i18n.js";
import { isJson, printTable, writeError, writeJson } from "./output.js";

/** One item of bulk work, as the API's closure steps and `$batch` answer it. */
export interface ItemResult {
  id: string;
  outcome: "ok" | "skipped" | "failed";
  action?: string;
  code?: string;
  message?: string;
}

/**
 * Prints per-item results — `{"value":[…]}` with `--json` (the API's own shape), else the items
 * that did not simply succeed and a count — and ends the command with exit 0 when nothing failed,
 * 4 when some items failed and others succeeded, 1 when every item failed (issue 8).
 */
export function finishItems(command: Command, items: readonly ItemResult[]): void {
  if (isJson(command)) writeJson({ value: items });
  else {
    const notable = items.filter((i) => i.outcome !== "ok");
    if (notable.length > 0) {
      printTable(
        [
          { header: "ID", value: (i: ItemResult) => i.id },
          { header: "OUTCOME", value: (i: ItemResult) => i.outcome },
          { header: "CODE", value: (i: ItemResult) => i.code },
          { header: "MESSAGE", value: (i: ItemResult) => i.message },
        ],
        notable,
      );
    }
  }
  const count = (outcome: ItemResult["outcome"]) =>
    items.filter((i) => i.outcome === outcome).length;
  const [ok, failed, skipped] = [count("ok"), count("failed"), count("skipped")];
  writeError(t("itemsDone", { ok, failed, skipped }));
  if (failed === 0) return;
  if (ok === 0 && skipped === 0) throw new CommandExit(ExitCode.Failure, t("allFailed"));
  throw new CommandExit(ExitCode.Partial, t("partial", { failed, total: items.length }));
}

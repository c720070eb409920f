import type { Command } from "commander";
import { invalid, isAppError } from "../../shared/app-error.js";
import type { ApiClient } from "../client/api-client.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example } from "../command-options.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { t } from "../i18n.js";
import {
  isJson,
  out,
  printResult,
  printTable,
  writeError,
  writeJson,
  writeLine,
} from "../output.js";
import { type Progress, startProgress } from "../progress.js";
import { confirmDestructive } from "../prompts.js";
import { CLOSURE, saveResponse } from "./close.js";

/** The guided closure's view (the shared contract of issue 7, `GET /v1.0/organization/closure`). */
export interface ClosureView {
  id: string;
  state: "running" | "waiting" | "coolingOff" | "completed" | "cancelled" | "failed";
  step: string;
  steps: {
    name: string;
    done: number;
    total: number;
    startedDateTime: string | null;
    finishedDateTime: string | null;
  }[];
  blockers: { code: string; message: string }[];
  exportUrl?: string;
  coolingOffEndsDateTime?: string;
  waitUntil?: string;
  waitingFor?: string;
  reason: string;
  createdDateTime: string;
  finishedDateTime: string | null;
  error?: { code: string; message: string };
}

const FINAL_STATES: readonly ClosureView["state"][] = ["completed", "cancelled", "failed"];

/** How often `close status --watch` asks for progress. */
const WATCH_MS = 1000;

interface StartFlags extends DestructiveFlags {
  confirm: string;
  reason: string;
  feedback?: string;
  /** commander's `--no-export`: false when given. */
  export: boolean;
}

/** `tenantry close start|status|cancel|export`: the guided closure as a durable operation (SPEC §6). */
export function registerCloseGuidedCommands(close: Command): void {
  example(
    destructive(
      close
        .command("start")
        .requiredOption("--confirm <domain>", "the organization's initial domain, typed to confirm")
        .requiredOption(
          "--reason <reason>",
          "why the subscriptions are cancelled (see subscriptions cancel --help)",
        )
        .option("--feedback <text>", "free text")
        .option("--no-export", "skip the backup export (the first step)")
        .description(
          "start the guided closure: export, every step, a cooling-off period, then erasure and a certificate",
        ),
      false,
    ),
    "tenantry close start --confirm contoso.example --reason unused --yes && tenantry close status --watch",
  ).action(async (flags: StartFlags, command: Command) => {
    await confirmDestructive(t("confirmStartClosure", { domain: flags.confirm }), flags.yes);
    const view = await apiClient(command).post<ClosureView>(CLOSURE, {
      confirmDomain: flags.confirm,
      reason: flags.reason,
      ...(flags.feedback ? { feedback: flags.feedback } : {}),
      export: flags.export,
    });
    printResult(command, view, () => printView(view));
  });

  example(
    close
      .command("status")
      .option("--watch", "follow the progress until the closure completes, is cancelled or fails")
      .description("the guided closure's state and progress; exits 1 when it failed"),
    "tenantry close status --watch",
  ).action(async (flags: { watch?: boolean }, command: Command) => {
    const client = apiClient(command);
    let view = await client.get<ClosureView>(CLOSURE);
    if (flags.watch) view = await watch(client, view, isJson(command));
    printResult(command, view, () => printView(view));
    if (view.state === "failed") {
      throw new CommandExit(
        ExitCode.Failure,
        `${view.error?.code ?? "CLOSURE_FAILED"}: ${view.error?.message ?? ""}`,
      );
    }
  });

  example(
    close
      .command("cancel")
      .description("cancel the guided closure before its irreversible phase (keeps what is done)"),
    "tenantry close cancel",
  ).action(async (_flags: unknown, command: Command) => {
    const view = await apiClient(command).post<ClosureView>(`${CLOSURE}/cancel`);
    printResult(command, view, () => printView(view));
  });

  example(
    close
      .command("export")
      .requiredOption("--out <file>", "where to save the archive (tar.gz)")
      .description("download the closure's backup export (until the irreversible phase)"),
    "tenantry close export --out contoso-export.tar.gz",
  ).action(async (flags: { out: string }, command: Command) => {
    if (flags.out.trim() === "")
      throw invalid("OUT_REQUIRED", "--out needs a file name.", { field: "out" });
    const response = await apiClient(command).send("GET", `${CLOSURE}/export`, {
      headers: { accept: "application/gzip" },
    });
    const bytes = await saveResponse(response, flags.out);
    const summary = { file: flags.out, bytes, contentType: response.headers.get("content-type") };
    if (isJson(command)) writeJson(summary);
    writeError(t("exportSaved", { file: flags.out, bytes }));
  });
}

/** Polls until a final state, with a progress bar (TTY) or lines of the current step. */
async function watch(client: ApiClient, first: ClosureView, json: boolean): Promise<ClosureView> {
  let view = first;
  let progress: Progress | null = null;
  let step = "";
  let note = "";
  while (!FINAL_STATES.includes(view.state)) {
    const current = view.steps.find((s) => s.name === view.step);
    if (view.step !== step) {
      progress?.stop();
      step = view.step;
      progress = current ? startProgress(step, current.total) : null;
    }
    if (current) progress?.update(current.done, current.total);
    const waiting =
      view.state === "waiting" || view.state === "coolingOff"
        ? `${view.state} ${view.waitingFor ?? ""} ${view.waitUntil ?? view.coolingOffEndsDateTime ?? ""}`.trim()
        : "";
    if (waiting && waiting !== note && !json) writeError(t("waiting", { what: waiting }));
    note = waiting;
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    view = await readDuringErasure(client, view);
  }
  progress?.stop();
  return view;
}

/** Steps after which (by the next poll) the organization's sessions may be gone: its erasure. */
const ERASING_STEPS = new Set(["coolingOff", "purgeRecycleBin", "deleteTenant", "signCertificate"]);
const ERASURE_RETRIES = 10;

/**
 * The next view. While the organization is being erased its sessions are deleted, and the closing
 * admin's token answers again as a closed tenant's reader (issue 7) — a 401 in between is retried
 * a few times instead of ending the watch.
 */
async function readDuringErasure(client: ApiClient, last: ClosureView): Promise<ClosureView> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.get<ClosureView>(CLOSURE);
    } catch (error) {
      const unauthorized = isAppError(error) && error.kind === "Unauthorized";
      if (!unauthorized || !ERASING_STEPS.has(last.step) || attempt >= ERASURE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    }
  }
}

function printView(view: ClosureView): void {
  writeLine(out().bold(t("closureState", { id: view.id, state: view.state, step: view.step })));
  printTable(
    [
      { header: "STEP", value: (s: ClosureView["steps"][number]) => s.name },
      { header: "DONE", value: (s) => `${s.done}/${s.total}` },
      { header: "STARTED", value: (s) => s.startedDateTime },
      { header: "FINISHED", value: (s) => s.finishedDateTime },
    ],
    view.steps,
  );
  for (const blocker of view.blockers) writeError(`${blocker.code}: ${blocker.message}`);
  if (view.coolingOffEndsDateTime)
    writeError(t("coolingOffEnds", { when: view.coolingOffEndsDateTime }));
  if (view.error) writeError(`${view.error.code}: ${view.error.message}`);
}

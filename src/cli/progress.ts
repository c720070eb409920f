import cliProgress from "cli-progress";
import { t } from "./i18n.js";
import { writeError } from "./output.js";

/** Progress of long work, always on stderr so that stdout keeps the result. */
export interface Progress {
  /** Sets the items done so far (and the total, when it became known later). */
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * On a terminal, a bar with items done/total, rate and ETA (cli-progress); otherwise plain lines
 * (`Deleting users: 40/120`), one per update, so logs and CI output stay readable.
 */
export function startProgress(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, 0, { rate: "0" });
    return {
      update(done, newTotal) {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        bar.update(done, { rate: (done / seconds).toFixed(1) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  let all = total;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) all = newTotal;
      if (done === last) return;
      last = done;
      writeError(t("progress", { label, done, total: all }));
    },
    stop: () => undefined,
  };
}

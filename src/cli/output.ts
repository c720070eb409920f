import { stripVTControlCharacters } from "node:util";
import type { Command } from "commander";
import pc from "picocolors";
import { t } from "./i18n.js";

/**
 * Where the CLI writes: results on stdout — with `--json` exactly one JSON document, so it can be
 * piped into `jq` or a script — and progress, logs, messages and human-readable errors on stderr.
 */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function writeError(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Whether `--json` is on, anywhere on the command line. */
export function isJson(command: Command): boolean {
  return command.optsWithGlobals().json === true;
}

/** The command's result: the JSON document with `--json`, else what `human` prints. */
export function printResult(command: Command, json: unknown, human: () => void): void {
  if (isJson(command)) writeJson(json);
  else human();
}

/** Colours only on a terminal and never with `NO_COLOR` set (https://no-color.org). */
export function colorsFor(stream: NodeJS.WriteStream) {
  const enabled = stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  return pc.createColors(enabled);
}

export const out = () => colorsFor(process.stdout);
export const err = () => colorsFor(process.stderr);

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/**
 * Rows in columns for people. On a terminal the table is sized to its width: the widest column is
 * cut (ending in "…") until the line fits; when piped, nothing is cut.
 */
export function formatTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? ""))),
  );
  const terminal = process.stdout.isTTY ? process.stdout.columns : undefined;
  if (terminal) {
    const gaps = 2 * (columns.length - 1);
    while (widths.reduce((a, b) => a + b, 0) + gaps > terminal) {
      const widest = widths.indexOf(Math.max(...widths));
      if ((widths[widest] ?? 0) <= 8) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const line = (texts: readonly string[]) =>
    texts
      .map((text, i) => fitCell(text, widths[i] ?? 0, i === texts.length - 1))
      .join("  ")
      .trimEnd();
  const header = out().bold(line(columns.map((c) => c.header)));
  return [header, ...cells.map(line)].join("\n");
}

/** Prints a table, or a note that there is nothing to show. */
export function printTable<T>(columns: readonly Column<T>[], rows: readonly T[]): void {
  if (rows.length === 0) writeError(t("none"));
  else writeLine(formatTable(columns, rows));
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  return String(value);
}

/** Columns on a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripVTControlCharacters(text))
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        char,
      )
        ? 2
        : 1;
  return width;
}

function fitCell(text: string, width: number, last: boolean): string {
  let result = text;
  if (displayWidth(result) > width) {
    let cut = "";
    for (const char of result) {
      if (displayWidth(`${cut}${char}…`) > width) break;
      cut += char;
    }
    result = `${cut}…`;
  }
  return last ? result : result + " ".repeat(Math.max(0, width - displayWidth(result)));
}

import type { Command } from "commander";
import { apiClient } from "../client/session.js";
import { example, segment } from "../command-options.js";
import { type Column, printResult, printTable } from "../output.js";

/** A read-only API collection as `NOUN list` and `NOUN show ID`. */
export interface ResourceSpec<T> {
  /** The collection's path, e.g. `/v1.0/groups`. */
  path: string;
  /** What one item is called in help texts. */
  item: string;
  columns: readonly Column<T>[];
  listExample: string;
}

/**
 * Adds `list` (every page, `{"value":[…]}` with `--json`) and `show ID` (the API's own JSON) to a
 * noun: the shape most nouns of the CLI share (issue 8: nouns follow the API).
 */
export function addListAndShow<T>(noun: Command, spec: ResourceSpec<T>): void {
  example(noun.command("list").description(`list the ${spec.item}s`), spec.listExample).action(
    async (_flags: unknown, command: Command) => {
      const value = await apiClient(command).getAll<T>(spec.path);
      printResult(command, { value }, () => printTable(spec.columns, value));
    },
  );
  example(
    noun.command("show").argument("<id>").description(`one ${spec.item}`),
    `${spec.listExample.replace(/ list.*$/, " show ID")}`,
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const found = await apiClient(command).get<T>(`${spec.path}/${segment(id)}`);
    printResult(command, found, () => printTable(spec.columns, [found]));
  });
}

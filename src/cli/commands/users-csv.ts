import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { invalid } from "../../shared/app-error.js";

/** The column of the portal's bulk-delete template that holds the users to delete. */
export const UPN_COLUMN = "User name [userPrincipalName] Required";

/** Every refusal of a file says so: nothing was deleted (the file is checked before any delete). */
export function csvInvalid(file: string, problems: readonly string[]) {
  const shown = problems.slice(0, 10).join("; ");
  const more = problems.length > 10 ? ` (and ${problems.length - 10} more)` : "";
  return invalid("CSV_INVALID", `${file}: ${shown}${more}. Nothing was deleted.`, { field: "csv" });
}

/**
 * The user principal names of a bulk-delete CSV in the portal's template (issue 8): a version row
 * (`version:v1.0`), then a header row naming `User name [userPrincipalName] Required`, then one
 * user per row; other columns are ignored, blank rows skipped. Every problem in the file is found
 * before any is reported — with its row number — so a malformed file deletes nothing.
 */
export function readBulkDeleteCsv(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw invalid("CSV_UNREADABLE", `Cannot read ${file} (${reason}).`, { field: "csv" });
  }
  let rows: string[][];
  try {
    // Blank lines are kept (and skipped below), so that row numbers match the file's lines.
    rows = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, trim: true });
  } catch (error) {
    throw csvInvalid(file, [`not valid CSV (${(error as Error).message})`]);
  }
  const [version, header, ...users] = rows;
  if (!version?.[0] || !/^version:v\d+(\.\d+)?$/i.test(version[0])) {
    const found = version?.join(",") ?? "";
    throw csvInvalid(file, [
      `row 1 must be the template's version row (version:v1.0), not "${found}"`,
    ]);
  }
  const column = header?.findIndex((cell) => cell.includes("[userPrincipalName]")) ?? -1;
  if (column < 0)
    throw csvInvalid(file, [`row 2 must be the header with the column "${UPN_COLUMN}"`]);
  const problems: string[] = [];
  const seen = new Set<string>();
  const upns: string[] = [];
  users.forEach((row, i) => {
    const upn = row[column] ?? "";
    const line = i + 3;
    if (row.every((cell) => cell === "")) return;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn)) {
      problems.push(`row ${line}: "${upn}" is not a user principal name`);
    } else if (seen.has(upn.toLowerCase())) {
      problems.push(`row ${line}: ${upn} is listed twice`);
    } else {
      seen.add(upn.toLowerCase());
      upns.push(upn);
    }
  });
  if (problems.length > 0) throw csvInvalid(file, problems);
  if (upns.length === 0) throw csvInvalid(file, ["the file lists no users"]);
  return upns;
}

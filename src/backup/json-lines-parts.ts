import { PART_MAX_BYTES, PART_MAX_ROWS, partPath } from "./backup.js";

/** Adds one finished entry to the archive (ArchiveWriter.add). */
export type AddEntry = (path: string, data: Buffer) => Promise<void>;

/**
 * Writes rows as JSON Lines in numbered parts under `prefix` (`users/part-00001.jsonl`, …): a part
 * closes at PART_MAX_ROWS rows or once it passes PART_MAX_BYTES, so only one bounded part is ever
 * held. Writes nothing when no row comes. `count` is the number of rows written.
 */
export class JsonLinesParts {
  private lines: Buffer[] = [];
  private size = 0;
  private part = 0;
  count = 0;

  constructor(
    private readonly prefix: string,
    private readonly addEntry: AddEntry,
  ) {}

  async add(row: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(row)}\n`, "utf8");
    this.lines.push(line);
    this.size += line.length;
    this.count += 1;
    if (this.lines.length >= PART_MAX_ROWS || this.size >= PART_MAX_BYTES) await this.flush();
  }

  /** Writes the open part, if any; call once after the last row. */
  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const data = Buffer.concat(this.lines);
    this.lines = [];
    this.size = 0;
    this.part += 1;
    await this.addEntry(partPath(this.prefix, this.part), data);
  }
}

/** The rows of a JSON Lines entry. */
export function parseJsonLines<T>(data: Buffer): T[] {
  return data
    .toString("utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

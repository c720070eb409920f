/**
 * Where the CLI writes: results (JSON) on stdout, so they can be piped into `jq` or a script;
 * logs and human-readable errors on stderr.
 */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function writeError(line: string): void {
  process.stderr.write(`${line}\n`);
}

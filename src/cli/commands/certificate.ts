import fs from "node:fs";
import type { Command } from "commander";
import {
  CERTIFICATE_ERROR,
  type CertificateVerification,
  SIGNING_KEYS_PATH,
  type TrustedKey,
  verifyCertificate,
} from "../../certificate/index.js";
import { blocked, invalid, notFound } from "../../shared/app-error.js";
import { example } from "../command-options.js";
import { writeJson } from "../output.js";

/** How long `--url` waits for the server's key list. */
const FETCH_TIMEOUT_MS = 10_000;

/** What `certificate verify` reports: the certificate's facts and the verdict. */
interface VerifyReport {
  valid: boolean;
  reason?: string;
  tenantId: string | null;
  initialDomain: string | null;
  completedDateTime: string | null;
  keyId: string | null;
  /** The key list the key was found in (`--url`), or null when verified offline only. */
  keyListedAt: string | null;
}

/** The certificate file's JSON; unreadable or malformed files are invalid input (exit 2). */
function readCertificateFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw invalid(CERTIFICATE_ERROR.FILE_UNREADABLE, `Cannot read ${file} (${reason}).`, {
      field: "file",
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(
      CERTIFICATE_ERROR.FILE_INVALID,
      `${file} is not valid JSON: ${(error as Error).message}.`,
      { field: "file" },
    );
  }
}

/** `<url>/.well-known/tenantry-signing-keys`, keeping a path prefix (a server behind a proxy). */
function signingKeysUrl(url: string): string {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    base = new URL("invalid:");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw invalid(
      CERTIFICATE_ERROR.URL_INVALID,
      `--url must be the server's http:// or https:// address, not "${url}".`,
      { field: "url" },
    );
  }
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${SIGNING_KEYS_PATH}`;
}

/**
 * The keys a server publishes. Unreachable, refusing or answering something else: the check
 * cannot be made, which is not the certificate's fault (SIGNING_KEYS_UNAVAILABLE, exit 1).
 */
async function fetchSigningKeys(url: string): Promise<TrustedKey[]> {
  const unavailable = (why: string) =>
    notFound(CERTIFICATE_ERROR.SIGNING_KEYS_UNAVAILABLE, `No signing keys from ${url}: ${why}.`);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw unavailable(cause?.code ?? (error as Error).message);
  }
  if (response.status !== 200) throw unavailable(`the server answered ${response.status}`);
  const body = (await response.json().catch(() => null)) as { keys?: unknown } | null;
  const keys = Array.isArray(body?.keys) ? (body.keys as Partial<TrustedKey>[]) : undefined;
  if (!keys?.every((k) => typeof k?.keyId === "string" && typeof k.publicKey === "string")) {
    throw unavailable('the answer is not a {"keys":[{keyId, publicKey}]} list');
  }
  return keys as TrustedKey[];
}

function report(
  doc: unknown,
  verification: CertificateVerification,
  keyListedAt: string | null,
): VerifyReport {
  const fields = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === "string" ? fields[name] : null);
  return {
    valid: verification.valid,
    ...(verification.reason === undefined ? {} : { reason: verification.reason }),
    tenantId: text("tenantId"),
    initialDomain: text("initialDomain"),
    completedDateTime: text("completedDateTime"),
    keyId: verification.keyId ?? null,
    keyListedAt: verification.valid ? keyListedAt : null,
  };
}

function formatReport(r: VerifyReport, checkedAgainst: string | null): string {
  const where =
    checkedAgainst === null
      ? "not checked against a server, use --url for that"
      : `${r.valid ? "listed at" : "checked against"} ${checkedAgainst}`;
  const key = `${r.keyId ?? "-"} (Ed25519; ${where})`;
  return [
    `Tenant:     ${r.tenantId ?? "-"} (${r.initialDomain ?? "-"})`,
    `Completed:  ${r.completedDateTime ?? "-"}`,
    `Key:        ${key}`,
    `Signature:  ${r.valid ? "VALID" : `INVALID: ${r.reason}`}`,
  ].join("\n");
}

/** `tenantry certificate verify`: deletion certificates (SPEC §6), checked without the store. */
export function registerCertificateCommands(program: Command): void {
  const certificate = program
    .command("certificate")
    .description("deletion certificates: verify one offline, or against a server's signing keys");

  example(
    certificate.command("verify"),
    "tenantry certificate verify certificate.json --url https://tenantry.contoso.example",
  )
    .description(
      "check a deletion certificate's Ed25519 signature (offline); with --url, also that the server lists its key. Exit 0 when valid, 3 (CERTIFICATE_INVALID) when not; with the global --json flag, prints one JSON document",
    )
    .argument("<file>", "the certificate as GET /v1.0/organization/closure/certificate gave it")
    .option("--url <url>", "the server's base URL; its /.well-known/tenantry-signing-keys is read")
    .action(async (file: string, options: { url?: string }, command: Command) => {
      const keysUrl = options.url === undefined ? null : signingKeysUrl(options.url);
      const doc = readCertificateFile(file);
      const trustedKeys = keysUrl === null ? undefined : await fetchSigningKeys(keysUrl);
      const verification = verifyCertificate(doc, trustedKeys ? { trustedKeys } : {});
      const result = report(doc, verification, keysUrl);
      const json = command.optsWithGlobals().json === true;
      // Invalid with --json: run-cli.ts prints the error, the one JSON document on stdout.
      if (json && result.valid) writeJson(result);
      if (!json) process.stdout.write(`${formatReport(result, keysUrl)}\n`);
      if (!result.valid) {
        throw blocked(
          CERTIFICATE_ERROR.INVALID,
          `${file} is not a valid deletion certificate: ${result.reason}`,
          { keyId: result.keyId, reason: result.reason },
        );
      }
    });
}

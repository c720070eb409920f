import fs from "node:fs";
import tls from "node:tls";
import type { TlsOptions } from "../http/index.js";
import { invalid } from "../shared/app-error.js";

/**
 * The certificate and key of `--tls-cert FILE --tls-key FILE`, read and checked before anything
 * starts: both flags or neither (HTTP), readable files, PEM that Node accepts as a matching pair.
 * Every refusal is `Invalid` (exit code 2) naming the flag or file.
 */
export function readTlsFiles(
  certFile: string | undefined,
  keyFile: string | undefined,
): TlsOptions | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw invalid(
      "INVALID_USAGE",
      "--tls-cert and --tls-key go together: give both to serve HTTPS, or neither to serve HTTP.",
      { field: certFile === undefined ? "--tls-cert" : "--tls-key" },
    );
  }
  const options = { cert: readFile(certFile, "--tls-cert"), key: readFile(keyFile, "--tls-key") };
  try {
    tls.createSecureContext(options);
  } catch (error) {
    throw invalid(
      "TLS_CERTIFICATE_INVALID",
      `${certFile} and ${keyFile} are not a PEM certificate and its private key: ${reason(error)}`,
    );
  }
  return options;
}

function readFile(file: string, flag: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw invalid("TLS_FILE_UNREADABLE", `${flag}: cannot read ${file}: ${reason(error)}`, {
      field: flag,
    });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

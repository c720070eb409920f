import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import type { TLSSocket } from "node:tls";

/** Certificates are made with openssl; tests that need one are skipped (saying so) without it. */
export const HAS_OPENSSL = spawnSync("which", ["openssl"]).status === 0;

/** A self-signed certificate for localhost and 127.0.0.1, valid one day, written to `dir`. */
export function makeSelfSignedCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"],
      ...["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      ...["-keyout", keyFile, "-out", certFile],
    ],
    { stdio: "ignore" },
  );
  return { certFile, keyFile };
}

export interface HttpsAnswer {
  status: number | undefined;
  body: unknown;
  /** The server presented a certificate that `ca` vouches for. */
  authorized: boolean;
}

/** A request that trusts only `ca`, so a success proves the server presented that certificate. */
export function httpsRequest(
  url: string,
  ca: Buffer,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpsAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = payload
    ? { ...options.headers, "content-type": "application/json" }
    : options.headers;
  return new Promise((resolve, reject) => {
    const request = https.request(url, { ca, method: options.method ?? "GET", headers }, (res) => {
      const { authorized } = res.socket as TLSSocket;
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on("end", () => {
        resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined, authorized });
      });
    });
    request.on("error", reject);
    request.end(payload);
  });
}

/** Reads a PEM file written by makeSelfSignedCertificate. */
export function readPem(file: string): Buffer {
  return fs.readFileSync(file);
}

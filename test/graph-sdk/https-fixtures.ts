import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { Agent, fetch as undiciFetch } from "undici";
import { importUsers } from "../../src/directory/index.js";
import { createTenantWithAdmin, OPERATOR, type TenantFixture } from "../directory-fixtures.js";
import { bearerFor, buildTestServer } from "../http-fixtures.js";
import type { TestContext } from "../test-context.js";

/** The fetch signature both Graph SDKs accept for a custom HTTP transport. */
export type TlsFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface HttpsApi {
  /** `https://127.0.0.1:<port>`, the server's origin. */
  origin: string;
  /** Fetch that trusts the test's self-signed certificate (and only it, on top of the system's). */
  fetch: TlsFetch;
  close(): Promise<void>;
}

/**
 * The real application over HTTPS in this process, with a throw-away self-signed certificate for
 * 127.0.0.1. Fastify's own `https` option is not exposed by `buildServer`, so Node's HTTPS server
 * hands each request to the built application (`app.routing`), which then sees `https` as its
 * protocol (absolute links such as `@odata.nextLink` are https). Trust goes through an undici
 * `Agent` with the certificate as CA, not `NODE_TLS_REJECT_UNAUTHORIZED`.
 */
export async function startHttpsApi(t: TestContext): Promise<HttpsApi> {
  const { key, cert } = selfSignedCertificate();
  const app: FastifyInstance = await buildTestServer(t);
  await app.ready();
  const server = https.createServer({ key, cert }, (req, res) => app.routing(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const dispatcher = new Agent({ connect: { ca: cert } });
  const tlsFetch = ((url: string, init?: RequestInit) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as TlsFetch;
  return {
    origin: `https://127.0.0.1:${port}`,
    fetch: tlsFetch,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
      await app.close();
    },
  };
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-tls-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ],
      { stdio: "pipe" },
    );
    return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Seeded users: every fifth display name starts with "A" (`Avery 005` …), the rest with "B". */
export const SEEDED_USERS = 125;
export const SEEDED_A_USERS = 25;

export interface SeededTenant extends TenantFixture {
  /** A Global Administrator's `Authorization` header value's token part. */
  token: string;
}

/** A tenant with its admin (`First Admin`) and 125 imported users, enough for three pages of 50. */
export async function seedTenant(t: TestContext): Promise<SeededTenant> {
  const org = await createTenantWithAdmin(t);
  const people = Array.from({ length: SEEDED_USERS }, (_, index) => {
    const n = String(index + 1).padStart(3, "0");
    const name = (index + 1) % 5 === 0 ? `Avery ${n}` : `Blake ${n}`;
    return {
      userPrincipalName: `user${n}@${org.domain}`,
      displayName: name,
      mailNickname: `user${n}`,
    };
  });
  const imported = await importUsers(t, OPERATOR, org.tenantId, people);
  if (imported.failed > 0) throw new Error(`seeding failed: ${JSON.stringify(imported.value)}`);
  const { authorization } = await bearerFor(t, org.tenantId, org.admin.id);
  return { ...org, token: authorization.replace(/^Bearer /, "") };
}

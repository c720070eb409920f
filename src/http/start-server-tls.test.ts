import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin, type TenantFixture } from "../../test/directory-fixtures.js";
import { bearerFor } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  HAS_OPENSSL,
  httpsRequest,
  makeSelfSignedCertificate,
  readPem,
} from "../../test/tls-fixtures.js";
import { createGroup } from "../directory/index.js";
import { serverUrl, startServer } from "./start-server.js";

// Without openssl there is no certificate to serve: skipped, and the name says why.
describe.skipIf(!HAS_OPENSSL).each(TEST_ENGINES)(
  "startServer with tls (needs openssl) on %s",
  (engine) => {
    let t: TestContext;
    let app: FastifyInstance;
    let org: TenantFixture;
    let dir: string;
    let ca: Buffer;
    let url: string;

    beforeAll(async () => {
      t = await createTestContext(engine);
      org = await createTenantWithAdmin(t);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-tls-"));
      const { certFile, keyFile } = makeSelfSignedCertificate(dir);
      ca = readPem(certFile);
      const tls = { cert: ca, key: readPem(keyFile) };
      app = await startServer(t, { port: 0, host: "127.0.0.1", tls, logger: false });
      url = serverUrl(app);
    });
    afterAll(async () => {
      await app.close();
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("reports an https URL and answers over TLS with the given certificate", async () => {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await httpsRequest(`${url}/healthz`, ca);
      expect(res).toMatchObject({ status: 200, authorized: true });
    });

    it("gives OData links the https scheme, in $batch sub-responses too", async () => {
      // Two groups: a page of one has a next link.
      for (const name of ["One", "Two"]) {
        await createGroup(t, org.adminActor, org.tenantId, { displayName: name });
      }
      const headers = await bearerFor(t, org.tenantId, org.admin.id);
      const direct = await httpsRequest(`${url}/v1.0/organization`, ca, { headers });
      expect(direct.body).toMatchObject({ "@odata.context": `${url}/v1.0/$metadata#organization` });

      const batch = await httpsRequest(`${url}/v1.0/$batch`, ca, {
        method: "POST",
        headers,
        body: { requests: [{ id: "1", method: "GET", url: "/groups?$top=1" }] },
      });
      const [sub] = (batch.body as { responses: { body: Record<string, string> }[] }).responses;
      expect(sub?.body["@odata.context"]).toMatch(/^https:\/\//);
      expect(sub?.body["@odata.nextLink"]).toMatch(new RegExp(`^${url}/v1\\.0/groups\\?`));
    });
  },
);

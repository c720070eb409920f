import fs from "node:fs";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, RouteOptions } from "fastify";

/** Where the document and the reference page are served; neither needs authentication. */
export const OPENAPI_PATH = "/openapi.json";
export const DOCS_PATH = "/docs";

/** Tags derived from the first path segment, where the segment is not already the tag's name. */
const TAG_OF_SEGMENT: Readonly<Record<string, string>> = {
  directory: "directoryObjects",
  $batch: "batch",
  oauth2: "auth",
  healthz: "health",
  readyz: "health",
};

const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  auth: "Sign-in, MFA step, sign-out, password change and the client-credentials token endpoint.",
  me: "The signed-in user and their own authentication methods.",
  users: "Users in Microsoft Graph's shapes, with OData paging.",
  directoryObjects: "The recycle bin: deleted users, restorable for 30 days.",
  directoryRoles: "Directory roles and their members.",
  applications: "App registrations and their client secrets.",
  groups: "Groups and their members.",
  organization: "The tenant's organization resource.",
  batch: "JSON batching: up to 20 requests in one, with dependsOn.",
  billing:
    "Products, subscriptions and their lifecycle, payment methods, invoices and the balance due.",
  subscribedSkus: "Licensing in Graph's shape: seats per SKU and how many are assigned.",
  directory: "The recycle bin and the tenant's company subscriptions in Graph's shapes.",
  mail: "A user's mailbox messages; only the owner reads them.",
  files: "A user's drive files; only the owner reads or writes them.",
  closure:
    "Closing the account: the deletion checks, the dry-run plan, the five steps, the durable guided closure with its backup archive and signed deletion certificate (Global Administrators only).",
  auditLogs:
    "The audit log in Graph's directoryAudit shape, and the verification of its hash chain.",
  health: "Liveness and readiness probes for load balancers and orchestrators.",
  reports:
    "Users' MFA registration and per-user MFA state, in Graph's userRegistrationDetails shape.",
};

type Schema = Record<string, unknown>;

/**
 * Serves the OpenAPI 3.1 document at `/openapi.json` and an API reference (Swagger UI, every asset
 * served from the npm package, no CDN) at `/docs`. The document is generated from the schemas that
 * validate requests (STYLE rule 5), so register this before any route: it collects the routes as
 * they are added. Routes that set no `schema.tags` are tagged by their URL's area, and routes that
 * authenticate (every `authenticate` preHandler) carry the bearer/OAuth 2.0 security requirement;
 * the others are marked public.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tenantry API",
        version: packageVersion(),
        description:
          "Tenantry's REST API under /v1.0 follows Microsoft Graph's conventions and shapes, so " +
          "Graph's official SDKs work against it. Failures have Graph's error body.",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      servers: [{ url: "/", description: "This Tenantry server" }],
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "An access token from POST /auth/signin (users).",
          },
          oauth2: {
            type: "oauth2",
            description: "The client-credentials flow (applications).",
            flows: { clientCredentials: { tokenUrl: "/oauth2/v2.0/token", scopes: {} } },
          },
        },
      },
      security: [{ bearer: [] }, { oauth2: [] }],
    },
    transform: ({ schema, url, route }) => ({
      url: documentedUrl(url),
      schema: describeRoute(schema as Schema | undefined, url, route as RouteOptions),
    }),
    transformObject: (document) =>
      finishDocument(("openapiObject" in document ? document.openapiObject : {}) as Schema),
  });

  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    theme: { title: "Tenantry API reference" },
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
    // The plugin's CSP allows any https: style/font source and upgrades requests to https; the page
    // loads nothing from elsewhere, and plain-http installations must still load their own assets.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace(/ https:/g, "")
        .replace(/ validator\.swagger\.io/g, "")
        .replace(/ upgrade-insecure-requests;/g, ""),
  });

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}

/**
 * Graph's alternate keys are routes with a quoted-value parameter, `(appId=:id(^'[^']*'$))`; the
 * generator reads any `(` as a regular expression, so the parentheses pass through it escaped
 * (restored in `finishDocument`) and the document shows the path as Graph does, `(appId='{id}')`.
 */
function documentedUrl(url: string): string {
  return url
    .replace(/:(\w+)\(\^'\[\^'\]\*'\$\)/g, "'{$1}'")
    .replaceAll("(", "%28")
    .replaceAll(")", "%29");
}

/** The route's operation as the document shows it; the route's own schema is left untouched. */
function describeRoute(schema: Schema | undefined, url: string, route: RouteOptions): Schema {
  const own = schema ?? {};
  if (own.hide === true) return own;
  const tags = Array.isArray(own.tags) && own.tags.length > 0 ? own.tags : [tagOf(url)];
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return {
    ...own,
    tags,
    operationId: own.operationId ?? operationIdOf(String(methods[0]), url),
    ...(route.preHandler || own.security ? {} : { security: [] }),
  };
}

/** `/v1.0/users/:id` → `users`; `/v1.0/applications(appId=…)` → `applications`; `/auth/…` → `auth`. */
export function tagOf(url: string): string {
  const segments = url.split("/").filter((s) => s !== "" && s !== "v1.0");
  const first = (segments[0] ?? "").replace(/\(.*$/, "");
  return TAG_OF_SEGMENT[first] ?? first;
}

/** A stable, URL-safe id from the method and path: `GET /v1.0/users/:id` → `getUsersById`. */
function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/\(appId=.*\)/, "/byAppId")
    .split("/")
    .filter((s) => s !== "" && s !== "v1.0")
    .map((s) => (s.startsWith(":") ? `by${s.slice(1).replace(/\(.*$/, "")}` : s))
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter((s) => s !== "");
  return [method.toLowerCase(), ...words.map((w) => w[0]?.toUpperCase() + w.slice(1))].join("");
}

/**
 * Sorts paths (so routes added in any order give the same document), lists the tags in use with
 * their descriptions, and documents the error bodies every operation can answer with.
 */
function finishDocument(document: Schema): Schema {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Schema>>;
  const sortedPaths: Record<string, Record<string, Schema>> = {};
  const tags = new Set<string>();
  for (const escaped of Object.keys(paths).sort()) {
    const path = escaped
      .replaceAll("%28", "(")
      .replaceAll("%29", ")")
      .replace(/:\/\{\*\}$/, `:/{${UPLOAD_PATH_PARAMETER}}:/content`);
    const operations: Record<string, Schema> = {};
    for (const [method, operation] of Object.entries(paths[escaped] ?? {})) {
      for (const tag of (operation.tags as string[] | undefined) ?? []) tags.add(tag);
      const oauth = path.startsWith("/oauth2/");
      operations[method] = {
        ...operation,
        ...(operation.parameters ? { parameters: namedWildcard(operation.parameters) } : {}),
        responses: {
          ...(operation.responses as Schema),
          "4XX": { $ref: `#/components/responses/${oauth ? "OAuthError" : "GraphError"}` },
        },
      };
    }
    sortedPaths[path] = operations;
  }
  const components = (document.components ?? {}) as Schema;
  return {
    ...document,
    tags: [...tags].sort().map((name) => ({
      name,
      ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
    })),
    paths: sortedPaths,
    components: { ...components, responses: ERROR_RESPONSES },
  };
}

/**
 * Graph addresses a drive item by path, `root:/{path}:/content`; the route matches it with a
 * wildcard (`root:/*`), which the document shows as Graph does, with a `path` parameter.
 */
const UPLOAD_PATH_PARAMETER = "path";

function namedWildcard(parameters: unknown): unknown {
  if (!Array.isArray(parameters)) return parameters;
  return parameters.map((parameter: Schema) =>
    parameter.in === "path" && parameter.name === "*"
      ? {
          ...parameter,
          name: UPLOAD_PATH_PARAMETER,
          description: "The item's path below the drive's root, e.g. reports/q1.pdf.",
        }
      : parameter,
  );
}

const ERROR_RESPONSES = {
  GraphError: {
    description: "Microsoft Graph's error body; Tenantry's own UPPER_SNAKE code is in details[0].",
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "innerError"],
              properties: {
                code: { type: "string", examples: ["Request_ResourceNotFound"] },
                message: { type: "string" },
                innerError: {
                  type: "object",
                  properties: {
                    date: { type: "string" },
                    "request-id": { type: "string" },
                    "client-request-id": { type: "string" },
                  },
                },
                details: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["code", "message"],
                    properties: {
                      code: { type: "string" },
                      message: { type: "string" },
                      target: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  OAuthError: {
    description: "OAuth 2.0's error body (RFC 6749 §5.2).",
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["error"],
          properties: { error: { type: "string" }, error_description: { type: "string" } },
        },
      },
    },
  },
};

function packageVersion(): string {
  // Two levels up from both src/http/ and dist/http/.
  const file = new URL("../../package.json", import.meta.url);
  const { version } = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string };
  return version ?? "0.0.0";
}

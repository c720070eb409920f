import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { type AuditEntry, readAuditLog, verifyAuditChain } from "../audit/index.js";
import { requirePermission } from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { nextLinkProperty } from "./keyset-page.js";
import { odataContext } from "./odata.js";

const PATH = "/v1.0/auditLogs/directoryAudits";
const TAGS = ["auditLogs"];
const DEFAULT_TOP = 100;
const MAX_TOP = 999;

const ListQuery = Type.Object({
  $top: Type.Optional(
    Type.String({ description: `Page size, 1 to ${MAX_TOP}; default ${DEFAULT_TOP}.` }),
  ),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});

/**
 * Graph's `directoryAudit` as far as Tenantry's entries allow. People are named by id; names and
 * addresses come from the entry's encrypted details (SPEC §5), and are gone once the tenant's key
 * is shredded. Tenantry adds its chain position and hashes, so a reader can check them.
 */
export function toDirectoryAudit(entry: AuditEntry) {
  const details = entry.details ?? {};
  const text = (key: string) =>
    typeof details[key] === "string" ? (details[key] as string) : null;
  return {
    id: entry.id,
    category: entry.action.split(".")[0] ?? entry.action,
    correlationId: entry.requestId,
    result: entry.outcome,
    resultReason: "",
    activityDisplayName: entry.action,
    activityDateTime: entry.occurredAt,
    loggedByService: "Tenantry",
    operationType: entry.action.split(".").at(-1) ?? entry.action,
    initiatedBy: {
      user:
        entry.actor.type === "user"
          ? { id: entry.actor.id, displayName: null, userPrincipalName: null, ipAddress: null }
          : null,
      app:
        entry.actor.type === "application"
          ? {
              appId: null,
              displayName: null,
              servicePrincipalId: entry.actor.id,
              servicePrincipalName: null,
            }
          : null,
    },
    targetResources: entry.target
      ? [
          {
            id: entry.target.id,
            displayName: text("displayName"),
            type: entry.target.type,
            userPrincipalName: text("userPrincipalName"),
            modifiedProperties: [] as unknown[],
          },
        ]
      : [],
    additionalDetails: Object.entries(details).map(([key, value]) => ({
      key,
      value: typeof value === "string" ? value : JSON.stringify(value),
    })),
    initiatedByType: entry.actor.type,
    detailsShredded: entry.detailsShredded,
    sequenceNumber: entry.seq,
    hash: entry.hash,
    previousHash: entry.prevHash,
  };
}

function readTop(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TOP;
  const top = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(top >= 1 && top <= MAX_TOP)) {
    throw invalid("TOP_INVALID", `$top must be a whole number from 1 to ${MAX_TOP}.`, {
      field: "$top",
    });
  }
  return top;
}

function readSkipToken(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,12}$/.test(raw))
    throw invalid("SKIPTOKEN_INVALID", "$skiptoken is not one this server gave.", {
      field: "$skiptoken",
    });
  return Number(raw);
}

/**
 * The caller's organization's audit log (SPEC §5), Graph-style: `GET …/directoryAudits` in chain
 * order (oldest first) with `$top` and `@odata.nextLink`, and Tenantry's own `GET /v1.0/auditLogs/verify`,
 * which recomputes the hash chain. Only the caller's own tenant is ever read.
 */
export function auditLogsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get(
      PATH,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary:
            "The organization's audit log (Global Administrator, Global Reader; Billing Administrator: billing events)",
          querystring: ListQuery,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const top = readTop(request.query.$top);
        const page = await readAuditLog(ctx, actor, session.tenantId, {
          afterSeq: readSkipToken(request.query.$skiptoken),
          limit: top,
        });
        return {
          "@odata.context": odataContext(request, "auditLogs/directoryAudits"),
          value: page.entries.map(toDirectoryAudit),
          ...nextLinkProperty(request, PATH, top, page.nextAfterSeq?.toString()),
        };
      },
    );

    app.get(
      "/v1.0/auditLogs/verify",
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary:
            "Verify the organization's hash-chained audit log (Global Administrator, Global Reader)",
          description:
            "valid is false when an entry was edited, removed or reordered; problems names the first such entry.",
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        await requirePermission(ctx.db, actor, session.tenantId, "audit.read");
        const result = await verifyAuditChain(ctx, session.tenantId);
        return result.ok
          ? { valid: true, entries: result.entries, lastHash: result.lastHash, problems: [] }
          : { valid: false, entries: result.entries, problems: [result.firstBad] };
      },
    );
  };
}

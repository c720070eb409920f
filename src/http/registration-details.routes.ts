import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  getUserRegistration,
  listUserRegistrations,
  MAX_REGISTRATION_PAGE,
  toRegistrationFilter,
  type UserRegistration,
} from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { parseFilter } from "./odata/parse-filter.js";
import { parseTop, queryError, readQueryOptions } from "./odata/query-options.js";
import { decodeSkipToken, encodeSkipToken } from "./odata/skip-token.js";
import { baseUrl, odataContext } from "./odata.js";

const PATH = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
const DEFAULT_TOP = 100;

/**
 * Graph's `userRegistrationDetails`: what Tenantry knows of a user's MFA registration (an
 * authenticator app is the one method it has; self-service password reset and passwordless
 * sign-in do not exist here, so they are false), plus Tenantry's `perUserMfaState`, the per-user
 * MFA state an admin turns on and off (Graph keeps it apart, per user, under
 * `/users/{id}/authentication/requirements`).
 */
export function toUserRegistrationDetails(registration: UserRegistration) {
  const methods = registration.isMfaRegistered ? ["softwareOneTimePasscode"] : [];
  return {
    id: registration.id,
    userPrincipalName: registration.userPrincipalName,
    userDisplayName: registration.displayName,
    userType: "member",
    isAdmin: registration.isAdmin,
    isMfaRegistered: registration.isMfaRegistered,
    isMfaCapable: registration.isMfaRegistered,
    isSsprRegistered: false,
    isSsprEnabled: false,
    isSsprCapable: false,
    isPasswordlessCapable: false,
    isSystemPreferredAuthenticationMethodEnabled: false,
    systemPreferredAuthenticationMethods: [] as string[],
    methodsRegistered: methods,
    userPreferredMethodForSecondaryAuthentication: registration.isMfaRegistered ? "oath" : "none",
    lastUpdatedDateTime: registration.updatedDateTime,
    perUserMfaState: registration.perUserMfaState,
  };
}

const MfaState = Type.Union([
  Type.Literal("disabled"),
  Type.Literal("enabled"),
  Type.Literal("enforced"),
]);

const UserRegistrationDetailsSchema = Type.Object(
  {
    "@odata.context": Type.Optional(Type.String()),
    id: Type.String(),
    userPrincipalName: Type.String(),
    userDisplayName: Type.String(),
    userType: Type.String(),
    isAdmin: Type.Boolean(),
    isMfaRegistered: Type.Boolean(),
    isMfaCapable: Type.Boolean(),
    isSsprRegistered: Type.Boolean(),
    isSsprEnabled: Type.Boolean(),
    isSsprCapable: Type.Boolean(),
    isPasswordlessCapable: Type.Boolean(),
    isSystemPreferredAuthenticationMethodEnabled: Type.Boolean(),
    systemPreferredAuthenticationMethods: Type.Array(Type.String()),
    methodsRegistered: Type.Array(Type.String()),
    userPreferredMethodForSecondaryAuthentication: Type.String(),
    lastUpdatedDateTime: Type.String(),
    perUserMfaState: MfaState,
  },
  { additionalProperties: false },
);

const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

const ListQuery = Type.Object({
  $top: Type.Optional(
    Type.String({
      description: `Page size, 1 to ${MAX_REGISTRATION_PAGE}; default ${DEFAULT_TOP}.`,
    }),
  ),
  $filter: Type.Optional(
    Type.String({
      description:
        "eq, ne and in on perUserMfaState; eq and ne on isAdmin, isMfaRegistered and isMfaCapable; joined by and.",
    }),
  ),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});

interface ReportQuery {
  top: number;
  filterText: string | undefined;
  cursor: string | undefined;
}

/** The `$skiptoken` carries the position and the `$filter`, so a nextLink needs nothing else. */
function readReportQuery(request: FastifyRequest): ReportQuery {
  const options = readQueryOptions(request.query, ["top", "filter", "skiptoken"]);
  const token = options.skiptoken === undefined ? undefined : decodeSkipToken(options.skiptoken, 1);
  const tokenFilter = token?.options[0];
  if (token && options.filter !== undefined && options.filter !== tokenFilter) {
    throw queryError("skiptoken", "The $skiptoken belongs to a listing with another $filter.");
  }
  return {
    top: parseTop(options.top, DEFAULT_TOP, MAX_REGISTRATION_PAGE),
    filterText: token ? tokenFilter : options.filter,
    cursor: token?.position,
  };
}

/**
 * `GET /v1.0/reports/authenticationMethods/userRegistrationDetails`: every live user's MFA
 * registration and per-user MFA state in one paged listing, for the admins who may read MFA state
 * (Global Administrator, Privileged Authentication Administrator, Global Reader; an
 * Authentication Administrator sees the users without a directory role).
 */
export function registrationDetailsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      PATH,
      {
        preHandler: authenticate(ctx),
        schema: {
          tags: ["reports"],
          summary:
            "Users' MFA registration and per-user MFA state (Global Administrator, Privileged Authentication Administrator, Global Reader; Authentication Administrator: users without a role)",
          querystring: ListQuery,
          response: {
            200: Type.Object(
              {
                "@odata.context": Type.String(),
                "@odata.nextLink": Type.Optional(Type.String()),
                value: Type.Array(UserRegistrationDetailsSchema),
              },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const query = readReportQuery(request);
        const filter =
          query.filterText === undefined
            ? undefined
            : toRegistrationFilter(parseFilter(query.filterText));
        const page = await listUserRegistrations(ctx, actor, session.tenantId, {
          limit: query.top,
          cursor: query.cursor,
          filter,
        });
        const next = page.nextCursor
          ? `${baseUrl(request)}${PATH}?$top=${query.top}&$skiptoken=${encodeSkipToken(page.nextCursor, [query.filterText])}`
          : undefined;
        return {
          "@odata.context": odataContext(
            request,
            "reports/authenticationMethods/userRegistrationDetails",
          ),
          ...(next ? { "@odata.nextLink": next } : {}),
          value: page.registrations.map(toUserRegistrationDetails),
        };
      },
    );

    app.get(
      `${PATH}/:id`,
      {
        preHandler: authenticate(ctx),
        schema: {
          tags: ["reports"],
          summary:
            "One user's MFA registration and per-user MFA state (the list's roles; Authentication Administrator: users without a role)",
          params: ItemParams,
          response: { 200: UserRegistrationDetailsSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const registration = await getUserRegistration(
          ctx,
          actor,
          session.tenantId,
          request.params.id,
        );
        return {
          "@odata.context": odataContext(
            request,
            "reports/authenticationMethods/userRegistrationDetails/$entity",
          ),
          ...toUserRegistrationDetails(registration),
        };
      },
    );
  };
}

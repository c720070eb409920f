import { OAUTH_ERROR } from "../security/index.js";
import { AppError } from "../shared/app-error.js";

/** What the token endpoint needs from a request, read per RFC 6749 (§2.3.1, §4.4.2). */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
}

export interface RawTokenRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  body: Readonly<Record<string, unknown>> | undefined;
}

const FORM = "application/x-www-form-urlencoded";

function oauthError(code: string, description: string): AppError {
  return new AppError(
    code === OAUTH_ERROR.INVALID_CLIENT ? "Unauthorized" : "Invalid",
    code,
    description,
  );
}

/**
 * Reads a client-credentials token request: a form-encoded body with `grant_type`, the client
 * authenticated by HTTP Basic or by `client_id` + `client_secret` in the body — never both
 * (RFC 6749 §2.3). Throws AppErrors whose codes are OAuth's: `invalid_request` (not a form,
 * no grant_type, two authentication methods), `unsupported_grant_type`, `invalid_client` (no or
 * malformed client authentication).
 */
export function readTokenRequest(raw: RawTokenRequest): TokenRequest {
  const mediaType = raw.contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== FORM || raw.body === undefined) {
    throw oauthError(OAUTH_ERROR.INVALID_REQUEST, `The token request must be sent as ${FORM}.`);
  }
  const field = (name: string) => {
    const value = raw.body?.[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const grantType = field("grant_type");
  if (grantType === undefined) {
    throw oauthError(OAUTH_ERROR.INVALID_REQUEST, "grant_type is required.");
  }
  if (grantType !== "client_credentials") {
    throw oauthError(
      OAUTH_ERROR.UNSUPPORTED_GRANT_TYPE,
      `grant_type ${grantType} is not supported; use client_credentials.`,
    );
  }
  const basic = readBasicCredentials(raw.authorization);
  if (basic) {
    const bodyId = field("client_id");
    if (
      field("client_secret") !== undefined ||
      (bodyId !== undefined && bodyId !== basic.clientId)
    ) {
      throw oauthError(
        OAUTH_ERROR.INVALID_REQUEST,
        "Authenticate the client with HTTP Basic or with client_id and client_secret in the body, not both.",
      );
    }
    return basic;
  }
  const clientId = field("client_id");
  const clientSecret = field("client_secret");
  if (clientId === undefined || clientSecret === undefined) {
    throw oauthError(
      OAUTH_ERROR.INVALID_CLIENT,
      "Client authentication is missing: send client_id and client_secret, or HTTP Basic.",
    );
  }
  return { clientId, clientSecret };
}

/** Whether the request tried HTTP Basic client authentication (then a failure is a 401). */
export function usesBasicAuthentication(authorization: string | undefined): boolean {
  return /^Basic(\s|$)/i.test(authorization ?? "");
}

/**
 * HTTP Basic client credentials: `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749
 * §2.3.1). Undefined without a Basic header; invalid_client when it cannot be read.
 */
function readBasicCredentials(authorization: string | undefined): TokenRequest | undefined {
  if (!usesBasicAuthentication(authorization)) return undefined;
  const malformed = () =>
    oauthError(OAUTH_ERROR.INVALID_CLIENT, "The Basic authorization header is malformed.");
  const encoded = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization ?? "")?.[1];
  if (!encoded) throw malformed();
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw malformed();
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (clientSecret === "") throw malformed();
    return { clientId, clientSecret };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw malformed();
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

import { AppError, type ErrorKind } from "../../shared/app-error.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import type { CliLocale } from "../i18n.js";

/** How the CLI reaches the API: the server's base URL, a bearer token, and the user's language. */
export interface ApiClientOptions {
  url: string;
  token?: string;
  locale: CliLocale;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

/** A Graph collection page. */
export interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

/** Graph's error body (src/http/error-handler.ts). */
interface GraphErrorBody {
  error?: {
    code?: string;
    message?: string;
    details?: { code?: string; message?: string; target?: string }[];
    info?: Record<string, unknown>;
  };
}

/**
 * Statuses back to the kinds the server mapped them from (src/http/error-handler.ts), so that a
 * server's refusal ends the CLI with the exit code of its kind (exit-codes.ts). 409 is Conflict or
 * Blocked there; both are exit 3.
 */
const KIND_BY_STATUS: Readonly<Record<number, ErrorKind>> = {
  400: "Invalid",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  410: "NotFound",
  409: "Conflict",
  412: "Conflict",
  413: "Invalid",
  415: "Invalid",
  423: "Conflict",
  429: "TooManyRequests",
};

/**
 * A thin client of Tenantry's Graph-style API. Every failure becomes an `AppError` carrying the
 * server's own code (Tenantry's UPPER_SNAKE code when there is one, else Graph's) and message, so
 * that run-cli.ts prints it in one format with the exit code of its kind — never a stack trace.
 */
export class ApiClient {
  constructor(readonly options: ApiClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  get<T>(path: string, query?: RequestOptions["query"]): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, { body: body ?? {} });
  }

  /** Every item of a collection, following `@odata.nextLink` page after page. */
  async getAll<T>(path: string, query?: RequestOptions["query"]): Promise<T[]> {
    const items: T[] = [];
    let page = await this.get<Page<T>>(path, query);
    for (;;) {
      items.push(...page.value);
      const next = page["@odata.nextLink"];
      if (!next) return items;
      page = await this.get<Page<T>>(next);
    }
  }

  /** The raw response of a successful request (for downloads); failures throw as `request` does. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(
      path,
      this.options.url.endsWith("/") ? this.options.url : `${this.options.url}/`,
    );
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      "accept-language": this.options.locale,
      ...options.headers,
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CommandExit(
        ExitCode.Failure,
        `Cannot reach ${this.options.url} (${cause?.code ?? cause?.message ?? String(error)}).`,
        "SERVER_UNREACHABLE",
      );
    }
    if (!response.ok) throw await toError(response);
    return response;
  }
}

async function toError(response: Response): Promise<Error> {
  let body: GraphErrorBody = {};
  try {
    body = (await response.json()) as GraphErrorBody;
  } catch {
    // Not Graph's error body (a proxy's page): the status alone speaks.
  }
  const error = body.error ?? {};
  const code = error.details?.[0]?.code ?? error.code ?? `HTTP_${response.status}`;
  const message = error.message ?? `${response.status} ${response.statusText}`;
  const kind = KIND_BY_STATUS[response.status];
  if (!kind) return new CommandExit(ExitCode.Failure, message, code);
  const retryAfter = response.headers.get("retry-after");
  return new AppError(kind, code, message, {
    status: response.status,
    ...(error.info ? { info: error.info } : {}),
    ...(retryAfter ? { retryAfter } : {}),
  });
}

import type { ItemResult } from "../item-results.js";
import type { ApiClient } from "./api-client.js";

/** Graph's limit of requests in one `POST /v1.0/$batch` (SPEC §7). */
export const BATCH_SIZE = 20;

export interface BatchCall {
  /** What the item result is named by (a user's id, a subscription's id). */
  id: string;
  method: "DELETE" | "GET" | "POST" | "PATCH";
  url: string;
  body?: unknown;
}

interface BatchResponse {
  id: string;
  status: number;
  body?: { error?: GraphError } & Record<string, unknown>;
}

interface BatchReply {
  responses: BatchResponse[];
}

/** A call's answer within a batch; `response` is absent when the batch did not answer it. */
export interface BatchAnswer {
  call: BatchCall;
  response?: BatchResponse;
}

interface GraphError {
  code?: string;
  message?: string;
  details?: { code?: string }[];
}

/**
 * Runs independent calls through `POST /v1.0/$batch`, at most 20 per request, one request after
 * another, and answers one result per call in the given order: a failing call never stops the
 * others (per-item results, STYLE §4). `onProgress` hears the number of calls done so far.
 */
export async function runBatches(
  client: ApiClient,
  calls: readonly BatchCall[],
  onProgress: (done: number) => void = () => undefined,
): Promise<ItemResult[]> {
  const answers = await sendBatches(client, calls, onProgress);
  return answers.map(({ call, response }) => {
    if (response && response.status < 400) return { id: call.id, outcome: "ok" };
    const error = response?.body?.error;
    return {
      id: call.id,
      outcome: "failed",
      code: error?.details?.[0]?.code ?? error?.code ?? `HTTP_${response?.status ?? 0}`,
      message: error?.message ?? "No answer for this request in the batch.",
    };
  });
}

/** The calls' raw answers, in order, 20 per `$batch` request. */
export async function sendBatches(
  client: ApiClient,
  calls: readonly BatchCall[],
  onProgress: (done: number) => void = () => undefined,
): Promise<BatchAnswer[]> {
  const answers: BatchAnswer[] = [];
  for (let start = 0; start < calls.length; start += BATCH_SIZE) {
    const chunk = calls.slice(start, start + BATCH_SIZE);
    const reply = await client.post<BatchReply>("/v1.0/$batch", {
      requests: chunk.map((call, i) => ({
        id: String(i + 1),
        method: call.method,
        url: call.url,
        ...(call.body === undefined
          ? {}
          : { body: call.body, headers: { "Content-Type": "application/json" } }),
      })),
    });
    const byId = new Map(reply.responses.map((r) => [r.id, r]));
    chunk.forEach((call, i) => {
      answers.push({ call, response: byId.get(String(i + 1)) });
    });
    onProgress(answers.length);
  }
  return answers;
}

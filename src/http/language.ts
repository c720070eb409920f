import type { FastifyReply, FastifyRequest } from "fastify";
import { type Language, pickLanguage } from "../shared/language.js";

/**
 * The language of an answer whose words depend on `Accept-Language`: the answer says which it
 * used (`Content-Language`) and that caches must key on the header (`Vary`).
 */
export function answerLanguage(request: FastifyRequest, reply: FastifyReply): Language {
  const language = pickLanguage(request.headers["accept-language"]);
  reply.header("content-language", language).header("vary", "Accept-Language");
  return language;
}

import { invalid } from "../shared/app-error.js";
import { addMs, DAY } from "../shared/clock.js";
import { MAX_DISPLAY_NAME_LENGTH } from "./tenant.js";

/** An app registration (Graph's `application`); it calls the API with roles of its own. */
export interface Application {
  /** Object id. */
  id: string;
  /** Client id, what the token endpoint is given as `client_id`. */
  appId: string;
  displayName: string;
  createdDateTime: Date;
  /** Its client secrets, never their values. */
  passwordCredentials: PasswordCredential[];
}

/** A client secret as Graph describes it (`passwordCredential`), without the secret itself. */
export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  /** The secret's first three characters, to tell secrets apart. */
  hint: string;
  startDateTime: Date;
  endDateTime: Date;
}

/** A secret just added: the only time `secretText` is ever seen. */
export interface NewPasswordCredential extends PasswordCredential {
  secretText: string;
}

export interface AddPasswordInput {
  displayName?: string | null | undefined;
  /** When the secret stops working; default 180 days from now, at most 2 years. */
  endDateTime?: Date | string | null | undefined;
}

/** Secrets live 180 days unless asked otherwise, like the Entra admin center's recommendation. */
export const DEFAULT_SECRET_LIFETIME_MS = 180 * DAY;
/** The longest lifetime a secret may have, in calendar years (Entra's limit). */
export const MAX_SECRET_LIFETIME_YEARS = 2;

/** The latest end a secret created at `now` may have. */
export function maxSecretEnd(now: Date): Date {
  const end = new Date(now);
  end.setUTCFullYear(end.getUTCFullYear() + MAX_SECRET_LIFETIME_YEARS);
  return end;
}

/**
 * The end of a new secret's validity: the requested one when it is in the future and at most two
 * years away, the 180-day default when none is asked for. A long-lived secret is a standing key
 * to the tenant, hence the cap.
 */
export function secretEndDateTime(now: Date, requested: AddPasswordInput["endDateTime"]): Date {
  if (requested === undefined || requested === null) return addMs(now, DEFAULT_SECRET_LIFETIME_MS);
  const end = requested instanceof Date ? requested : new Date(requested);
  if (Number.isNaN(end.getTime())) {
    throw invalid("SECRET_END_INVALID", "endDateTime must be an ISO 8601 date and time.", {
      field: "endDateTime",
    });
  }
  if (end.getTime() <= now.getTime()) {
    throw invalid("SECRET_END_INVALID", "endDateTime must be in the future.", {
      field: "endDateTime",
    });
  }
  if (end.getTime() > maxSecretEnd(now).getTime()) {
    throw invalid(
      "SECRET_END_INVALID",
      `A client secret may live at most ${MAX_SECRET_LIFETIME_YEARS} years; choose an earlier endDateTime.`,
      { field: "endDateTime", max: maxSecretEnd(now).toISOString() },
    );
  }
  return end;
}

/** A secret's optional label: trimmed, empty means none, at most 256 characters. */
export function normalizeSecretDisplayName(displayName: string | null | undefined): string | null {
  const value = displayName?.trim() ?? "";
  if (value === "") return null;
  if (value.length > MAX_DISPLAY_NAME_LENGTH) {
    throw invalid(
      "DISPLAY_NAME_TOO_LONG",
      `displayName must have at most ${MAX_DISPLAY_NAME_LENGTH} characters.`,
      { field: "displayName" },
    );
  }
  return value;
}

import type { Command } from "commander";
import { AppError } from "../../shared/app-error.js";
import { detectLocale, t } from "../i18n.js";
import { ApiClient } from "./api-client.js";
import { DEFAULT_PROFILE, readProfile } from "./profile-store.js";

/** The global options every API command sees (program.ts). */
export interface GlobalOptions {
  json?: boolean;
  profile?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** `--profile`, else `$TENANTRY_PROFILE`, else `default`. */
export function profileName(command: Command): string {
  return globalOptions(command).profile || process.env.TENANTRY_PROFILE || DEFAULT_PROFILE;
}

/**
 * The API client for a command: `TENANTRY_URL` and `TENANTRY_TOKEN` (for scripts) override the
 * profile's URL and token; without either source it refuses, naming `tenantry login`.
 */
export function apiClient(command: Command): ApiClient {
  const name = profileName(command);
  const profile = readProfile(name);
  const url = process.env.TENANTRY_URL || profile?.url;
  const token = process.env.TENANTRY_TOKEN || profile?.accessToken;
  if (!url || !token) {
    throw new AppError("Unauthorized", "NOT_SIGNED_IN", t("notSignedIn", { profile: name }));
  }
  return new ApiClient({ url, token, locale: detectLocale() });
}

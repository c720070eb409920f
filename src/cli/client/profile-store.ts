import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { invalid } from "../../shared/app-error.js";

/** What `tenantry login` keeps per profile: where the server is and the token it gave. */
export interface Profile {
  url: string;
  userPrincipalName: string;
  accessToken: string;
  /** ISO time the token stops working (the server's `expiresIn` after sign-in). */
  expiresDateTime: string;
  /** ISO time of the sign-in: destructive work needs one within 10 minutes (SPEC §2). */
  signedInDateTime: string;
}

export const DEFAULT_PROFILE = "default";

/** `$XDG_CONFIG_HOME/tenantry`, else `~/.config/tenantry` (issue 8). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "tenantry");
}

/** A profile name becomes a file name: letters, digits, `.`, `_`, `-` only. */
export function profileFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw invalid(
      "PROFILE_NAME_INVALID",
      `Profile names use letters, digits, ".", "_" and "-" (at most 64), not "${name}".`,
      { field: "profile" },
    );
  }
  return path.join(configDir(env), `${name}.json`);
}

export function readProfile(name: string): Profile | null {
  let text: string;
  try {
    text = fs.readFileSync(profileFile(name), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return JSON.parse(text) as Profile;
}

/**
 * Writes the profile with mode 0600 in a folder of mode 0700: the token is a credential. The file
 * is written under a temporary name and renamed, so a reader never sees half a profile, and the
 * mode is set on creation, so the token is never readable by others even for a moment.
 */
export function writeProfile(name: string, profile: Profile): void {
  const file = profileFile(name);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

/** Removes the profile; true when there was one. */
export function removeProfile(name: string): boolean {
  try {
    fs.unlinkSync(profileFile(name));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

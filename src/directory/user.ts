import { invalid } from "../shared/app-error.js";
import type { RoleName } from "./role.js";

export type PerUserMfaState = "disabled" | "enabled" | "enforced";
export const PER_USER_MFA_STATES: readonly PerUserMfaState[] = ["disabled", "enabled", "enforced"];

export interface User {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  mailNickname: string;
  accountEnabled: boolean;
  /** Whether a password is set (the hash itself never leaves the repository layer's callers). */
  hasPassword: boolean;
  forceChangePasswordNextSignIn: boolean;
  externalId: string | null;
  onPremisesSyncEnabled: boolean | null;
  perUserMfaState: PerUserMfaState;
  roles: RoleName[];
  createdDateTime: Date;
  updatedDateTime: Date;
  /** Set while the user is in the recycle bin. */
  deletedDateTime: Date | null;
}

/** Entra's limits: 64 characters before the @, 113 in all. */
export const MAX_UPN_LENGTH = 113;
export const MAX_UPN_LOCAL_LENGTH = 64;
export const MAX_MAIL_NICKNAME_LENGTH = 64;
export const MAX_EXTERNAL_ID_LENGTH = 256;
export const MAX_MAIL_LENGTH = 254;

const UPN_LOCAL = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const MAIL_NICKNAME = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;
const MAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ParsedUpn {
  userPrincipalName: string;
  localPart: string;
  domain: string;
}

/**
 * Checks a user principal name (`alias@domain`) and that its domain is one of the tenant's.
 * The case the admin typed is kept; uniqueness is case-insensitive.
 */
export function parseUpn(value: string, tenantDomains: readonly string[]): ParsedUpn {
  const upn = value.trim();
  const at = upn.lastIndexOf("@");
  const localPart = upn.slice(0, at);
  const domain = upn.slice(at + 1).toLowerCase();
  if (at <= 0 || !UPN_LOCAL.test(localPart) || domain.length === 0) {
    throw invalid("UPN_INVALID", `"${value}" is not a valid user principal name (alias@domain).`, {
      field: "userPrincipalName",
    });
  }
  if (upn.length > MAX_UPN_LENGTH || localPart.length > MAX_UPN_LOCAL_LENGTH) {
    throw invalid(
      "UPN_TOO_LONG",
      `A user principal name has at most ${MAX_UPN_LOCAL_LENGTH} characters before the @ and ${MAX_UPN_LENGTH} in all.`,
      { field: "userPrincipalName" },
    );
  }
  if (!tenantDomains.includes(domain)) {
    throw invalid(
      "UPN_DOMAIN_NOT_IN_TENANT",
      `The domain "${domain}" is not one of this organization's domains (${tenantDomains.join(", ")}).`,
      { field: "userPrincipalName" },
    );
  }
  return { userPrincipalName: `${localPart}@${domain}`, localPart, domain };
}

export function upnKey(userPrincipalName: string): string {
  return userPrincipalName.trim().toLowerCase();
}

export function normalizeMailNickname(value: string | undefined, fallback: string): string {
  const nickname = (value ?? fallback).trim();
  if (!MAIL_NICKNAME.test(nickname) || nickname.length > MAX_MAIL_NICKNAME_LENGTH) {
    throw invalid(
      "MAIL_NICKNAME_INVALID",
      `mailNickname must be 1–${MAX_MAIL_NICKNAME_LENGTH} characters without spaces or @.`,
      { field: "mailNickname" },
    );
  }
  return nickname;
}

export function normalizeMail(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const mail = value.trim();
  if (!MAIL.test(mail) || mail.length > MAX_MAIL_LENGTH) {
    throw invalid("MAIL_INVALID", `"${value}" is not a valid email address.`, { field: "mail" });
  }
  return mail;
}

export function normalizeExternalId(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (value.length > MAX_EXTERNAL_ID_LENGTH) {
    throw invalid(
      "EXTERNAL_ID_TOO_LONG",
      `externalId must have at most ${MAX_EXTERNAL_ID_LENGTH} characters.`,
      {
        field: "externalId",
      },
    );
  }
  return value;
}

export function parseMfaState(value: string): PerUserMfaState {
  if ((PER_USER_MFA_STATES as readonly string[]).includes(value)) return value as PerUserMfaState;
  throw invalid(
    "MFA_STATE_INVALID",
    `perUserMfaState must be one of ${PER_USER_MFA_STATES.join(", ")}.`,
    {
      field: "perUserMfaState",
    },
  );
}

/** An admin is anyone holding a directory role: managing them needs a stronger role (SPEC §1). */
export function isAdminUser(user: Pick<User, "roles">): boolean {
  return user.roles.length > 0;
}

/** A Global Administrator who can act: holds the role, is enabled and not in the recycle bin. */
export function isActiveGlobalAdministrator(
  user: Pick<User, "roles" | "accountEnabled" | "deletedDateTime">,
): boolean {
  return (
    user.roles.includes("globalAdministrator") &&
    user.accountEnabled &&
    user.deletedDateTime === null
  );
}

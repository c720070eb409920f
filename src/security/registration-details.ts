import type { FilterExpression, FilterLiteral, PerUserMfaState } from "../directory/index.js";
import { PER_USER_MFA_STATES } from "../directory/index.js";
import { invalid } from "../shared/app-error.js";

/**
 * Each user's MFA registration, as Microsoft Graph's `userRegistrationDetails` report describes it,
 * with Tenantry's per-user MFA state beside it: the list an admin reads to see who has MFA on and
 * who has registered a method. Pure: no I/O.
 */
export interface UserRegistration {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** Holds at least one directory role. */
  isAdmin: boolean;
  /** Has an active authenticator app (TOTP) method. */
  isMfaRegistered: boolean;
  perUserMfaState: PerUserMfaState;
  updatedDateTime: string;
}

/** A filter on the report, every part known to be valid: the conditions all hold. */
export interface RegistrationFilter {
  /** The states a user may be in; all when absent. */
  perUserMfaStates?: readonly PerUserMfaState[];
  isAdmin?: boolean;
  isMfaRegistered?: boolean;
}

function filterError(message: string) {
  return invalid("ODATA_FILTER_INVALID", message, { field: "$filter" });
}

/** Graph's filterable names, matched case-insensitively as Graph does. */
const BOOLEAN_PROPERTIES: ReadonlyMap<string, "isAdmin" | "isMfaRegistered"> = new Map([
  ["isadmin", "isAdmin"],
  ["ismfaregistered", "isMfaRegistered"],
  // Tenantry allows every method it has, so capable and registered are the same.
  ["ismfacapable", "isMfaRegistered"],
]);
const STATE_PROPERTY = "perusermfastate";

/**
 * Checks a parsed `$filter` against the report: `eq`, `ne` and `in` on `perUserMfaState`, `eq` and
 * `ne` on `isAdmin`, `isMfaRegistered` and `isMfaCapable`, joined by `and`. Anything else is a
 * clear 400 naming what is supported.
 */
export function toRegistrationFilter(expression: FilterExpression): RegistrationFilter {
  const filter: { -readonly [K in keyof RegistrationFilter]: RegistrationFilter[K] } = {};
  const add = (part: FilterExpression): void => {
    if (part.kind === "and") {
      for (const operand of part.operands) add(operand);
      return;
    }
    if (part.kind === "in" || part.kind === "compare") {
      const name = part.property.toLowerCase();
      if (name === STATE_PROPERTY) {
        const named = part.kind === "in" ? part.values.map(stateOf) : [stateOf(part.value)];
        const allowed =
          part.kind === "compare" && part.operator === "ne"
            ? PER_USER_MFA_STATES.filter((s) => !named.includes(s))
            : named;
        const before = filter.perUserMfaStates ?? PER_USER_MFA_STATES;
        filter.perUserMfaStates = before.filter((s) => allowed.includes(s));
        return;
      }
      const property = BOOLEAN_PROPERTIES.get(name);
      if (property && part.kind === "compare") {
        if (typeof part.value !== "boolean") {
          throw filterError(`${part.property} is true or false.`);
        }
        const value = part.operator === "eq" ? part.value : !part.value;
        // Two conditions that disagree match nobody; kept as an empty set of states.
        if (filter[property] !== undefined && filter[property] !== value) {
          filter.perUserMfaStates = [];
        }
        filter[property] = value;
        return;
      }
    }
    throw filterError(
      "This report filters with eq, ne and in on perUserMfaState, and eq and ne on isAdmin, isMfaRegistered and isMfaCapable, joined by and.",
    );
  };
  add(expression);
  return filter;
}

function stateOf(value: FilterLiteral): PerUserMfaState {
  const state = PER_USER_MFA_STATES.find((s) => s === value);
  if (!state) {
    throw filterError(`perUserMfaState is one of ${PER_USER_MFA_STATES.join(", ")}.`);
  }
  return state;
}

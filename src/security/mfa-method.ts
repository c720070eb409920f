import type { TotpMethodRow } from "./totp-method.repository.js";

export type TotpMethodStatus = "pending" | "active";

/** A software OATH (TOTP) method as services hand it out: never its secret. */
export interface TotpMethod {
  id: string;
  displayName: string;
  status: TotpMethodStatus;
  createdDateTime: Date;
  activatedDateTime: Date | null;
}

export function toTotpMethod(row: TotpMethodRow): TotpMethod {
  return {
    id: row.id,
    displayName: row.display_name,
    status: row.status as TotpMethodStatus,
    createdDateTime: new Date(row.created_at),
    activatedDateTime: row.activated_at === null ? null : new Date(row.activated_at),
  };
}

import { invalid } from "../shared/app-error.js";
import { containsCardNumber } from "./card-number.js";

/**
 * Payment methods (SPEC §3): a card on file is its brand, last four digits, expiry, holder name and
 * the payment processor's token — never its number. Pure rules; the service stores the result.
 */

export const CARD_BRANDS = [
  "visa",
  "mastercard",
  "amex",
  "discover",
  "jcb",
  "unionpay",
  "diners",
] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export interface PaymentMethod {
  id: string;
  type: "card";
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  holderName: string;
  /** The processor's reference, used to charge; never shown in API answers or audit entries. */
  token: string;
  /** The method invoices are charged with when no other is named. */
  isDefault: boolean;
  createdDateTime: Date;
}

/** A card as a caller describes it. */
export interface AddCardInput {
  type?: "card";
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  holderName: string;
  token: string;
}

export type NewCard = Omit<PaymentMethod, "id" | "isDefault" | "createdDateTime">;

export const PAYMENT_METHOD_ERROR = {
  TYPE_UNSUPPORTED: "PAYMENT_METHOD_TYPE_UNSUPPORTED",
  BRAND_INVALID: "CARD_BRAND_INVALID",
  LAST4_INVALID: "CARD_LAST4_INVALID",
  EXPIRY_INVALID: "CARD_EXPIRY_INVALID",
  EXPIRED: "CARD_EXPIRED",
  HOLDER_INVALID: "CARD_HOLDER_NAME_INVALID",
  TOKEN_INVALID: "PAYMENT_TOKEN_INVALID",
  CARD_NUMBER_REJECTED: "CARD_NUMBER_REJECTED",
  NOT_FOUND: "PAYMENT_METHOD_NOT_FOUND",
  IN_USE: "PAYMENT_METHOD_IN_USE",
  DEFAULT_REQUIRED: "PAYMENT_METHOD_DEFAULT_REQUIRED",
} as const;

export const MAX_HOLDER_NAME = 200;
export const MAX_TOKEN = 200;
/** Cards are issued for a few years; an expiry further out than this is a typo. */
const MAX_YEARS_AHEAD = 20;
/** Printable ASCII without spaces: what processors' references (`tok_…`, `pm_…`) are made of. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/** A card is valid through the last day of its expiry month (UTC). */
export function isCardExpired(card: { expMonth: number; expYear: number }, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return card.expYear < year || (card.expYear === year && card.expMonth < month);
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/**
 * Checks a card field by field and returns it normalized (brand in lower case, holder name
 * trimmed). A token that is, or contains, a card number is CARD_NUMBER_REJECTED: the token is
 * what lets Tenantry never hold the number.
 */
export function parseCardInput(input: AddCardInput, now: Date): NewCard {
  if (input.type !== undefined && input.type !== "card") {
    throw invalid(PAYMENT_METHOD_ERROR.TYPE_UNSUPPORTED, "type must be card.", { field: "type" });
  }
  const brand = String(input.brand ?? "")
    .trim()
    .toLowerCase();
  if (!(CARD_BRANDS as readonly string[]).includes(brand)) {
    throw invalid(PAYMENT_METHOD_ERROR.BRAND_INVALID, `brand must be ${CARD_BRANDS.join(", ")}.`, {
      field: "brand",
    });
  }
  if (typeof input.last4 !== "string" || !/^\d{4}$/.test(input.last4)) {
    throw invalid(PAYMENT_METHOD_ERROR.LAST4_INVALID, "last4 must be exactly 4 digits.", {
      field: "last4",
    });
  }
  if (!isWholeNumber(input.expMonth) || input.expMonth < 1 || input.expMonth > 12) {
    throw invalid(PAYMENT_METHOD_ERROR.EXPIRY_INVALID, "expMonth must be a month from 1 to 12.", {
      field: "expMonth",
    });
  }
  const latestYear = now.getUTCFullYear() + MAX_YEARS_AHEAD;
  if (!isWholeNumber(input.expYear) || input.expYear < 2000 || input.expYear > latestYear) {
    throw invalid(
      PAYMENT_METHOD_ERROR.EXPIRY_INVALID,
      `expYear must be a four-digit year up to ${latestYear}.`,
      { field: "expYear" },
    );
  }
  const expiry = { expMonth: input.expMonth, expYear: input.expYear };
  if (isCardExpired(expiry, now)) {
    const shown = `${String(expiry.expMonth).padStart(2, "0")}/${expiry.expYear}`;
    throw invalid(
      PAYMENT_METHOD_ERROR.EXPIRED,
      `The card expired at the end of ${shown}: add a card that is still valid.`,
      {
        field: "expYear",
      },
    );
  }
  const holderName = typeof input.holderName === "string" ? input.holderName.trim() : "";
  if (holderName === "" || holderName.length > MAX_HOLDER_NAME) {
    throw invalid(
      PAYMENT_METHOD_ERROR.HOLDER_INVALID,
      `holderName must be 1 to ${MAX_HOLDER_NAME} characters.`,
      { field: "holderName" },
    );
  }
  return {
    type: "card",
    brand: brand as CardBrand,
    ...expiry,
    last4: input.last4,
    holderName,
    token: parseToken(input.token),
  };
}

function parseToken(value: unknown): string {
  const token = typeof value === "string" ? value.trim() : "";
  if (containsCardNumber(token)) {
    throw invalid(
      PAYMENT_METHOD_ERROR.CARD_NUMBER_REJECTED,
      "token contains a full card number. Tenantry never takes card numbers: send the token your payment processor issued for the card (e.g. tok_…).",
      { field: "token" },
    );
  }
  if (token === "" || token.length > MAX_TOKEN || !TOKEN_CHARACTERS.test(token)) {
    throw invalid(
      PAYMENT_METHOD_ERROR.TOKEN_INVALID,
      `token must be your payment processor's reference for the card: 1 to ${MAX_TOKEN} printable characters without spaces.`,
      { field: "token" },
    );
  }
  // A mistyped card number fails the Luhn check yet is still a card number.
  if (/^[\d -]+$/.test(token) && token.replace(/\D/g, "").length >= 12) {
    throw invalid(
      PAYMENT_METHOD_ERROR.TOKEN_INVALID,
      "token looks like a card number. Send the token your payment processor issued for the card (e.g. tok_…), never the number.",
      { field: "token" },
    );
  }
  return token;
}

/** How a card is named to people: `visa •••• 4242`. */
export function describeCard(card: Pick<PaymentMethod, "brand" | "last4">): string {
  return `${card.brand} •••• ${card.last4}`;
}

/**
 * SPEC §3: "a full card number is rejected and never stored". Pure helpers that find a card number
 * (a primary account number, PAN) in text and in parsed JSON; the HTTP guard refuses requests that
 * carry one, and the payment-method rules refuse a processor token that is one.
 *
 * A card number is a run of 13 to 19 digits that passes the Luhn check, written unbroken or grouped
 * by single spaces or dashes (`4111 1111 1111 1111`, `4111-1111-1111-1111`). Within a longer
 * grouped run (a number followed by its expiry, `4111 1111 1111 1111 1225`), consecutive groups of
 * three or more digits are checked too, as cards are grouped. Not card numbers, to keep false
 * alarms rare: UUIDs (ids in paths and bodies), runs that follow a `+` (phone numbers such as
 * `+86 138 0013 8000`), and unbroken runs of 20 digits or more.
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** Groups of a longer run are checked on their own only when each has this many digits. */
const MIN_GROUP_DIGITS = 3;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Digits, each optionally preceded by one space or dash after the first. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
const GROUP = /\d+/g;

/** What replaces a card number in text that is kept (a request's URL in the log). */
export const CARD_NUMBER_REDACTION = "CARD-NUMBER-REMOVED";

/** The Luhn (mod 10) check of a string of digits. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

interface Span {
  start: number;
  end: number;
}

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

function isCardLength(digits: number): boolean {
  return digits >= MIN_DIGITS && digits <= MAX_DIGITS;
}

/** The spans of `text` that are card numbers, in order and without overlaps. */
function findCardSpans(text: string): Span[] {
  if (digitCount(text) < MIN_DIGITS) return [];
  // Same length, so the positions found below are positions in `text`.
  const masked = text.replace(UUID, (uuid) => "#".repeat(uuid.length));
  const spans: Span[] = [];
  for (const run of masked.matchAll(DIGIT_RUN)) {
    const start = run.index;
    if (masked[start - 1] === "+") continue;
    const span = cardSpanInRun(run[0]);
    if (span) spans.push({ start: start + span.start, end: start + span.end });
  }
  return spans;
}

/** The card number within one run of digits and separators, if any (positions within the run). */
function cardSpanInRun(run: string): Span | undefined {
  const groups = [...run.matchAll(GROUP)].map((g) => ({
    start: g.index,
    end: g.index + g[0].length,
    digits: g[0],
  }));
  const all = groups.map((g) => g.digits).join("");
  if (isCardLength(all.length) && isLuhnValid(all)) return { start: 0, end: run.length };
  if (groups.length === 1) return undefined;
  for (let i = 0; i < groups.length; i++) {
    let digits = "";
    for (let j = i; j < groups.length; j++) {
      const group = groups[j];
      if (!group || group.digits.length < MIN_GROUP_DIGITS) break;
      digits += group.digits;
      if (digits.length > MAX_DIGITS) break;
      const first = groups[i];
      if (first && isCardLength(digits.length) && isLuhnValid(digits)) {
        return { start: first.start, end: group.end };
      }
    }
  }
  return undefined;
}

/** Whether `text` contains a full card number anywhere. */
export function containsCardNumber(text: string): boolean {
  return findCardSpans(text).length > 0;
}

/** `text` with every card number replaced by CARD_NUMBER_REDACTION. */
export function redactCardNumbers(text: string): string {
  const spans = findCardSpans(text);
  if (spans.length === 0) return text;
  let redacted = "";
  let at = 0;
  for (const span of spans) {
    redacted += text.slice(at, span.start) + CARD_NUMBER_REDACTION;
    at = span.end;
  }
  return redacted + text.slice(at);
}

/**
 * Where a parsed JSON value (or form body) holds a card number: in a string, in a whole number, or
 * in a property name, at any depth. Returns the path (`token`, `requests[0].body.note`; `""` for
 * the value itself), or null when there is none. Iterative, so no nesting depth overflows it.
 */
export function findCardNumberPath(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, path } = item;
    if (typeof current === "string") {
      if (containsCardNumber(current)) return path;
    } else if (typeof current === "number" || typeof current === "bigint") {
      if (containsCardNumber(String(current))) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        stack.push({ value: current[i], path: `${path}[${i}]` });
      }
    } else if (typeof current === "object" && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const childPath = path === "" ? key : `${path}.${key}`;
        if (containsCardNumber(key)) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}

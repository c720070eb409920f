import type { FilterExpression, FilterLiteral } from "../../directory/index.js";
import { invalid } from "../../shared/app-error.js";

/**
 * OData `$filter` text → `FilterExpression`, for the subset Tenantry serves (SPEC §7):
 *
 *   filter     = or EOF
 *   or         = and *( "or" and )
 *   and        = unary *( "and" unary )
 *   unary      = "not" unary / primary
 *   primary    = "(" or ")"
 *              / "startswith" "(" property "," literal ")"
 *              / property ( "eq" / "ne" ) literal
 *              / property "in" "(" literal *( "," literal ) ")"
 *   literal    = "'" *( char / "''" ) "'" / "true" / "false" / "null"
 *   property   = identifier
 *
 * Keywords and function names are case-insensitive (Graph accepts `startsWith` and `startswith`).
 * A hand-written recursive descent parser rather than a package: the grammar is a dozen lines, the
 * errors must name what is wrong and where, and the limits below must hold before any work is done
 * (`@odata/parser` was evaluated: a generic token tree we would still have to walk, plus two
 * dependencies, for less precise errors).
 *
 * Guarantees: never throws anything but an AppError ODATA_FILTER_INVALID (kind Invalid); refuses
 * input longer than MAX_FILTER_LENGTH, control characters, and nesting deeper than
 * MAX_FILTER_DEPTH, so no input can exhaust the stack.
 */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of parentheses and `not`. */
export const MAX_FILTER_DEPTH = 32;

type Token =
  | { type: "word"; text: string; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "("; at: number }
  | { type: ")"; at: number }
  | { type: ","; at: number }
  | { type: "end"; at: number };

function filterError(message: string) {
  return invalid("ODATA_FILTER_INVALID", `Invalid $filter: ${message}`, { field: "$filter" });
}

export function parseFilter(text: string): FilterExpression {
  if (text.length > MAX_FILTER_LENGTH) {
    throw filterError(`it is longer than ${MAX_FILTER_LENGTH} characters.`);
  }
  if (text.trim() === "") throw filterError("it is empty.");
  const control = CONTROL.exec(text);
  if (control) throw filterError(`control character at position ${control.index + 1}.`);
  const parser = new FilterParser(tokenize(text));
  return parser.parse();
}

/** C0 controls and DEL, except the tab, CR and LF that separate tokens. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const SPACE = /[ \t\r\n]+/y;
const PUNCTUATION = new Set(["(", ")", ","]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    SPACE.lastIndex = i;
    if (SPACE.test(text)) {
      i = SPACE.lastIndex;
      continue;
    }
    if (PUNCTUATION.has(c)) {
      tokens.push({ type: c as "(" | ")" | ",", at: i });
      i += 1;
      continue;
    }
    if (c === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ type: "string", value, at: i });
      i = end;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ type: "word", text: word[0], at: i });
      i = WORD.lastIndex;
      continue;
    }
    const what = /[0-9-]/.test(c)
      ? "numbers are not supported; quote strings with single quotes"
      : `unexpected character '${c}'`;
    throw filterError(`${what} (position ${i + 1}).`);
  }
  tokens.push({ type: "end", at: text.length });
  return tokens;
}

/** A single-quoted literal starting at `start`; `''` stands for one quote. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const quote = text.indexOf("'", i);
    if (quote < 0) break;
    value += text.slice(i, quote);
    if (text.charAt(quote + 1) !== "'") return { value, end: quote + 1 };
    value += "'";
    i = quote + 2;
  }
  throw filterError(`the string starting at position ${start + 1} is not closed with a quote.`);
}

/** Words that cannot start a comparison. */
const RESERVED = new Set(["and", "or", "eq", "ne", "in"]);
const UNSUPPORTED_OPERATORS = new Set(["gt", "ge", "lt", "le", "has", "add", "sub", "mul", "div"]);

class FilterParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FilterExpression {
    const expression = this.parseOr();
    const next = this.peek();
    if (next.type !== "end") {
      throw filterError(`unexpected ${describe(next)} at position ${next.at + 1}.`);
    }
    return expression;
  }

  private parseOr(): FilterExpression {
    return this.parseChain("or", () => this.parseAnd());
  }

  private parseAnd(): FilterExpression {
    return this.parseChain("and", () => this.parseUnary());
  }

  /** `a op b op c` as one n-ary node, so long chains add no depth. */
  private parseChain(keyword: "and" | "or", operand: () => FilterExpression): FilterExpression {
    const operands = [operand()];
    while (this.isKeyword(this.peek(), keyword)) {
      this.index += 1;
      operands.push(operand());
    }
    const first = operands[0];
    return operands.length === 1 && first ? first : { kind: keyword, operands };
  }

  private parseUnary(): FilterExpression {
    const token = this.peek();
    if (this.isKeyword(token, "not")) {
      this.index += 1;
      return { kind: "not", operand: this.nested(() => this.parseUnary()) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterExpression {
    const token = this.next();
    if (token.type === "(") {
      const inner = this.nested(() => this.parseOr());
      this.expect(")", "to close the parenthesis");
      return inner;
    }
    if (token.type !== "word" || RESERVED.has(token.text.toLowerCase())) {
      throw filterError(
        `expected a property name, 'not' or '(' but found ${describe(token)} at position ${token.at + 1}.`,
      );
    }
    if (this.peek().type === "(") return this.parseFunction(token);
    return this.parseComparison(token.text);
  }

  private parseFunction(name: Token & { type: "word" }): FilterExpression {
    if (name.text.toLowerCase() !== "startswith") {
      throw filterError(`the function '${name.text}' is not supported; use startswith.`);
    }
    this.index += 1; // "("
    const property = this.expectProperty();
    this.expect(",", "between startswith's arguments");
    const value = this.parseLiteral();
    this.expect(")", "to close startswith(…)");
    return { kind: "startsWith", property, value };
  }

  private parseComparison(property: string): FilterExpression {
    const operator = this.next();
    const op = operator.type === "word" ? operator.text.toLowerCase() : "";
    if (op === "eq" || op === "ne") {
      return { kind: "compare", operator: op, property, value: this.parseLiteral() };
    }
    if (op === "in") {
      this.expect("(", "after 'in'");
      const values = [this.parseLiteral()];
      while (this.peek().type === ",") {
        this.index += 1;
        values.push(this.parseLiteral());
      }
      this.expect(")", "to close the 'in' list");
      return { kind: "in", property, values };
    }
    if (UNSUPPORTED_OPERATORS.has(op)) {
      throw filterError(`the operator '${op}' is not supported; use eq, ne, in or startswith.`);
    }
    throw filterError(
      `expected eq, ne or in after '${property}' but found ${describe(operator)} at position ${operator.at + 1}.`,
    );
  }

  private parseLiteral(): FilterLiteral {
    const token = this.next();
    if (token.type === "string") return token.value;
    if (token.type === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
    }
    throw filterError(
      `expected a quoted string, true, false or null but found ${describe(token)} at position ${token.at + 1}.`,
    );
  }

  private expectProperty(): string {
    const token = this.next();
    if (token.type !== "word") {
      throw filterError(
        `expected a property name but found ${describe(token)} at position ${token.at + 1}.`,
      );
    }
    return token.text;
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw filterError(`it nests parentheses or 'not' more than ${MAX_FILTER_DEPTH} levels deep.`);
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private expect(type: "(" | ")" | ",", why: string): void {
    const token = this.next();
    if (token.type !== type) {
      throw filterError(
        `expected '${type}' ${why} but found ${describe(token)} at position ${token.at + 1}.`,
      );
    }
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.type === "word" && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { type: "end", at: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== "end") this.index += 1;
    return token;
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case "end":
      return "the end of the filter";
    case "word":
      return `'${token.text}'`;
    case "string":
      return "a quoted string";
    default:
      return `'${token.type}'`;
  }
}

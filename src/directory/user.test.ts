import { describe, expect, it } from "vitest";
import { normalizeDomain } from "./tenant.js";
import { normalizeMail, parseMfaState, parseUpn } from "./user.js";

const domains = ["contoso.example"];

describe("user principal names", () => {
  it("accepts alias@domain in one of the tenant's domains and lower-cases the domain", () => {
    expect(parseUpn("Adele.Vance@Contoso.Example", domains)).toEqual({
      userPrincipalName: "Adele.Vance@contoso.example",
      localPart: "Adele.Vance",
      domain: "contoso.example",
    });
  });

  it.each([
    "adele",
    "@contoso.example",
    "adele@",
    "ad ele@contoso.example",
    "adele..v@contoso.example",
    ".adele@contoso.example",
  ])("rejects the malformed %s", (upn) => {
    expect(() => parseUpn(upn, domains)).toThrow(expect.objectContaining({ code: "UPN_INVALID" }));
  });

  it("rejects a domain the tenant does not own", () => {
    expect(() => parseUpn("adele@fabrikam.example", domains)).toThrow(
      expect.objectContaining({ code: "UPN_DOMAIN_NOT_IN_TENANT" }),
    );
  });

  it("rejects an alias longer than 64 characters", () => {
    expect(() => parseUpn(`${"a".repeat(65)}@contoso.example`, domains)).toThrow(
      expect.objectContaining({ code: "UPN_TOO_LONG" }),
    );
  });
});

describe("other user fields", () => {
  it("rejects domains that are not full DNS names", () => {
    expect(normalizeDomain(" Contoso.Example ")).toBe("contoso.example");
    expect(() => normalizeDomain("contoso")).toThrow(
      expect.objectContaining({ code: "DOMAIN_INVALID" }),
    );
    expect(() => normalizeDomain("con toso.example")).toThrow(
      expect.objectContaining({ code: "DOMAIN_INVALID" }),
    );
  });

  it("accepts an empty mail as none and rejects a malformed one", () => {
    expect(normalizeMail("")).toBeNull();
    expect(() => normalizeMail("not-mail")).toThrow(
      expect.objectContaining({ code: "MAIL_INVALID" }),
    );
  });

  it("knows the three per-user MFA states", () => {
    expect(parseMfaState("enforced")).toBe("enforced");
    expect(() => parseMfaState("on")).toThrow(
      expect.objectContaining({ code: "MFA_STATE_INVALID" }),
    );
  });
});

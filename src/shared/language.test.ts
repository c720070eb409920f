import { describe, expect, it } from "vitest";
import { pickLanguage } from "./language.js";

describe("pickLanguage", () => {
  it.each([
    [undefined, "en-US"],
    ["", "en-US"],
    ["zh-CN", "zh-CN"],
    ["zh-Hans-CN,zh;q=0.9", "zh-CN"],
    ["zh", "zh-CN"],
    ["en-US,en;q=0.9", "en-US"],
    ["fr-FR", "en-US"],
    ["en;q=0.5, zh-CN;q=0.8", "zh-CN"],
    ["zh-CN;q=0.3, en-GB", "en-US"],
    ["de-DE, zh-CN;q=0.9", "zh-CN"],
  ])("answers %s with %s", (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});

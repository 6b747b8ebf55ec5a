import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// WCAG 2.2 AA, checked on the real token values in app/globals.css for both colour schemes:
// 4.5:1 for text (1.4.3), 3:1 for focus indicators, control boundaries and chart lines (1.4.11).

const css = readFileSync(fileURLToPath(new URL("../../app/globals.css", import.meta.url)), "utf8");

function tokensIn(block: string): Record<string, string> {
  return Object.fromEntries(
    [...block.matchAll(/--sb-([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((match) => [match[1], match[2]]),
  );
}

const lightBlock = css.slice(css.indexOf(":root {"), css.indexOf("@media (prefers-color-scheme: dark)"));
const darkBlock = css.slice(css.indexOf("@media (prefers-color-scheme: dark)"), css.indexOf("@theme inline"));
const schemes = { light: tokensIn(lightBlock), dark: tokensIn(darkBlock) };

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const TEXT_PAIRS: Array<[string, string]> = [
  ["fg", "canvas"],
  ["fg", "surface"],
  ["fg", "surface-muted"],
  ["fg-muted", "canvas"],
  ["fg-muted", "surface"],
  ["fg-muted", "surface-muted"],
  ["fg-subtle", "canvas"],
  ["fg-subtle", "surface"],
  ["fg-subtle", "surface-muted"],
  ["accent-text", "surface"],
  ["accent-text", "accent-soft"],
  ["on-solid", "accent"],
  ["on-solid", "accent-hover"],
  ["on-solid", "danger-solid"],
  ["on-solid", "danger-hover"],
  ...(["neutral", "info", "success", "warning", "danger"] as const).flatMap(
    (tone): Array<[string, string]> => [
      [tone, `${tone}-soft`],
      [tone, "surface"],
    ],
  ),
];

const NON_TEXT_PAIRS: Array<[string, string]> = [
  ["focus", "surface"],
  ["focus", "canvas"],
  ["focus", "surface-muted"],
  ["control-line", "surface"],
  ["accent", "surface"],
];

describe.each(Object.entries(schemes))("%s scheme tokens", (_scheme, tokens) => {
  it("defines every token the checks use", () => {
    for (const [a, b] of [...TEXT_PAIRS, ...NON_TEXT_PAIRS]) {
      expect(tokens[a], a).toMatch(/^#/);
      expect(tokens[b], b).toMatch(/^#/);
    }
  });

  it.each(TEXT_PAIRS)("text %s on %s reaches 4.5:1", (fg, bg) => {
    expect(contrastRatio(tokens[fg], tokens[bg])).toBeGreaterThanOrEqual(4.5);
  });

  it.each(NON_TEXT_PAIRS)("%s against %s reaches 3:1", (fg, bg) => {
    expect(contrastRatio(tokens[fg], tokens[bg])).toBeGreaterThanOrEqual(3);
  });
});

describe.each(Object.entries(schemes))("%s chart palette", (_scheme, tokens) => {
  it.each(["chart-1", "chart-2", "chart-3", "chart-4", "chart-5", "chart-6", "chart-reference"])(
    "%s reaches 3:1 on the surface",
    (token) => {
      expect(tokens[token], token).toMatch(/^#/);
      expect(contrastRatio(tokens[token], tokens.surface)).toBeGreaterThanOrEqual(3);
    },
  );
});

describe("contrastRatio", () => {
  it("matches the WCAG reference values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});

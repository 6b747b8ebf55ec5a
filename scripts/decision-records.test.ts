import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const folder = new URL("../docs/decisions/", import.meta.url);
const records = readdirSync(folder).filter((name) => /^\d{3}-.+\.md$/.test(name));

describe("decision records", () => {
  it.each(records)("%s has a title, a status and a date", (name) => {
    const head = readFileSync(new URL(name, folder), "utf8").split("\n").slice(0, 6).join("\n");
    expect(head).toMatch(new RegExp(`^# ${name.slice(0, 3)} · \\S`));
    expect(head).toMatch(/Status: (proposed|accepted|superseded by \d{3})/);
    expect(head).toMatch(/Date: \d{4}-\d{2}-\d{2}/);
  });

  it("are numbered without gaps or repeats", () => {
    expect(records.map((name) => Number(name.slice(0, 3)))).toEqual(records.map((_, index) => index + 1));
  });
});

import { describe, expect, it } from "vitest";
import { ApiError } from "../lib/errors";
import { pageOf } from "./catalog-routes";

const items = Array.from({ length: 7 }, (_, i) => `t${i}`);

function walk(listing: string, maxResults: string) {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const page = pageOf(items, listing, { max_results: maxResults, page_token: token }, 50);
    pages.push(page.items);
    token = page.nextPageToken;
  } while (token && pages.length < 50);
  return pages;
}

describe("pageOf", () => {
  it("returns everything when max_results is not set", () => {
    expect(pageOf(items, "x", {}, 3)).toEqual({ items });
  });

  it("serves every item once, with deterministic empty pages that carry a token", () => {
    const pages = walk("tables:main.network", "2");
    expect(pages.flat()).toEqual(items);
    expect(pages.some((p) => p.length === 0)).toBe(true);
    expect(walk("tables:main.network", "2")).toEqual(pages);
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
  });

  it("caps the page at the server's size and treats 0 as that size", () => {
    expect(walk("catalogs", "0").flat()).toEqual(items);
    expect(Math.max(...walk("catalogs", "100").map((p) => p.length))).toBeLessThanOrEqual(50);
  });

  it("rejects negative sizes and tokens from another listing", () => {
    expect(() => pageOf(items, "x", { max_results: "-1" }, 50)).toThrow(ApiError);
    const token = pageOf(items, "a", { max_results: "1" }, 50).nextPageToken!;
    expect(() => pageOf(items, "b", { max_results: "1", page_token: token }, 50)).toThrow(
      /Invalid page_token/,
    );
    expect(() => pageOf(items, "a", { max_results: "1", page_token: "garbage" }, 50)).toThrow(
      /Invalid page_token/,
    );
  });
});

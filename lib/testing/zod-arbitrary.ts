import fc from "fast-check";
import type { z } from "zod";

/**
 * fast-check values for a zod schema, for the fuzz suite: mostly values the schema accepts (so
 * requests get past validation into the handlers), with hostile values mixed in at every leaf.
 * Only the zod kinds our input schemas use are understood; anything else gets hostile values.
 */

/** Strings that break naive code: NUL, lone surrogates, quotes, paths, huge, numeric edge cases, dates. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDFFFy",
  "O'Brien",
  "'; DROP TABLE users; --",
  '"},{"',
  "%00",
  "%2F%5Cevil.example%2F",
  "/\\evil.example/",
  "//evil.example",
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  "${7*7}{{7*7}}",
  "\u202Eevil",
  "😀".repeat(3),
  "-5",
  "-0",
  "0",
  "9223372036854775808",
  "1e309",
  "NaN",
  "Infinity",
  "0x1F",
  "null",
  "true",
  "[]",
  "{}",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20",
  "9999-12-31",
  "0000-00-00",
  "2026-02-30",
  "Churn-Classifier",
  "a".repeat(64),
  "x".repeat(5_000),
  "y".repeat(25_000),
  `${"--a".repeat(26)}!`,
  "*",
  "%",
  "_",
  "\\",
  "a,b,,c",
  "|",
  "2026-01-01T00:00:00.000Z|not-a-uuid",
];

/** Values of other types where a string (or anything) was expected. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      -1e308,
      2 ** 63,
      Number.MAX_SAFE_INTEGER + 2,
      [],
      {},
      [null],
      { "": "" },
      { __proto__: { polluted: true } },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export interface Plausible {
  strings: readonly string[];
  numbers: readonly number[];
}

const leaf = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** An arbitrary of inputs for `schema`; `asText` turns leaves into strings (query strings and path segments). */
export function arbitraryFor(schema: z.ZodType, plausible: Plausible, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const accepted = <T>(values: readonly T[]) => values.filter((value) => schema.safeParse(value).success);
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, field]) => [key, arbitraryFor(field, plausible, depth + 1)]),
      );
      const record = fc.record(fields, { requiredKeys: [] as string[] });
      const extra = fc.dictionary(
        fc.constantFrom("extra", "__proto__", "constructor", "id", "userId", "roles"),
        hostileValue,
        { maxKeys: 2 },
      );
      return fc.oneof(
        { weight: 8, arbitrary: fc.record(fields) },
        { weight: 2, arbitrary: record },
        { weight: 1, arbitrary: fc.tuple(fc.record(fields), extra).map(([a, b]) => ({ ...a, ...b })) },
        { weight: 1, arbitrary: hostileValue },
      );
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 5, arbitrary: arbitraryFor(def.innerType as z.ZodType, plausible, depth + 1) },
      );
    case "pipe":
      return arbitraryFor(def.in as z.ZodType, plausible, depth + 1);
    case "union": {
      const options = (def.options as z.ZodType[]).map((option) =>
        arbitraryFor(option, plausible, depth + 1),
      );
      return fc.oneof(...options);
    }
    case "enum":
      return leaf(fc.constantFrom(...Object.values(def.entries as Record<string, string>)));
    case "literal":
      return leaf(fc.constantFrom(...(def.values as unknown[])));
    case "boolean":
      return leaf(fc.boolean());
    case "array":
      return depth > 4
        ? fc.constant([])
        : fc.oneof(
            {
              weight: 4,
              arbitrary: fc.array(arbitraryFor(def.element as z.ZodType, plausible, depth + 1), {
                maxLength: 4,
              }),
            },
            { weight: 1, arbitrary: hostileValue },
          );
    case "record":
      return fc.oneof(
        fc.dictionary(
          fc.constantFrom(...plausible.strings.slice(0, 8)),
          arbitraryFor(def.valueType as z.ZodType, plausible, depth + 1),
          { maxKeys: 3 },
        ),
        hostileValue,
      );
    case "number": {
      const numbers = accepted(plausible.numbers);
      return leaf(
        numbers.length
          ? fc.oneof(fc.constantFrom(...numbers), fc.constantFrom(...numbers.map(String)))
          : fc.double(),
      );
    }
    case "bigint":
      return leaf(fc.constantFrom("1", "2", "50", "100000"));
    case "string": {
      const strings = accepted(plausible.strings);
      return leaf(strings.length ? fc.constantFrom(...strings) : fc.string({ maxLength: 20 }));
    }
    default:
      return hostileValue;
  }
}

/** Query strings and path segments carry text only. */
export const asText = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === "string" ? value : (JSON.stringify(value) ?? "");

import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import regexpPlugin from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

const productCode = ["app/**", "components/**", "lib/**", "workers/**", "proxy.ts", "instrumentation.ts"];
/** Tests, and their support: lib/testing/ (and sandbox/testing.ts, the sandbox's own starter). */
const testSupport = ["**/*.test.ts", "**/*.test.tsx", "lib/testing/**", "sandbox/testing.ts"];
const noSandbox = {
  group: ["@/sandbox", "@/sandbox/**"],
  message: "Product code never imports the sandbox: it talks to it over HTTP, like to the cloud.",
};
const noClimbing = {
  group: ["../../**"],
  message: 'Import across folders with "@/...", so the layer rules can see it.',
};
const byRoleName = {
  selector: "Property[key.name='roles'] > ObjectExpression > Property[key.name=/^has(Some|Every)?$/]",
  message:
    "Choose people by permission, not role name: usersWhoCan(db, permission) in lib/db/users.ts (lib/auth/permissions.ts is the one place that names roles).",
};
const jobIdByHand = {
  selector:
    "Property[key.name='jobId'] > TemplateLiteral, VariableDeclarator[id.name=/jobId$/i] > TemplateLiteral",
  message:
    "Build job ids with jobIds in lib/queue/job-ids.ts: they are dedupe keys the reconcilers must match to the letter.",
};
const schemaHere = {
  selector:
    "CallExpression[callee.object.name='z'][callee.property.name=/^(object|strictObject|looseObject|union|discriminatedUnion)$/]",
  message:
    "Input schemas live in lib/validation/<area>.ts (decision record 020), shared by forms, routes, actions and the DAL: define it there and import it.",
};
/** One layer's import rule. Flat config replaces a rule rather than merging it, so each carries the common patterns. */
const layer = (files, patterns) => ({
  files,
  ignores: testSupport,
  rules: {
    "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noSandbox, noClimbing, ...patterns] }],
  },
});

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "coverage/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // A pattern that backtracks super-linearly lets one request freeze the web process (issue 11).
    plugins: { regexp: regexpPlugin },
    rules: { "regexp/no-super-linear-backtracking": "error", "regexp/no-super-linear-move": "error" },
  },
  {
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  // The layers (docs/architecture.md): app -> dal -> services -> domain | clients | db | queue.
  // Imports that cross a folder go through "@/" (noClimbing), so these rules see every one of them.
  // Type-only imports may cross where noted: a type is a contract, not a dependency at run time.
  layer(productCode, []),
  layer(
    ["lib/**"],
    [
      {
        group: ["@/components/**", "@/app/**", "@/workers/**"],
        message: "lib/ never imports components/, app/ or workers/: move what both need into lib/.",
      },
    ],
  ),
  layer(
    ["workers/**"],
    [
      {
        group: ["@/app/**", "@/components/**", "@/lib/dal/**"],
        message:
          "Workers never import app/, components/ or lib/dal (which authorizes people): use lib/services, lib/db or lib/domain.",
      },
    ],
  ),
  layer(
    ["components/**"],
    [
      {
        group: ["@/lib/dal/**", "@/lib/db/**", "@/lib/clients/**", "@/lib/services/**", "@/lib/cloud"],
        allowTypeImports: true,
        message:
          "Components draw what they are given: a page reads through lib/dal and passes DTOs (or the promise of one, for a streamed section) down. Types may be imported.",
      },
    ],
  ),
  layer(
    ["lib/dal/**"],
    [
      {
        group: ["@/components/**", "@/app/**", "@/workers/**"],
        message: "lib/ never imports components/, app/ or workers/.",
      },
    ],
  ),
  layer(
    ["lib/services/**"],
    [
      {
        group: ["@/lib/dal/**", "@/components/**", "@/app/**", "@/workers/**", "server-only"],
        message:
          "lib/services is shared by the DAL and the workers: it never authorizes people and never imports the DAL.",
      },
    ],
  ),
  layer(
    ["lib/domain/**"],
    [
      {
        regex: "^@/lib/(db/|clients/(?!\\w+/(queries|schemas)$))",
        allowTypeImports: true,
        message:
          "lib/domain is pure (no I/O): take facts as arguments and do the I/O in lib/services. Types, and the clients' pure queries and schemas, may be imported.",
      },
      {
        group: [
          "@/lib/dal/**",
          "@/lib/services/**",
          "@/lib/queue/**",
          "@/lib/cloud",
          "@/lib/config",
          "@/lib/config/**",
          "@/lib/logger",
          "@/components/**",
          "@/app/**",
          "@/workers/**",
        ],
        message: "lib/domain is pure (no I/O): take facts as arguments and do the I/O in lib/services.",
      },
      ...[
        "pg",
        "ioredis",
        "bullmq",
        "node:fs",
        "node:fs/promises",
        "node:net",
        "node:http",
        "server-only",
        "next/headers",
        "next/cache",
      ].map((name) => ({ group: [name], message: "lib/domain is pure (no I/O)." })),
    ],
  ),
  layer(
    ["lib/clients/**"],
    [
      {
        group: [
          "@/lib/db/**",
          "@/lib/dal/**",
          "@/lib/services/**",
          "@/lib/queue/**",
          "@/lib/cloud",
          "@/lib/config",
          "@/lib/config/**",
          "next",
          "next/**",
          "server-only",
        ],
        message:
          "Clients are pure: base URL and token provider are injected; no env, database or framework (they run in workers too).",
      },
    ],
  ),
  {
    // Audiences by permission (docs/architecture.md, Authorization): only lib/db/users.ts filters people by role.
    // Job ids come from lib/queue/job-ids.ts (template literals there build them; nowhere else).
    files: productCode,
    ignores: [...testSupport, "lib/db/users.ts"],
    rules: { "no-restricted-syntax": ["error", byRoleName, jobIdByHand] },
  },
  {
    // Input schemas have one home, lib/validation/ (decision record 020). Flat config replaces a rule's
    // options rather than merging them, so this block repeats the audience rule.
    files: ["app/**", "lib/dal/**", "lib/services/**", "workers/**"],
    ignores: testSupport,
    rules: { "no-restricted-syntax": ["error", byRoleName, jobIdByHand, schemaHere] },
  },
  {
    // Command-line scripts, benchmarks and the sandbox print to the terminal on purpose.
    files: [
      "scripts/**",
      "bench/**",
      "infra/**",
      "sandbox/main.ts",
      "e2e/**",
      "**/*.test.ts",
      "**/*.int.test.ts",
    ],
    rules: { "no-console": "off" },
  },
);

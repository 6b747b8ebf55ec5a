/**
 * Secrets for stacks that run with NODE_ENV=production in tests and benchmarks (the e2e stack, the
 * standalone smoke test, benches): production refuses the public development values, and these
 * are just as public, so they belong to throwaway test stacks alone.
 */
export const testStackSecrets = {
  NEXTAUTH_SECRET: "switchboard-test-stack-session-secret-not-for-real-use",
  INGEST_SHARED_SECRET: "switchboard-test-stack-ingest-secret",
} as const;

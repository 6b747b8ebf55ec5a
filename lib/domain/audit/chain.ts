import { createHash } from "node:crypto";

/**
 * The audit trail is a hash chain: each event's hash covers its own content and the previous
 * event's hash, so changing, removing or reordering any stored event breaks every link after it.
 * The very first event links to GENESIS_PREV_HASH.
 */
export const GENESIS_PREV_HASH = "0".repeat(64);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AuditEventContent {
  seq: bigint;
  occurredAt: Date;
  actorOid: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  before: JsonValue | null;
  after: JsonValue | null;
  prevHash: string;
}

export interface ChainedAuditEvent extends AuditEventContent {
  hash: string;
}

export type ChainVerification =
  | { intact: true; checked: number; lastSeq: string | null; lastHash: string }
  | { intact: false; checked: number; firstBrokenSeq: string; reason: string };

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value);
}

/**
 * What a before/after value looks like once stored as jsonb and read back: Dates become ISO
 * strings, bigints decimal strings, undefined keys vanish. Hash this form, never the raw input.
 */
export function toStoredJson(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(canonicalJson(value)) as JsonValue;
}

export function computeAuditHash(event: AuditEventContent): string {
  const payload = {
    seq: event.seq.toString(),
    occurredAt: event.occurredAt.toISOString(),
    actor: { oid: event.actorOid, name: event.actorName },
    action: event.action,
    entity: { type: event.entityType, id: event.entityId },
    before: event.before,
    after: event.after,
    prevHash: event.prevHash,
  };
  return createHash("sha256").update(canonicalJson(payload)).digest("hex");
}

/**
 * Checks events in seq order, a page at a time, so a long trail never sits in memory at once.
 * Start it with the hash the first event must link to (GENESIS_PREV_HASH from the beginning).
 */
export function createChainVerifier(expectedPrevHash: string = GENESIS_PREV_HASH) {
  let prevHash = expectedPrevHash;
  let lastSeq: bigint | null = null;
  let checked = 0;
  let broken: Extract<ChainVerification, { intact: false }> | null = null;

  function add(event: ChainedAuditEvent): boolean {
    if (broken) return false;
    const fail = (reason: string) => {
      broken = { intact: false, checked, firstBrokenSeq: event.seq.toString(), reason };
      return false;
    };
    if (lastSeq !== null && event.seq <= lastSeq)
      return fail(`Event ${event.seq} is out of order: it follows event ${lastSeq}.`);
    if (event.prevHash !== prevHash) {
      return fail(
        lastSeq === null && prevHash === GENESIS_PREV_HASH
          ? `Event ${event.seq} should be the first event and link to the genesis hash, but links to ${short(event.prevHash)}: earlier events are missing.`
          : `Event ${event.seq} links to ${short(event.prevHash)}, but the event before it${lastSeq === null ? "" : ` (${lastSeq})`} has hash ${short(prevHash)}: an event was removed, inserted or altered.`,
      );
    }
    if (computeAuditHash(event) !== event.hash)
      return fail(
        `Event ${event.seq}'s content no longer matches its hash: it was changed after it was recorded.`,
      );
    prevHash = event.hash;
    lastSeq = event.seq;
    checked += 1;
    return true;
  }

  function result(): ChainVerification {
    return broken ?? { intact: true, checked, lastSeq: lastSeq?.toString() ?? null, lastHash: prevHash };
  }

  return { add, result };
}

/** Verifies a whole chain (or a window of it, given the hash its first event must link to). */
export function verifyChain(
  events: Iterable<ChainedAuditEvent>,
  expectedPrevHash: string = GENESIS_PREV_HASH,
): ChainVerification {
  const verifier = createChainVerifier(expectedPrevHash);
  for (const event of events) if (!verifier.add(event)) break;
  return verifier.result();
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

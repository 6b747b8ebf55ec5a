import { z } from "zod";
import type { ChainedAuditEvent } from "./chain";

/**
 * A checkpoint records the chain head (sequence number and hash) in a store outside the database
 * that nobody who can reach the database can rewrite. The chain alone shows that the events it
 * still holds were not edited; the checkpoints show that it still holds every event up to the
 * latest one, so deleting the tail, deleting everything, or editing an event and recomputing every
 * later hash is detected too.
 */
export const auditCheckpoint = z.object({
  seq: z.string().regex(/^\d{1,19}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the checkpointed event was recorded. */
  eventOccurredAt: z.iso.datetime(),
  checkpointedAt: z.iso.datetime(),
});
export type AuditCheckpoint = z.infer<typeof auditCheckpoint>;

/** What matching needs; the blob's name carries it, so verifying lists names and reads no content. */
export type CheckpointRef = Pick<AuditCheckpoint, "seq" | "hash">;

export const CHECKPOINT_PREFIX = "audit-chain/";

/** `audit-chain/<seq, zero-padded so names sort by it>-<hash>.json`: written once, never replaced. */
export const checkpointBlobName = (checkpoint: CheckpointRef) =>
  `${CHECKPOINT_PREFIX}${checkpoint.seq.padStart(19, "0")}-${checkpoint.hash}.json`;

export function parseCheckpointBlobName(name: string): CheckpointRef | null {
  const match = /^audit-chain\/(\d{19})-([0-9a-f]{64})\.json$/.exec(name);
  return match ? { seq: BigInt(match[1]).toString(), hash: match[2] } : null;
}

export interface CheckpointMismatch {
  seq: string;
  reason: string;
}

/**
 * Matches events, read in seq order, against the checkpoints: each checkpointed seq must appear
 * with the recorded hash, and none may lie beyond the last event.
 */
export function createCheckpointMatcher(checkpoints: CheckpointRef[]) {
  const pending = [...checkpoints].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  let matched = 0;
  let mismatch: CheckpointMismatch | null = null;

  function see(event: Pick<ChainedAuditEvent, "seq" | "hash">): boolean {
    if (mismatch) return false;
    while (pending.length > 0 && BigInt(pending[0].seq) < event.seq) {
      const missing = pending.shift()!;
      mismatch = {
        seq: missing.seq,
        reason: `Event ${missing.seq} was checkpointed but is missing from the trail: events were removed.`,
      };
      return false;
    }
    if (pending.length > 0 && BigInt(pending[0].seq) === event.seq) {
      const checkpoint = pending.shift()!;
      if (checkpoint.hash !== event.hash) {
        mismatch = {
          seq: checkpoint.seq,
          reason: `Event ${checkpoint.seq}'s hash differs from its checkpoint: the trail up to it was rewritten.`,
        };
        return false;
      }
      matched += 1;
    }
    return true;
  }

  /** After the last event: a checkpoint beyond it means the tail (or everything) was deleted. */
  function finish(lastSeq: bigint | null): CheckpointMismatch | null {
    if (mismatch) return mismatch;
    const beyond = pending.at(-1);
    if (beyond) {
      mismatch = {
        seq: beyond.seq,
        reason:
          lastSeq === null
            ? `The trail is empty, but event ${beyond.seq} was checkpointed: every event was deleted.`
            : `The trail ends at event ${lastSeq}, but event ${beyond.seq} was checkpointed: the newest events were deleted.`,
      };
    }
    return mismatch;
  }

  return { see, finish, matched: () => matched };
}

/** The newest checkpoint, by sequence number. */
export function latestCheckpoint<T extends CheckpointRef>(checkpoints: T[]): T | null {
  return checkpoints.reduce<T | null>(
    (latest, c) => (latest === null || BigInt(c.seq) > BigInt(latest.seq) ? c : latest),
    null,
  );
}

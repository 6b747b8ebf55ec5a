import type { BlobContainerClient } from "@/lib/clients/azure-blob";
import { readChainHead, verifyChainSince, verifyTrail, type TrailVerification } from "@/lib/db/audit";
import type { PrismaClient } from "@/lib/db/client";
import {
  auditCheckpoint,
  CHECKPOINT_PREFIX,
  checkpointBlobName,
  latestCheckpoint,
  parseCheckpointBlobName,
  type AuditCheckpoint,
  type CheckpointRef,
} from "@/lib/domain/audit/checkpoints";
import { AppError } from "@/lib/errors";

/** Every checkpoint in the write-once container, from the names alone (one List Blobs page per 5,000). */
export async function listCheckpoints(store: BlobContainerClient): Promise<CheckpointRef[]> {
  const refs: CheckpointRef[] = [];
  for await (const name of store.listBlobNames(CHECKPOINT_PREFIX)) {
    const ref = parseCheckpointBlobName(name);
    if (ref) refs.push(ref);
  }
  return refs;
}

export type CheckpointResult =
  { status: "written" | "unchanged"; checkpoint: AuditCheckpoint } | { status: "empty" };

/**
 * Records the chain head in the write-once store, after checking that the latest checkpointed event
 * is unchanged and the events since link up to the head, so a checkpoint never vouches for a
 * rewritten trail. Safe to run twice and from several processes: the blob is written only if absent.
 */
export async function checkpointAuditChain(
  db: PrismaClient,
  store: BlobContainerClient,
  now = new Date(),
): Promise<CheckpointResult> {
  const latest = latestCheckpoint(await listCheckpoints(store));
  const head = await readChainHead(db);
  if (!head) {
    if (latest)
      throw new AppError(
        "CONFLICT",
        `The audit trail is empty, but event ${latest.seq} was checkpointed: every event was deleted. Not checkpointing; verify the trail.`,
      );
    return { status: "empty" };
  }
  if (latest) {
    const trusted = await db.auditEvent.findUnique({
      where: { seq: BigInt(latest.seq) },
      select: { hash: true },
    });
    if (trusted?.hash !== latest.hash)
      throw new AppError(
        "CONFLICT",
        `Event ${latest.seq} no longer matches its checkpoint: the trail was changed. Not checkpointing; verify the trail.`,
      );
  }
  const since = await verifyChainSince(db, latest ? { seq: BigInt(latest.seq), hash: latest.hash } : null);
  if (!since.intact) throw new AppError("CONFLICT", `${since.reason} Not checkpointing; verify the trail.`);

  const checkpoint: AuditCheckpoint = {
    seq: head.seq.toString(),
    hash: head.hash,
    eventOccurredAt: head.occurredAt.toISOString(),
    checkpointedAt: now.toISOString(),
  };
  const name = checkpointBlobName(checkpoint);
  if ((await store.createJsonBlob(name, checkpoint)) === "created") return { status: "written", checkpoint };
  return { status: "unchanged", checkpoint: await store.getJsonBlob(name, auditCheckpoint) };
}

export interface TrailReport {
  verification: TrailVerification;
  /** The newest checkpoint's content: when it was taken. */
  latestCheckpoint: AuditCheckpoint | null;
}

/** The whole trail against every checkpoint. */
export async function verifyAuditTrail(db: PrismaClient, store: BlobContainerClient): Promise<TrailReport> {
  const refs = await listCheckpoints(store);
  const verification = await verifyTrail(db, refs);
  const latest = latestCheckpoint(refs);
  return {
    verification,
    latestCheckpoint: latest ? await store.getJsonBlob(checkpointBlobName(latest), auditCheckpoint) : null,
  };
}

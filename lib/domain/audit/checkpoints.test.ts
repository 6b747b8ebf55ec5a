import { describe, expect, it } from "vitest";
import {
  checkpointBlobName,
  createCheckpointMatcher,
  latestCheckpoint,
  parseCheckpointBlobName,
} from "./checkpoints";

const hash = (n: number) => n.toString(16).padStart(64, "0");
const events = (...seqs: number[]) => seqs.map((seq) => ({ seq: BigInt(seq), hash: hash(seq) }));

function match(checkpoints: { seq: string; hash: string }[], chain: { seq: bigint; hash: string }[]) {
  const matcher = createCheckpointMatcher(checkpoints);
  for (const event of chain) if (!matcher.see(event)) break;
  return { mismatch: matcher.finish(chain.at(-1)?.seq ?? null), matched: matcher.matched() };
}

describe("checkpoint matching", () => {
  const checkpoints = [
    { seq: "2", hash: hash(2) },
    { seq: "4", hash: hash(4) },
  ];

  it("accepts a trail that holds every checkpointed event, and events after the last checkpoint", () => {
    expect(match(checkpoints, events(1, 2, 3, 4, 5, 6))).toEqual({ mismatch: null, matched: 2 });
  });

  it("detects deleted newest events", () => {
    expect(match(checkpoints, events(1, 2, 3)).mismatch).toMatchObject({
      seq: "4",
      reason: expect.stringMatching(/ends at event 3.*newest events were deleted/),
    });
  });

  it("detects a trail emptied altogether", () => {
    expect(match(checkpoints, []).mismatch).toMatchObject({
      seq: "4",
      reason: expect.stringMatching(/empty.*every event was deleted/),
    });
  });

  it("detects a checkpointed event that is gone from the middle (deleted and the rest renumbered)", () => {
    expect(match(checkpoints, events(1, 3, 4, 5)).mismatch).toMatchObject({
      seq: "2",
      reason: expect.stringMatching(/missing/),
    });
  });

  it("detects a rewritten and rehashed trail by the checkpointed hash", () => {
    const rewritten = events(1, 2, 3, 4).map((e) =>
      e.seq >= 2n ? { ...e, hash: hash(Number(e.seq) + 100) } : e,
    );
    expect(match(checkpoints, rewritten).mismatch).toMatchObject({
      seq: "2",
      reason: expect.stringMatching(/differs from its checkpoint/),
    });
  });

  it("names blobs so they sort by sequence number and carry the hash", () => {
    const name = checkpointBlobName({ seq: "42", hash: hash(42) });
    expect(name).toBe(`audit-chain/0000000000000000042-${hash(42)}.json`);
    expect(parseCheckpointBlobName(name)).toEqual({ seq: "42", hash: hash(42) });
    expect(parseCheckpointBlobName("audit-chain/notes.txt")).toBeNull();
    expect(
      checkpointBlobName({ seq: "9", hash: hash(9) }) < checkpointBlobName({ seq: "10", hash: hash(10) }),
    ).toBe(true);
    expect(
      latestCheckpoint([
        { seq: "9", hash: hash(9) },
        { seq: "10", hash: hash(10) },
      ])?.seq,
    ).toBe("10");
  });
});

import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  computeAuditHash,
  GENESIS_PREV_HASH,
  toStoredJson,
  verifyChain,
  type ChainedAuditEvent,
} from "./chain";

function buildChain(length: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (let i = 1; i <= length; i++) {
    const content = {
      seq: BigInt(i * 2),
      occurredAt: new Date(Date.UTC(2026, 10, 26, 20, 0, i)),
      actorOid: `oid-${i % 3}`,
      actorName: `Person ${i % 3}`,
      action: "promotion.requested",
      entityType: "PromotionRequest",
      entityId: `req-${i}`,
      before: i % 2 ? null : { status: "OPEN" },
      after: { status: "APPROVED", approvals: [i, { by: "x" }] },
      prevHash,
    };
    const hash = computeAuditHash(content);
    events.push({ ...content, hash });
    prevHash = hash;
  }
  return events;
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: "s" } })).toBe(
      '{"a":{"c":"s","d":[2,{"x":null,"z":1}]},"b":1}',
    );
  });
  it("hashes the stored form of dates and bigints", () => {
    expect(toStoredJson({ at: new Date("2026-01-01T00:00:00.000Z"), n: 12n })).toEqual({
      at: "2026-01-01T00:00:00.000Z",
      n: "12",
    });
  });
});

describe("verifyChain", () => {
  it("accepts an untouched chain, including gaps in seq", () => {
    expect(verifyChain(buildChain(20))).toMatchObject({ intact: true, checked: 20, lastSeq: "40" });
    expect(verifyChain([])).toEqual({ intact: true, checked: 0, lastSeq: null, lastHash: GENESIS_PREV_HASH });
  });

  it("hashes the same content the same way whatever the key order", () => {
    const [event] = buildChain(1);
    const reordered = { ...event, after: { approvals: [1, { by: "x" }], status: "APPROVED" } };
    expect(computeAuditHash(reordered)).toBe(event.hash);
  });

  it("names the first event whose content changed", () => {
    const events = buildChain(10);
    events[4] = { ...events[4], after: { status: "REJECTED" } };
    expect(verifyChain(events)).toMatchObject({
      intact: false,
      firstBrokenSeq: "10",
      checked: 4,
      reason: expect.stringContaining("changed"),
    });
  });

  it("detects a change to who acted, even when the attacker recomputes that event's hash", () => {
    const events = buildChain(10);
    const forged = { ...events[6], actorName: "Someone else" };
    events[6] = { ...forged, hash: computeAuditHash(forged) };
    expect(verifyChain(events)).toMatchObject({
      intact: false,
      firstBrokenSeq: "16",
      reason: expect.stringContaining("links to"),
    });
  });

  it("detects a removed event at the link after it", () => {
    const events = buildChain(10);
    events.splice(3, 1);
    expect(verifyChain(events)).toMatchObject({ intact: false, firstBrokenSeq: "10" });
  });

  it("detects a removed first event and reordered events", () => {
    expect(verifyChain(buildChain(5).slice(1))).toMatchObject({
      intact: false,
      firstBrokenSeq: "4",
      reason: expect.stringContaining("genesis"),
    });
    const events = buildChain(5);
    [events[1], events[2]] = [events[2], events[1]];
    expect(verifyChain(events)).toMatchObject({ intact: false, firstBrokenSeq: "6" });
    const duplicated = buildChain(3);
    expect(verifyChain([...duplicated, duplicated[2]])).toMatchObject({
      intact: false,
      firstBrokenSeq: "6",
      reason: expect.stringContaining("out of order"),
    });
  });

  it("verifies a window given the hash its first event links to", () => {
    const events = buildChain(8);
    expect(verifyChain(events.slice(4), events[3].hash)).toMatchObject({ intact: true, checked: 4 });
  });
});

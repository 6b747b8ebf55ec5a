import { createTtlCache } from "@/lib/cache/ttl-cache";
import type { PrismaClient } from "./client";

export interface SessionLimits {
  maxAgeMs: number;
  idleTimeoutMs: number;
}

/** Last-seen times are written at most this often, so most requests only read. */
const TOUCH_EVERY_MS = 60_000;

/** A new session at sign-in; the person's long-ended ones are cleared on the way. */
export async function startSession(
  db: PrismaClient,
  userId: string,
  limits: SessionLimits,
  now = new Date(),
): Promise<string> {
  await db.userSession.deleteMany({
    where: { userId, OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }] },
  });
  const session = await db.userSession.create({
    data: { userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + limits.maxAgeMs) },
    select: { id: true },
  });
  return session.id;
}

/**
 * Whether a session may still be used: not revoked, within its lifetime and not idle too long. One
 * primary-key read per request; the last-seen time is written at most once a minute, which is the
 * idle timeout's precision.
 */
export async function isSessionLive(
  db: PrismaClient,
  sessionId: string,
  limits: SessionLimits,
  now = new Date(),
): Promise<boolean> {
  const session = await db.userSession.findFirst({
    where: {
      id: sessionId,
      revokedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - limits.idleTimeoutMs) },
    },
    select: { lastSeenAt: true },
  });
  if (!session) return false;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return true;
}

/**
 * Answers of `isSessionLive` shared for a second within a replica: a burst of API calls with one cookie
 * (a page's polls, a script) costs one read, which was half the CPU of a cached runs-list request
 * (docs/benchmarks.md). Sign-out on this replica forgets the answer at once; others within the second.
 */
const recentAnswers = createTtlCache<boolean>({ ttlMs: 1_000, maxEntries: 10_000 });

export function isSessionLiveShared(
  db: PrismaClient,
  sessionId: string,
  limits: SessionLimits,
): Promise<boolean> {
  return recentAnswers.getOrLoad(sessionId, () => isSessionLive(db, sessionId, limits));
}

/** Sign-out: the session's cookie stops working on this replica at once, on the others within a second. */
export async function revokeSession(db: PrismaClient, sessionId: string, now = new Date()): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
  recentAnswers.delete(sessionId);
}

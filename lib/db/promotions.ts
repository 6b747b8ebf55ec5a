import type { PrismaClient } from "./client";

/** A promotion's target as people read it everywhere: the stage ("Production") or the alias ("@champion"). */
export function promotionTargetLabel(row: {
  targetStage: string | null;
  targetAlias: string | null;
}): string {
  return row.targetStage ?? `@${row.targetAlias}`;
}

/**
 * The promotion requests of these model versions, newest first (at most `take`): what a run's and a
 * dataset's lineage show beside each version.
 */
export async function findVersionPromotions(
  db: Pick<PrismaClient, "promotionRequest">,
  versions: { modelName: string; version: string }[],
  take = 200,
) {
  if (!versions.length) return [];
  const rows = await db.promotionRequest.findMany({
    where: { OR: versions.map(({ modelName, version }) => ({ modelName, version })) },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, modelName: true, version: true, status: true, targetStage: true, targetAlias: true },
  });
  return rows.map((row) => ({
    id: row.id,
    modelName: row.modelName,
    version: row.version,
    status: row.status,
    target: promotionTargetLabel(row),
  }));
}

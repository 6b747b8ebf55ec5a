import { modelStages, type ModelStage } from "@/lib/clients/mlflow/schemas";

/**
 * What an approved promotion changes in the registry: a stage on the workspace registry, an alias
 * on Unity Catalog (which has no stages). Pure helpers shared by the apply worker and the pages.
 */

export interface PromotionTarget {
  registry: "WORKSPACE" | "UNITY_CATALOG";
  modelName: string;
  version: string;
  targetStage?: string | null;
  targetAlias?: string | null;
}

/** The alias that means "serves production traffic" on Unity Catalog. */
export const productionAlias = "champion";

/** MLflow accepts stages in any case; the registry answers in this spelling. */
export function normaliseStage(stage: string): ModelStage {
  const match = modelStages.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (!match) throw new RangeError(`unknown stage ${stage}; expected one of ${modelStages.join(", ")}`);
  return match;
}

/** Production traffic follows this promotion, so it starts a canary rollout. */
export const isProductionTarget = (target: PromotionTarget) =>
  target.targetStage
    ? normaliseStage(target.targetStage) === "Production"
    : target.targetAlias === productionAlias;

/** MLflow archives the incumbents only for these stages (archive_existing_versions is refused for others). */
export const archivesIncumbents = (stage: ModelStage) => stage === "Staging" || stage === "Production";

/** "Production" or "@champion": how people name the target. */
export const describeTarget = (target: Pick<PromotionTarget, "targetStage" | "targetAlias">) =>
  target.targetStage ? normaliseStage(target.targetStage) : `@${target.targetAlias}`;

/** Unity Catalog models are three-part names (catalog.schema.model); workspace names are not. */
export const isUnityCatalogModelName = (name: string) => /^[^.\s/]+\.[^.\s/]+\.[^.\s/]+$/.test(name);

import type { InferenceService } from "@/lib/clients/kserve";

/**
 * Which registered model an InferenceService serves. KServe itself does not know, so the mapping is
 * explicit and checked in this order:
 * 1. annotations (Switchboard writes them on every rollout; people deploying by hand may add them),
 * 2. an MLflow `models:/<name>/<version>` storage URI,
 * 3. a storage path ending in `<name>/<version>` where `<name>` is the registered model's name
 *    (the layout the model export job writes: `.../models/churn-classifier/2`).
 * A service matching none of these is not linked to any model, rather than guessed.
 */
export const servedModelAnnotation = "serving.switchboard.io/registered-model";
export const servedVersionAnnotation = "serving.switchboard.io/model-version";
/** The version that served before the latest rollout: what serves again after a rollback. */
export const previousVersionAnnotation = "serving.switchboard.io/previous-model-version";

export type ServedModelSource = "annotation" | "models-uri" | "storage-path";

export interface ServedModel {
  modelName: string;
  /** The version taking the traffic (after a rollback, the one rolled back to); undefined when unknown. */
  version?: string;
  source: ServedModelSource;
  /** The spec's version sits rolled back at 0% of traffic (canaryTrafficPercent 0). */
  isRolledBack?: boolean;
}

const modelsUri = /^models:\/([^/]+)\/([^/]+)$/;

function pathSegments(uri: string): string[] {
  const withoutQuery = uri.split(/[?#]/)[0];
  const path = withoutQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  return path.split("/").filter(Boolean);
}

/** What `service` serves, given the registered model names it may serve (for the storage-path rule). */
export function servedModelOf(
  service: Pick<InferenceService, "metadata" | "spec">,
  candidateNames: Iterable<string> = [],
): ServedModel | undefined {
  const annotations = service.metadata.annotations ?? {};
  const annotated = annotations[servedModelAnnotation];
  const named = specModelOf(service, candidateNames);
  // canaryTrafficPercent 0 is KServe's rollback: the spec names a version that no longer serves, so
  // the one rolled back to is the annotated previous version, or unknown rather than wrong.
  if (named && service.spec.predictor.canaryTrafficPercent === 0)
    return {
      ...named,
      version: annotated ? annotations[previousVersionAnnotation] || undefined : undefined,
      isRolledBack: true,
    };
  return named;
}

function specModelOf(
  service: Pick<InferenceService, "metadata" | "spec">,
  candidateNames: Iterable<string>,
): ServedModel | undefined {
  const annotations = service.metadata.annotations ?? {};
  const annotated = annotations[servedModelAnnotation];
  if (annotated)
    return {
      modelName: annotated,
      version: annotations[servedVersionAnnotation] || undefined,
      source: "annotation",
    };
  const storageUri = service.spec.predictor.model?.storageUri;
  if (!storageUri) return undefined;
  const uriMatch = modelsUri.exec(storageUri);
  if (uriMatch)
    return {
      modelName: decodeURIComponent(uriMatch[1]),
      version: decodeURIComponent(uriMatch[2]),
      source: "models-uri",
    };
  const segments = pathSegments(storageUri);
  if (segments.length < 2) return undefined;
  const [name, version] = segments.slice(-2);
  for (const candidate of candidateNames)
    if (candidate === name) return { modelName: candidate, version, source: "storage-path" };
  return undefined;
}

export const servesModel = (service: Pick<InferenceService, "metadata" | "spec">, modelName: string) =>
  servedModelOf(service, [modelName])?.modelName === modelName;

/**
 * Where the new version's artifacts are, in the form the service already uses: the same URI with the
 * version swapped when the current one names its version, else the registry's own storage location.
 */
export function storageUriForVersion(input: {
  currentUri?: string;
  servedVersion?: string;
  modelName: string;
  version: string;
  registrySource?: string;
}): string {
  const { currentUri, servedVersion, modelName, version } = input;
  if (currentUri && modelsUri.test(currentUri))
    return `models:/${encodeURIComponent(modelName)}/${encodeURIComponent(version)}`;
  if (currentUri && servedVersion) {
    const [base, suffix = ""] = currentUri.split(/(?=[?#])/);
    if (base.endsWith(`/${servedVersion}`))
      return `${base.slice(0, -servedVersion.length)}${version}${suffix}`;
  }
  if (input.registrySource) return input.registrySource;
  throw new RangeError(`no storage location is known for ${modelName} version ${version}`);
}

export interface ServingRevision {
  revisionName: string;
  /** Share of traffic, 0–100, as KServe reports it in status.components.predictor.traffic. */
  percent: number;
  /** "canary" is the latest revision (the spec's model); "default" the one it is compared against. */
  endpoint: "default" | "canary";
  /** The model version this revision serves, when the annotations or the spec tell; else undefined. */
  version?: string;
}

/**
 * Every revision carrying traffic now, with the model version each one serves: during a canary
 * (90/10) both, after a rollback (canaryTrafficPercent 0) only the previous one. KServe's traffic
 * targets name the latest revision (latestRevision: true, or latestReadyRevision by name) and the
 * previously rolled-out one (kserve/kserve pkg/apis/serving/v1beta1/component.go; the canary
 * rollout doc: https://kserve.github.io/website/latest/modelserving/v1beta1/rollout/canary/).
 * The latest revision serves the spec's version, the others the annotated previous version.
 */
export function servingRevisionsOf(
  service: Pick<InferenceService, "metadata" | "spec" | "status">,
  candidateNames: Iterable<string> = [],
): ServingRevision[] {
  const predictor = service.status?.components?.predictor;
  const annotations = service.metadata.annotations ?? {};
  const specVersion = specModelOf(service, candidateNames)?.version;
  const previousVersion = annotations[servedModelAnnotation]
    ? annotations[previousVersionAnnotation] || undefined
    : undefined;
  const latest = predictor?.latestReadyRevision ?? predictor?.latestCreatedRevision;
  const shares = new Map<string, { percent: number; isLatest: boolean }>();
  for (const target of predictor?.traffic ?? []) {
    const name = target.revisionName ?? (target.latestRevision ? latest : undefined);
    if (!name) continue;
    const entry = shares.get(name) ?? { percent: 0, isLatest: false };
    entry.percent += target.percent ?? 0;
    entry.isLatest ||= target.latestRevision === true || name === latest;
    shares.set(name, entry);
  }
  return [...shares]
    .filter(([, share]) => share.percent > 0)
    .map(([revisionName, share]) => ({
      revisionName,
      percent: share.percent,
      endpoint: (share.isLatest && shares.size > 1 ? "canary" : "default") as ServingRevision["endpoint"],
      version: share.isLatest ? specVersion : previousVersion,
    }))
    .sort((a, b) => b.percent - a.percent || a.revisionName.localeCompare(b.revisionName));
}

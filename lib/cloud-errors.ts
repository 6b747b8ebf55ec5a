import { CloudApiError, ContractError } from "@/lib/clients/http";
import { SqlStatementError } from "@/lib/clients/sql";
import { AppError, isAppError } from "@/lib/errors";

/** What the owner of each system must grant Switchboard's identity when it refuses access. */
const accessHints: Record<string, string> = {
  "Unity Catalog": "USE CATALOG, USE SCHEMA and SELECT",
  "Databricks SQL": "CAN USE on the SQL warehouse, and SELECT on the table",
  MLflow: "CAN READ on the experiment or registered model",
  Databricks: "CAN MANAGE RUN on the job",
};

/**
 * The one translation from a cloud failure to an AppError whose message says what happened and what
 * to do, for every route, page and server action. A 429 stays a 429 and keeps the cloud's
 * Retry-After. Returns undefined for what it does not know: that is a bug, not a cloud failure.
 */
export function translateCloudError(error: unknown, what = "what you asked for"): AppError | undefined {
  if (isAppError(error)) return error;
  if (error instanceof SqlStatementError) {
    if (error.errorCode === "DEADLINE_EXCEEDED")
      return new AppError(
        "UNAVAILABLE",
        `The SQL warehouse did not return ${what} in time (the statement was cancelled). A stopped warehouse takes a few minutes to start: try again shortly.`,
        { cause: error },
      );
    if (error.isNotFound)
      return new AppError(
        "NOT_FOUND",
        `The SQL warehouse could not find the table behind ${what}: ${error.serverMessage}`,
        { cause: error },
      );
    return new AppError(
      "UNAVAILABLE",
      `The SQL warehouse failed to return ${what}${error.errorClass ? ` (${error.errorClass})` : ""}: ${error.serverMessage.slice(0, 300)}`,
      { cause: error, retryable: false },
    );
  }
  if (isCloudApiError(error)) {
    const cloud = error;
    const code = cloud.errorCode || `HTTP ${cloud.status}`;
    if (cloud.isNotFound)
      return new AppError("NOT_FOUND", `${cloud.service} could not find ${what}.`, { cause: error });
    if (cloud.status === 401 || cloud.status === 403) {
      const grant = accessHints[cloud.service];
      return new AppError(
        "UNAVAILABLE",
        `${cloud.service} refused Switchboard access to ${what} (${code}). Ask the owner to grant Switchboard's service principal access${grant ? ` (${grant})` : ""}.`,
        { cause: error, retryable: false },
      );
    }
    if (cloud.status === 0)
      return new AppError(
        "UNAVAILABLE",
        `${cloud.service} did not answer in time with ${what} (${cloud.errorCode}). Try again; if it keeps happening, check the service's status.`,
        { cause: error },
      );
    if (cloud.status === 429) {
      return new AppError(
        "RATE_LIMITED",
        `${cloud.service} is rate-limiting Switchboard (while reading ${what}). Wait a minute and try again.`,
        { cause: error, retryAfterMs: cloud.retryAfterMs },
      );
    }
    if (cloud.status === 409 || cloud.isAlreadyExists)
      return new AppError("CONFLICT", `${cloud.service} refused the change to ${what}: ${cloud.message}`, {
        cause: error,
      });
    if (cloud.status >= 400 && cloud.status < 500)
      return new AppError(
        "BAD_REQUEST",
        `${cloud.service} refused the request for ${what}: ${cloud.message}`,
        { cause: error },
      );
    return new AppError(
      "UNAVAILABLE",
      `${cloud.service} failed to return ${what} (${code}). Try again; if it keeps failing, check the service's status.`,
      { cause: error, retryAfterMs: cloud.retryAfterMs },
    );
  }
  if (error instanceof ContractError)
    return new AppError(
      "UNAVAILABLE",
      `A cloud service answered ${what} in a shape Switchboard does not understand; tell the platform team. (${error.message.slice(0, 200)})`,
      { cause: error },
    );
  if (error instanceof Error && error.name === "TimeoutError")
    return new AppError("UNAVAILABLE", `The cloud did not return ${what} in time. Try again shortly.`, {
      cause: error,
    });
  return undefined;
}

/** A cloud failure as a client raised it; by name as well, for the same reason as `isAppError`. */
export const isCloudApiError = (error: unknown): error is CloudApiError =>
  error instanceof CloudApiError || (error instanceof Error && error.name === "CloudApiError");

/** The system does not know the thing asked for (HTTP 404, RESOURCE_DOES_NOT_EXIST, NOT_FOUND). */
export const isCloudNotFound = (error: unknown): boolean => isCloudApiError(error) && error.isNotFound;

/**
 * What one cloud answer means for one record, where the general translation would say less: a
 * registered model MLflow does not know is "there is no model named churn", a table Unity Catalog
 * will not show the launch form is a bad field. Each is a function so nothing is built unless used.
 */
export interface CloudMeanings {
  /** The system does not know it (404, RESOURCE_DOES_NOT_EXIST). */
  notFound?: (error: CloudApiError) => AppError;
  /** The system refused the request as malformed (HTTP 400 or INVALID_PARAMETER_VALUE / BAD_REQUEST). */
  invalid?: (error: CloudApiError) => AppError;
  /** The system refused Switchboard access to it (403). A 401 (Switchboard's own credentials) always reads as such. */
  forbidden?: (error: CloudApiError) => AppError;
}

const meaningOf = (error: CloudApiError, meanings: CloudMeanings) => {
  if (error.isNotFound) return meanings.notFound;
  if (error.status === 403) return meanings.forbidden;
  if (error.isAlreadyExists) return undefined;
  if (
    error.status === 400 ||
    error.errorCode === "INVALID_PARAMETER_VALUE" ||
    error.errorCode === "BAD_REQUEST"
  )
    return meanings.invalid;
  return undefined;
};

/**
 * The one way the DAL turns a cloud failure into what a person reads: the record's own meaning
 * for an answer where one is given, otherwise `translateCloudError` (so a 429 stays a 429 with its
 * Retry-After everywhere). Anything that is not a cloud failure is a bug and is rethrown as it is.
 */
export function throwCloudError(error: unknown, what: string, meanings: CloudMeanings = {}): never {
  const meaning = isCloudApiError(error) ? meaningOf(error, meanings) : undefined;
  if (meaning) throw meaning(error as CloudApiError);
  throw translateCloudError(error, what) ?? error;
}

/** For a page that still shows the rest when one source fails: what to say about that source. */
export function describeCloudError(error: unknown, what: string): string {
  return (
    translateCloudError(error, what)?.message ?? `Switchboard could not read ${what} (unexpected error).`
  );
}

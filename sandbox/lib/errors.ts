import type { FastifyReply } from "fastify";

/**
 * Databricks / MLflow error body: {"error_code": "...", "message": "..."}.
 * The status for each code follows open-source MLflow's mapping (see shared CONTRACTS.md).
 */
export const statusForErrorCode: Record<string, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  ABORTED: 409,
  RESOURCE_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** Thrown by route handlers; the server's error handler renders it in the service's error shape. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status = statusForErrorCode[errorCode] ?? 500,
  ) {
    super(message);
  }
}

export function sendError(
  reply: FastifyReply,
  errorCode: string,
  message: string,
  status = statusForErrorCode[errorCode] ?? 500,
) {
  return reply.code(status).send({ error_code: errorCode, message });
}

import type { FastifyReply } from "fastify";

/**
 * Each emulated service answers errors in its own shape: Databricks/MLflow {error_code, message},
 * Kubernetes a v1 Status object, Prometheus {status: "error", errorType, error}.
 */
export type Dialect = "databricks" | "kubernetes" | "prometheus" | "oidc";

export function dialectOf(path: string): Dialect {
  if (path.startsWith("/apis/") || path.startsWith("/api/v1/namespaces") || path === "/version") return "kubernetes";
  if (path.startsWith("/api/v1/")) return "prometheus";
  if (path.startsWith("/oidc")) return "oidc";
  return "databricks";
}

const kubernetesReason: Record<number, string> = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 422: "Invalid",
  429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
};

const prometheusErrorType = (status: number) => (status === 400 ? "bad_data" : status === 422 ? "execution" : status === 503 ? "unavailable" : status === 504 ? "timeout" : "internal");

export function sendDialectError(reply: FastifyReply, dialect: Dialect, status: number, errorCode: string, message: string) {
  reply.code(status);
  switch (dialect) {
    case "kubernetes":
      return reply.send({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: kubernetesReason[status] ?? "Unknown", code: status });
    case "prometheus":
      return reply.send({ status: "error", errorType: prometheusErrorType(status), error: message });
    case "oidc":
      return reply.send({ error: status === 401 ? "invalid_token" : "server_error", error_description: message });
    default:
      return reply.send({ error_code: errorCode, message });
  }
}

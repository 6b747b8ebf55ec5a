import type { FastifyReply } from "fastify";

/**
 * Each emulated service answers errors in its own shape: Databricks/MLflow {error_code, message},
 * Kubernetes a v1 Status object, Prometheus {status: "error", errorType, error}, Airflow an RFC 7807 problem, Feast's registry server
 * {status_code, detail, error_type}.
 */
export type Dialect =
  "databricks" | "kubernetes" | "prometheus" | "oidc" | "airflow" | "azure-storage" | "feast" | "arm";

export function dialectOf(path: string): Dialect {
  if (path.startsWith("/airflow/")) return "airflow";
  if (path.startsWith("/subscriptions/")) return "arm";
  if (path.startsWith("/feast/")) return "feast";
  if (path.startsWith("/apis/") || path.startsWith("/api/v1/namespaces") || path === "/version")
    return "kubernetes";
  if (path.startsWith("/api/v1/")) return "prometheus";
  if (path.startsWith("/oidc")) return "oidc";
  if (path.startsWith("/blob/")) return "azure-storage";
  return "databricks";
}

const kubernetesReason: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

const airflowErrors: Record<number, [name: string, title: string]> = {
  400: ["BadRequest", "Bad Request"],
  401: ["Unauthenticated", "Unauthorized"],
  403: ["PermissionDenied", "Forbidden"],
  404: ["NotFound", "Not Found"],
  405: ["MethodNotAllowed", "Method Not Allowed"],
  409: ["AlreadyExists", "Conflict"],
  500: ["Unknown", "Internal Server Error"],
};

/** Airflow's problem body; `type` links its docs like airflow/api_connexion/exceptions.py EXCEPTIONS_LINK_MAP. */
export function airflowProblem(status: number, detail: string, title?: string) {
  const [name, defaultTitle] = airflowErrors[status] ?? [
    "Unknown",
    status === 429 ? "Too Many Requests" : status === 503 ? "Service Unavailable" : "Error",
  ];
  return {
    type: `https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/${name}`,
    title: title ?? defaultTitle,
    status,
    detail,
  };
}

/** Azure Resource Manager's CloudError: `{error: {code, message}}` (Data Factory answers in it too). */
export const armError = (code: string, message: string) => ({ error: { code, message } });

/** ARM's codes for what the sandbox's shared paths (auth, faults, unknown routes) report in Databricks' words. */
const armCodes: Record<number, string> = {
  400: "BadRequest",
  401: "AuthenticationFailed",
  403: "AuthorizationFailed",
  404: "NotFound",
  409: "Conflict",
  429: "TooManyRequests",
  500: "InternalServerError",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** feast-dev/feast rest_registry_server.py: every handler answers {status_code, detail, error_type}. */
export function feastError(status: number, detail: string, errorType = "HTTPException") {
  return { status_code: status, detail, error_type: errorType };
}

const prometheusErrorType = (status: number) =>
  status === 400
    ? "bad_data"
    : status === 422
      ? "execution"
      : status === 503
        ? "unavailable"
        : status === 504
          ? "timeout"
          : "internal";

export function sendDialectError(
  reply: FastifyReply,
  dialect: Dialect,
  status: number,
  errorCode: string,
  message: string,
) {
  reply.code(status);
  switch (dialect) {
    case "kubernetes":
      return reply.send({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message,
        reason: kubernetesReason[status] ?? "Unknown",
        code: status,
      });
    case "prometheus":
      return reply.send({ status: "error", errorType: prometheusErrorType(status), error: message });
    case "airflow":
      return reply.type("application/problem+json").send(airflowProblem(status, message));
    case "feast":
      return reply.send(feastError(status, message));
    case "arm":
      return reply.send(
        armError(/^[A-Z_]+$/.test(errorCode) ? (armCodes[status] ?? errorCode) : errorCode, message),
      );
    case "azure-storage":
      return sendStorageError(reply, status, errorCode, message);
    case "oidc":
      return reply.send({
        error: status === 401 ? "invalid_token" : "server_error",
        error_description: message,
      });
    default:
      return reply.send({ error_code: errorCode, message });
  }
}

/** Azure Storage's error shape: XML `<Error><Code/><Message/></Error>` and the code in `x-ms-error-code`. */
export function sendStorageError(reply: FastifyReply, status: number, errorCode: string, message: string) {
  return reply
    .code(status)
    .header("x-ms-error-code", errorCode)
    .type("application/xml")
    .send(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${xmlEscape(errorCode)}</Code><Message>${xmlEscape(message)}</Message></Error>`,
    );
}

export const xmlEscape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

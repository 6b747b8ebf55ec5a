/**
 * The one error type the platform raises on purpose. Its code decides the HTTP status a route
 * answers with and whether a worker retries; its message is always safe to show a person.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

const statusByCode: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly retryable: boolean;
  readonly details?: unknown;
  /** How long the caller should wait before trying again, when the cloud said (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    options: { retryable?: boolean; details?: unknown; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.retryable = options.retryable ?? (code === "RATE_LIMITED" || code === "UNAVAILABLE");
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

/**
 * By brand as well as class: Next's production build may load this module once per chunk, and an
 * AppError made by one copy is not an instance of another copy's class.
 */
export const isAppError = (error: unknown): error is AppError =>
  error instanceof AppError ||
  (error instanceof Error &&
    error.name === "AppError" &&
    typeof (error as AppError).code === "string" &&
    (error as AppError).code in statusByCode);

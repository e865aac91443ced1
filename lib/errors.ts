/**
 * Failures a caller can cause, and their HTTP status: the one table every surface answers from.
 * Anything else is a bug: logged, never shown (`internal`).
 */
export const errorStatus = {
  invalid_input: 400,
  not_purchasable: 400,
  quantity_out_of_range: 400,
  product_does_not_exist: 400,
  product_customer_type_does_not_match: 400,
  item_customer_type_does_not_match: 400,
  item_quantity_insufficient_amount: 400,
  product_already_granted: 400,
  product_not_owned: 400,
  product_not_cancelable: 400,
  product_billed_through_stripe: 400,
  body_parsing_error: 400,
  malformed_path: 400,
  invalid_signature: 400,
  unauthenticated: 401,
  unauthorized: 401,
  invalid_credentials: 401,
  server_api_disabled: 401,
  invalid_secret_server_key: 401,
  quota_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  user_not_found: 404,
  team_not_found: 404,
  item_not_found: 404,
  product_not_found: 404,
  already_member: 409,
  last_owner: 409,
  email_taken: 409,
  already_owned: 409,
  requires_base_product: 409,
  insufficient_quantity: 409,
  no_free_seat: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  mail_failed: 503,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * The app's one error class, in the spirit of vercel/ai-chatbot's: its code decides the status and
 * what a client sees, on every surface. Server actions answer `{ code, message }` (app/_server/
 * action.ts); the HTTP APIs (REST, metered, webhook) answer `toResponse()`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable facts for API clients (ids, amounts), as Stack Auth's known errors carry. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }

  /** The HTTP APIs' code: Stack Auth's upper case; input that fails its schema is SCHEMA_ERROR there. */
  get apiCode(): string {
    return this.code === 'invalid_input' ? 'SCHEMA_ERROR' : this.code.toUpperCase();
  }

  /** The body every HTTP API answers: `{ code, error, details? }`. */
  toBody(): { code: string; error: string; details?: Record<string, unknown> } {
    return { code: this.apiCode, error: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  /** The HTTP answer: the body, the code also in `x-tally-known-error`, and when to retry a 503. */
  toResponse(headers: Record<string, string> = {}): Response {
    return Response.json(this.toBody(), {
      status: this.status,
      headers: { 'x-tally-known-error': this.apiCode, ...(this.status === 503 ? { 'Retry-After': '5' } : {}), ...headers },
    });
  }
}

/**
 * Connection-level failures of the database: refused, dropped, shut down, out of connections.
 * Not a bug of the request, and nothing to retry inside it: the caller is told to come back.
 */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const unavailableMessages = /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (unavailableCodes.has(e.code) || e.code.startsWith('08'))) return true;
    // Any other SQLSTATE is the server answering: its message may quote user input, never read it.
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return false;
    if (typeof e.message === 'string' && unavailableMessages.test(e.message)) return true;
  }
  return false;
}

export const databaseUnavailable = () =>
  new AppError('database_unavailable', 'The database is not answering right now; nothing was changed. Try again in a few seconds.');

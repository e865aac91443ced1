/** Failures a caller can cause. Anything else is a bug: logged, never shown. */
export const errorStatus = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  user_not_found: 404,
  team_not_found: 404,
  already_member: 409,
  last_owner: 409,
  email_taken: 409,
  invalid_credentials: 401,
  item_not_found: 404,
  product_not_found: 404,
  already_owned: 409,
  requires_base_product: 409,
  insufficient_quantity: 409,
  no_free_seat: 409,
  rate_limited: 429,
  mail_failed: 503,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
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

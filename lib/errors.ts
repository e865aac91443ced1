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

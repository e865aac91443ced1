/** What every Tally server action answers (the shape of `app/_server/action.ts`). */
export type ActionError = { code: string; message: string; fieldErrors?: Record<string, string> };
export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * The SDK's one error class. `name` is the code in PascalCase (`product_not_found` →
 * `ProductNotFound`), so callers can switch on names as in Stack Auth's SDK or on `code`.
 */
export class TallyError extends Error {
  readonly code: string;
  readonly fieldErrors?: Record<string, string>;

  constructor({ code, message, fieldErrors }: ActionError) {
    super(message);
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.name = code
      .split('_')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
  }
}

/** The data of a successful result; a failed one throws its TallyError. */
export function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new TallyError(result.error);
  return result.data;
}

/** The `code` of the error `fn` throws (an AppError's, such as `team_not_found`), or 'ok' when it throws nothing. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

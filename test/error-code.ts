/** The `code` of the error `fn` throws or rejects with (an AppError's, such as `team_not_found`), or 'ok'. */
export async function errorCode(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

import { AppError } from '../errors';
import type { Auth } from './auth';
import { toAuthError } from './auth-errors';

/** The account page's changes (deleting it is ./deletion.ts). Each takes the request's headers: better-auth checks the session itself. */
export async function renameAccount(auth: Auth, headers: Headers, name: string): Promise<void> {
  await auth.api.updateUser({ body: { name }, headers }).catch((error: unknown) => {
    throw toAuthError(error);
  });
}

/** Changes the password after checking the current one; every other session of the account is signed out. */
export async function changePassword(auth: Auth, headers: Headers, currentPassword: string, newPassword: string): Promise<void> {
  try {
    await auth.api.changePassword({ body: { currentPassword, newPassword, revokeOtherSessions: true }, headers });
  } catch (error) {
    const code = (error as { body?: { code?: string } }).body?.code;
    if (code === 'INVALID_PASSWORD') throw new AppError('invalid_credentials', 'Your current password is not right.');
    throw toAuthError(error);
  }
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A browser that has signed in to an account before carries `<id>.<mac>`, where the MAC binds the
 * id to that account's email under the app's secret. Its sign-in attempts are counted under the
 * id instead of the account, so an attacker hammering the account (without the cookie) cannot
 * lock its owner out. This is OWASP's "device cookie" defence against lockout abuse.
 */
export const KNOWN_DEVICE_COOKIE = 'tally_device';

const mac = (secret: string, id: string, email: string) => createHmac('sha256', secret).update(`known-device:${id}:${email}`).digest('base64url');

export function issueDeviceToken(secret: string, email: string): string {
  const id = randomBytes(12).toString('base64url');
  return `${id}.${mac(secret, id, email)}`;
}

/** The device id when the token was issued for this email, else null. */
export function verifyDeviceToken(secret: string, email: string, token: string | undefined): string | null {
  const [id, given, ...rest] = token?.split('.') ?? [];
  if (!id || !given || rest.length) return null;
  const expected = Buffer.from(mac(secret, id, email));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? id : null;
}

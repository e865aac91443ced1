import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { organization } from 'better-auth/plugins';
import { hasLiveSubscription } from '../payments/purchase-rows';
import type { Db } from '../../db';
import type { Mailer } from '../mail/mail';
import { tables } from '../../db/schema';

export type AuthOptions = { baseURL: string; secret: string; plugins?: BetterAuthPlugin[]; sendMail?: Mailer };

/** How long a password-reset link works. */
export const RESET_LINK_SECONDS = 60 * 60;
/** How long the link that confirms a new email works. */
export const EMAIL_CHANGE_LINK_SECONDS = 24 * 60 * 60;

/**
 * Users, passwords and sessions belong to better-auth. Teams use its organization plugin's tables;
 * the team rules themselves (who may manage whom, the last owner) live in ./teams.ts.
 */
export function createAuth(db: Db, { baseURL, secret, plugins = [], sendMail }: AuthOptions) {
  return betterAuth({
    baseURL,
    secret,
    database: drizzleAdapter(db.orm, { provider: db.dialect === 'postgres' ? 'pg' : 'sqlite', schema: tables }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
      // The link is the app's page, not the library's callback route (its HTTP routes are not
      // mounted). Not awaited: an answer that waits for SMTP only for existing accounts would tell
      // anyone which emails have one.
      sendResetPassword: sendMail
        ? async ({ user, token }) => {
            sendMail({
              to: user.email,
              subject: 'Reset your Tally password',
              text: [
                'Someone (we hope you) asked to reset the password of your Tally account.',
                '',
                `Choose a new password: ${baseURL}/reset-password?token=${encodeURIComponent(token)}`,
                '',
                `The link works once, for ${RESET_LINK_SECONDS / 60} minutes. If you did not ask, ignore this mail: your password stays as it is.`,
              ].join('\n'),
            }).catch((error: unknown) => console.error('password reset mail failed', error));
          }
        : undefined,
    },
    // Changing the email: better-auth mails a signed link to the new address, and the change happens
    // only when it is confirmed (./email-change.ts). The link leads to the app's page, which asks
    // for a click before confirming (mail scanners open links). Not awaited, as for resets.
    user: { changeEmail: { enabled: true } },
    emailVerification: {
      expiresIn: EMAIL_CHANGE_LINK_SECONDS,
      sendVerificationEmail: sendMail
        ? async ({ user, token }) => {
            sendMail({
              to: user.email,
              subject: 'Confirm your new email for Tally',
              text: [
                `Someone (we hope you) asked to use ${user.email} for a Tally account.`,
                '',
                `Confirm it: ${baseURL}/confirm-email?token=${encodeURIComponent(token)}`,
                '',
                `The link works for ${EMAIL_CHANGE_LINK_SECONDS / 3600} hours. If you did not ask, ignore this mail: nothing changes.`,
              ].join('\n'),
            }).catch((error: unknown) => console.error('email change mail failed', error));
          }
        : undefined,
    },
    plugins: [
      organization({
        organizationHooks: {
          // No HTTP route reaches this today; the rule holds for any future caller of the library.
          beforeDeleteOrganization: async ({ organization: team }) => {
            if (await db.read((tx) => hasLiveSubscription(tx, { type: 'team', id: team.id }))) {
              throw new APIError('CONFLICT', { message: 'Cancel the team’s subscription before deleting the team.' });
            }
          },
        },
      }),
      ...plugins,
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

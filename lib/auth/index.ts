import 'server-only';
import { nextCookies } from 'better-auth/next-js';
import { getDb } from '../../db';
import { getEnv } from '../env';
import { getMailer } from '../mail/app-mailer';
import { createAuth, type Auth } from './auth';

const cache = globalThis as { tallyAuth?: Auth };

/** The app's auth instance; `nextCookies` lets server actions set the session cookie. */
export function getAuth(): Auth {
  const { appUrl, authSecret } = getEnv();
  cache.tallyAuth ??= createAuth(getDb(), { baseURL: appUrl, secret: authSecret, plugins: [nextCookies()], sendMail: getMailer() });
  return cache.tallyAuth;
}

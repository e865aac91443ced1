import 'server-only';
import { nextCookies } from 'better-auth/next-js';
import { getDb } from '../../db';
import { getEnv } from '../env';
import { createMailer } from '../mail/mail';
import { createAuth, type Auth } from './auth';

const cache = globalThis as { tallyAuth?: Auth };

/** The app's auth instance; `nextCookies` lets server actions set the session cookie. */
export function getAuth(): Auth {
  const { appUrl, authSecret, mail } = getEnv();
  cache.tallyAuth ??= createAuth(getDb(), { baseURL: appUrl, secret: authSecret, plugins: [nextCookies()], sendMail: createMailer(getDb(), mail) });
  return cache.tallyAuth;
}

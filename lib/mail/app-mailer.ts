import 'server-only';
import { getDb } from '../../db';
import { getEnv } from '../env';
import { createMailer, type Mailer } from './mail';

const cache = globalThis as { tallyMailer?: Mailer };

/** The app's one mailer (SMTP_URL or the outbox), built once: auth's mails and the app's share it. */
export function getMailer(): Mailer {
  cache.tallyMailer ??= createMailer(getDb(), getEnv().mail);
  return cache.tallyMailer;
}

import 'server-only';
import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { createMailer, type Mailer } from '@/lib/mail/mail';

const cache = globalThis as { tallyMailer?: Mailer };

/** The app's mailer (SMTP_URL or the outbox), built once. */
export function getMailer(): Mailer {
  cache.tallyMailer ??= createMailer(getDb(), getEnv().mail);
  return cache.tallyMailer;
}

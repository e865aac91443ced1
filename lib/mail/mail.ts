import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import type { Db } from '../../db';
import { all, run } from '../../db/work';
import { mailOutbox } from '../../db/schema';

export type Mail = { to: string; subject: string; text: string };
/** Sends one mail; rejects if it could not be handed over (SMTP down), so callers can undo. */
export type Mailer = (mail: Mail) => Promise<void>;

/**
 * The one way the app sends mail: SMTP through nodemailer when `smtpUrl` is set, otherwise a row
 * in `mail_outbox` that the demo's mailbox page (and the e2e tests) read.
 */
export function createMailer(db: Db, { smtpUrl, from }: { smtpUrl: string | null; from: string }, now: () => number = Date.now): Mailer {
  if (smtpUrl) {
    const transport = createTransport(smtpUrl);
    return async (mail) => {
      await transport.sendMail({ from, ...mail });
    };
  }
  return async (mail) => {
    await db.write((tx) => run(tx.insert(mailOutbox).values({ id: randomUUID(), ...mail, to: mail.to.toLowerCase(), createdAt: now() })));
  };
}

/** The outbox, newest first: everything, or what was sent to one address. */
export function listOutbox(db: Db, options: { to?: string; limit?: number } = {}) {
  return db.read((tx) =>
    all(
      tx
        .select()
        .from(mailOutbox)
        .where(options.to ? eq(mailOutbox.to, options.to.toLowerCase()) : undefined)
        .orderBy(desc(mailOutbox.createdAt))
        .limit(options.limit ?? 50),
    ),
  );
}

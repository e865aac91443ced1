import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import type { Db } from '../../db';
import { all, lock, run } from '../../db/work';
import { mailOutbox } from '../../db/schema';
import { AppError } from '../errors';

export type Mail = { to: string; subject: string; text: string };
/** Sends one mail; rejects if it could not be handed over (SMTP down, or the address's limit), so callers can undo. */
export type Mailer = (mail: Mail) => Promise<void>;

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Mails to one address, whoever causes them (invitations from any team or account, resets, email
 * changes, notices): 5 an hour covers a person's own bursts (an invitation, a reset or two, a
 * notice); 20 a day bounds what strangers can send one inbox through the app's sender. Counted from
 * the outbox, so every instance and every sender shares the count.
 */
export const MAIL_LIMITS = [
  { windowMs: HOUR_MS, max: 5 },
  { windowMs: DAY_MS, max: 20 },
] as const;

/** The quoted form of a name someone chose (a team's, an account's) for a mail: one line, clearly a name, never an instruction. */
export function quotedName(name: string): string {
  const oneLine = name.replace(/[\p{C}\s]+/gu, ' ').trim();
  return `“${oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine}”`;
}

/**
 * The one way the app sends mail: SMTP through nodemailer when `smtpUrl` is set, otherwise a row
 * in `mail_outbox` that the demo's mailbox page (and the e2e tests) read. Either way the outbox
 * records the mail first, under the address's lock and limit (`MAIL_LIMITS`); with SMTP it keeps
 * the address, subject and time only (bodies carry links that sign people in), for a day.
 */
export function createMailer(db: Db, { smtpUrl, from }: { smtpUrl: string | null; from: string }, now: () => number = Date.now): Mailer {
  const transport = smtpUrl ? createTransport(smtpUrl) : null;
  return async (mail) => {
    const to = mail.to.toLowerCase();
    const id = randomUUID();
    const at = now();
    await db.write(function* (tx) {
      yield* lock(`mail:${to}`);
      if (transport) yield* run(tx.delete(mailOutbox).where(lt(mailOutbox.createdAt, at - DAY_MS)));
      const recent = yield* all(
        tx
          .select({ createdAt: mailOutbox.createdAt })
          .from(mailOutbox)
          .where(and(eq(mailOutbox.to, to), gt(mailOutbox.createdAt, at - DAY_MS)))
          .orderBy(desc(mailOutbox.createdAt))
          .limit(Math.max(...MAIL_LIMITS.map((limit) => limit.max))),
      );
      for (const { windowMs, max } of MAIL_LIMITS) {
        const inWindow = recent.filter((row) => row.createdAt > at - windowMs);
        if (inWindow.length >= max) {
          const minutes = Math.ceil((inWindow[max - 1]!.createdAt + windowMs - at) / 60_000);
          throw new AppError('rate_limited', `${to} was sent several mails just now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
        }
      }
      yield* run(tx.insert(mailOutbox).values({ id, to, subject: mail.subject, text: transport ? '' : mail.text, createdAt: at }));
    });
    if (!transport) return;
    try {
      await transport.sendMail({ from, ...mail });
    } catch (error) {
      await db.write((tx) => run(tx.delete(mailOutbox).where(eq(mailOutbox.id, id)))); // not sent: it does not count
      throw error;
    }
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

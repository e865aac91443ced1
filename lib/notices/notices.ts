import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { all, run, type Work } from '../../db/work';
import { member, notice, user } from '../../db/schema';
import type { Mailer } from '../mail/mail';
import { clockFrom, defineOutbox } from '../outbox';
import { isCustomer, type CustomerRef } from '../payments/customer-ref';

/**
 * What a customer should act on: a failed payment, a trial about to end, an item running low. Each
 * is recorded in the transaction of the change it tells of (`recordNotice`), shown in the app, and
 * mailed once, after the commit, to the customer's billing contacts (the user; a team's owners and
 * admins), by `dispatchNotices`, leased and retried like the purchase hooks.
 */
export type NoticeKind = 'payment_failed' | 'trial_ending' | 'low_balance';
export type NewNotice = { id: string; customer: CustomerRef; kind: NoticeKind; text: string; link: string };

const SHOWN_FOR_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Set when this process records a notice, so requests dispatch only when there may be mail to send.
 * On globalThis: Next.js may load this module more than once in one process.
 */
const registry = globalThis as { tallyNoticeRecorded?: boolean; tallyNoticeSweptAt?: number };
/** Notices recorded elsewhere (another instance that crashed before mailing) are swept up this often. */
const SWEEP_EVERY_MS = 60_000;

export function* recordNotice(tx: Tx, { id, customer, kind, text, link }: NewNotice, at: number): Work<void> {
  registry.tallyNoticeRecorded = true;
  yield* run(
    tx
      .insert(notice)
      .values({ id, customerType: customer.type, customerId: customer.id, kind, text, link, createdAt: at, nextAttemptAt: 0 })
      .onConflictDoNothing(),
  );
}

/** The id of a low-balance notice: it names the item, the moment and what was left. */
export const lowBalanceNoticeId = (customer: CustomerRef, itemId: string, at: number, left: number) =>
  `low_balance:${customer.type}:${customer.id}:${itemId}:${at}:${left}`;

/**
 * Whether a notice still tells the truth given the customer's quantities now: a low balance that
 * was topped up above its threshold no longer does, and is not shown.
 */
export function noticeHolds(
  shown: { id: string; kind: string },
  quantities: Map<string, number>,
  lowBalanceAt: (itemId: string) => number | undefined,
): boolean {
  if (shown.kind !== 'low_balance') return true;
  const itemId = shown.id.split(':')[3] ?? '';
  const threshold = lowBalanceAt(itemId);
  const quantity = quantities.get(itemId);
  return threshold === undefined || quantity === undefined || quantity <= threshold;
}

/** The customer's notices of the last 30 days, newest first. */
export function listNotices(db: Db, customer: CustomerRef, now: number, limit = 5) {
  return db.read((tx) =>
    all(
      tx
        .select({ id: notice.id, kind: notice.kind, text: notice.text, link: notice.link, at: notice.createdAt })
        .from(notice)
        .where(and(isCustomer(notice, customer), gt(notice.createdAt, now - SHOWN_FOR_MS)))
        .orderBy(desc(notice.createdAt))
        .limit(limit),
    ),
  );
}

/** Who is told about a customer's billing: the user, or a team's owners and admins. Custom customers have nobody here. */
function* billingContacts(tx: Tx, customer: CustomerRef): Work<string[]> {
  if (customer.type === 'user') return (yield* all(tx.select({ email: user.email }).from(user).where(eq(user.id, customer.id)))).map((u) => u.email);
  if (customer.type === 'custom') return [];
  const rows = yield* all(
    tx
      .select({ email: user.email })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(and(eq(member.organizationId, customer.id), inArray(member.role, ['owner', 'admin']))),
  );
  return rows.map((r) => r.email);
}

const subjects: Record<NoticeKind, string> = {
  payment_failed: 'A payment to Tally failed',
  trial_ending: 'Your Tally trial ends soon',
  low_balance: 'Running low on Tally',
};

/**
 * `dispatchNotices` after a request, when this process recorded a notice since it last dispatched,
 * or a minute has passed since the last sweep: most requests pay nothing for it.
 */
export async function dispatchRecordedNotices(db: Db, sendMail: Mailer, appUrl: string, now: number): Promise<void> {
  if (!registry.tallyNoticeRecorded && now - (registry.tallyNoticeSweptAt ?? 0) < SWEEP_EVERY_MS) return;
  registry.tallyNoticeRecorded = false;
  registry.tallyNoticeSweptAt = now;
  await dispatchNotices(db, sendMail, appUrl, now);
}

/** Mailing one notice: a few SMTP hand-overs, one per billing contact. */
const MAIL_TIMEOUT_MS = 10_000;

const noticeOutbox = defineOutbox({
  name: 'notice',
  table: notice,
  columns: { id: 'id', order: 'createdAt', handledAt: 'mailedAt', dueAt: 'nextAttemptAt', attempts: 'attempts' },
  timeoutMs: MAIL_TIMEOUT_MS,
});

/** Mails every notice not mailed yet, oldest first (lib/outbox.ts: leased, so instances mail each once; retried, then given up). */
export async function dispatchNotices(db: Db, sendMail: Mailer, appUrl: string, now: number): Promise<void> {
  await noticeOutbox.dispatch(
    db,
    [
      async (row, signal) => {
        const to = await db.read((tx) => billingContacts(tx, { type: row.customerType, id: row.customerId }));
        for (const address of to) {
          signal.throwIfAborted(); // timed out: the rest wait for the retry, which mails everyone again
          await sendMail({ to: address, subject: subjects[row.kind], text: `${row.text}\n\n${appUrl}${row.link}` });
        }
      },
    ],
    clockFrom(now),
  );
}

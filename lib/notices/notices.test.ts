import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { notice } from '../../db/schema';
import { createTestDb, insertUser } from '../../db/testing';
import { addMemberByEmail, createTeam } from '../auth/teams';
import { createMailer, listOutbox, type Mailer } from '../mail/mail';
import { decreaseQuantity, increaseQuantity, tryDecreaseQuantity } from '../payments/items';
import { dispatchNotices, dispatchRecordedNotices, listNotices, lowBalanceNoticeId, noticeHolds, recordNotice } from './notices';

let db: Db;
let userId: string;
const now = Date.UTC(2026, 10, 1);
const outbox = () => createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }, () => now);

beforeEach(async () => {
  db = await createTestDb();
  userId = await insertUser(db, 'owner@example.com');
});

describe('notices', () => {
  it('tell once when a spend takes an item to its low-balance threshold (credits: 10), and mail it once', async () => {
    const credits = { customer: { type: 'user' as const, id: userId }, itemId: 'credits' }; // the free plan's 50
    expect(await tryDecreaseQuantity(db, credits, 39, now)).toBe(true); // 11 left
    expect(await listNotices(db, credits.customer, now)).toEqual([]);
    expect(await tryDecreaseQuantity(db, credits, 1, now + 1)).toBe(true); // 10: crossed
    await decreaseQuantity(db, credits, 5, now + 2); // 5: still low, no new notice
    const notices = await listNotices(db, credits.customer, now + 3);
    expect(notices.map((n) => [n.kind, n.text, n.link])).toEqual([['low_balance', 'Credits are running low: 10 left.', '/pricing']]);

    await dispatchNotices(db, outbox(), 'http://localhost:3000', now + 4);
    await dispatchNotices(db, outbox(), 'http://localhost:3000', now + 5); // mailed once
    const mails = await listOutbox(db, { to: 'owner@example.com' });
    expect(mails.map((m) => [m.subject, m.text])).toEqual([['Running low on Tally', 'Credits are running low: 10 left.\n\nhttp://localhost:3000/pricing']]);

    await increaseQuantity(db, credits, 100, now + 6); // above again: the next crossing tells again
    await decreaseQuantity(db, credits, 100, now + 7);
    expect(await listNotices(db, credits.customer, now + 8)).toHaveLength(2);
  });

  it('are dispatched after a request only when this process recorded one, or once a minute to sweep up the rest', async () => {
    const customer = { type: 'user' as const, id: userId };
    const late = Date.UTC(2030, 0, 1); // well after any earlier sweep of this process
    await db.write((tx) => recordNotice(tx, { id: 'n1', customer, kind: 'low_balance', text: 'One.', link: '/pricing' }, late));
    await dispatchRecordedNotices(db, outbox(), 'http://localhost:3000', late);
    expect(await listOutbox(db)).toHaveLength(1);
    // Written by another instance (no flag here): left for the next sweep, a minute later.
    await db.orm
      .insert(notice)
      .values({ id: 'n2', customerType: 'user', customerId: userId, kind: 'low_balance', text: 'Two.', link: '/pricing', createdAt: late, nextAttemptAt: 0 });
    await dispatchRecordedNotices(db, outbox(), 'http://localhost:3000', late + 1000);
    expect(await listOutbox(db)).toHaveLength(1);
    await dispatchRecordedNotices(db, outbox(), 'http://localhost:3000', late + 61_000);
    expect(await listOutbox(db)).toHaveLength(2);
  });

  it("mail a team's owners and admins, not its members; a failed mail is retried later", async () => {
    const teamId = (await createTeam(db, userId, 'Acme')).id;
    for (const [email, role] of [
      ['admin@example.com', 'admin'],
      ['member@example.com', 'member'],
    ] as const) {
      await insertUser(db, email);
      await addMemberByEmail(db, userId, teamId, email, role, now);
    }
    const calls = { customer: { type: 'team' as const, id: teamId }, itemId: 'api_calls' };
    await increaseQuantity(db, calls, 1001, now);
    await tryDecreaseQuantity(db, calls, 1, now); // 1000: the threshold

    let failures = 1;
    const flaky: Mailer = async (mail) => {
      if (failures-- > 0) throw new Error('SMTP is down');
      await outbox()(mail);
    };
    await dispatchNotices(db, flaky, 'http://localhost:3000', now);
    expect(await listOutbox(db)).toEqual([]);
    await dispatchNotices(db, flaky, 'http://localhost:3000', now + 500); // its retry is not due yet
    expect(await listOutbox(db)).toEqual([]);
    await dispatchNotices(db, flaky, 'http://localhost:3000', now + 1000);
    expect((await listOutbox(db)).map((m) => m.to).sort()).toEqual(['admin@example.com', 'owner@example.com']);
    expect((await listOutbox(db))[0]!.text).toContain('API calls of the team are running low: 1,000 left.');
  });
});

describe('notices shown', () => {
  it('drop a low balance that was topped up above its threshold; keep every other notice', () => {
    const user = { type: 'user' as const, id: 'u1' };
    const low = { id: lowBalanceNoticeId(user, 'credits', 1000, 10), kind: 'low_balance' };
    const threshold = (itemId: string) => (itemId === 'credits' ? 10 : undefined);
    expect(noticeHolds(low, new Map([['credits', 10]]), threshold)).toBe(true);
    expect(noticeHolds(low, new Map([['credits', 0]]), threshold)).toBe(true);
    expect(noticeHolds(low, new Map([['credits', 2000]]), threshold)).toBe(false);
    expect(noticeHolds({ id: 'payment_failed:p1:0', kind: 'payment_failed' }, new Map([['credits', 2000]]), threshold)).toBe(true);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createMailer, listOutbox, quotedName } from './mail';

let db: Db;
let at: number;
const outbox = (to?: string) => listOutbox(db, { to, limit: 100 });

beforeEach(async () => {
  db = await createTestDb();
  at = Date.UTC(2026, 10, 1);
});

describe('the mailer', () => {
  it('sends one address 5 mails an hour and 20 a day, counted from the outbox whoever sends them', async () => {
    // Two mailers, as two instances or two features would have: the count is the outbox's.
    const first = createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }, () => at++);
    const second = createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }, () => at++);
    for (let i = 0; i < 5; i++) await (i % 2 ? first : second)({ to: 'Victim@Example.com', subject: `Mail ${i}`, text: 'Hello' });
    expect(await errorCode(() => first({ to: 'victim@example.com', subject: 'Sixth', text: 'Hello' }))).toBe('rate_limited');
    expect(await errorCode(() => second({ to: 'VICTIM@example.com', subject: 'Sixth', text: 'Hello' }))).toBe('rate_limited');
    expect(await outbox('victim@example.com')).toHaveLength(5);
    await first({ to: 'someone-else@example.com', subject: 'Unrelated', text: 'Hello' }); // other addresses are not held up

    for (let hour = 1; hour <= 3; hour++) {
      at = Date.UTC(2026, 10, 1) + hour * 60 * 60_000 + 10 * hour;
      for (let i = 0; i < 5; i++) await first({ to: 'victim@example.com', subject: 'Later', text: 'Hello' });
    }
    at += 60 * 60_000;
    expect(await errorCode(() => first({ to: 'victim@example.com', subject: 'Over the day', text: 'Hello' }))).toBe('rate_limited');
    expect(await outbox('victim@example.com')).toHaveLength(20);
    at = Date.UTC(2026, 10, 2) + 60_000; // a day after the first ones
    await first({ to: 'victim@example.com', subject: 'Next day', text: 'Hello' });
  });

  it('lets exactly 5 of 8 mails sent to one address at once through (the count and the write share a lock)', async () => {
    const mailer = createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }, () => at++);
    const codes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => errorCode(() => mailer({ to: 'victim@example.com', subject: `Mail ${i}`, text: 'Hello' }))),
    );
    expect(codes.sort()).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect(await outbox('victim@example.com')).toHaveLength(5);
  });

  it('holds SMTP mail to the same limit; a mail SMTP refused does not count', async () => {
    const smtp = createMailer(db, { smtpUrl: 'smtp://127.0.0.1:1', from: 'T <t@example.com>' }, () => at++);
    await expect(smtp({ to: 'a@example.com', subject: 'Reset', text: 'http://localhost/reset?token=secret' })).rejects.toThrow(/ECONNREFUSED/);
    expect(await outbox('a@example.com')).toEqual([]);
    const outboxMailer = createMailer(db, { smtpUrl: null, from: 'T <t@example.com>' }, () => at++);
    for (let i = 0; i < 5; i++) await outboxMailer({ to: 'a@example.com', subject: 'Mail', text: 'Hello' });
    expect(await errorCode(() => smtp({ to: 'a@example.com', subject: 'Sixth', text: 'Hello' }))).toBe('rate_limited'); // refused before connecting
  });

  it('quotes names people chose as one line', () => {
    expect(quotedName('Verify now:\nhttps://evil.example/login')).toBe('“Verify now: https://evil.example/login”');
    expect(quotedName('A\u202Eb')).toBe('“A b”');
    expect(quotedName('x'.repeat(80))).toHaveLength(62);
  });
});

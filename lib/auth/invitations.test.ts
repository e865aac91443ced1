import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createMailer, listOutbox, type Mailer } from '../mail/mail';
import { acceptInvitation, getInvitation, inviteMember, listPendingInvitations, revokeInvitation } from './invitations';
import { createTeam, getSeats, listTeamsForUser } from './teams';

let db: Db;
let alice: string;
let teamId: string;
const now = Date.UTC(2026, 10, 1);
const deps = (sendMail?: Mailer) => ({
  db,
  sendMail: sendMail ?? createMailer(db, { smtpUrl: null, from: 'Tally <t@example.com>' }, () => now),
  appUrl: 'http://localhost:3000',
});
const linkIn = async (to: string) => /\/invitations\/(\S+)/.exec((await listOutbox(db, { to }))[0]!.text)![1]!;

beforeEach(async () => {
  db = await createTestDb();
  alice = await insertUser(db, 'alice@example.com');
  teamId = (await createTeam(db, alice, 'Acme')).id; // the free team product: 3 seats
});

describe('invitations', () => {
  it('mail a link; signing in with the invited email through it joins the team and verifies the email', async () => {
    await inviteMember(deps(), alice, teamId, 'Bob2@Example.com', 'admin', now);
    const [mail] = await listOutbox(db, { to: 'bob2@example.com' });
    expect(mail).toMatchObject({ subject: 'alice invited you to Acme on Tally' });
    expect(mail!.text).toContain('http://localhost:3000/invitations/');
    const id = await linkIn('bob2@example.com');
    expect(await getInvitation(db, id, now)).toMatchObject({ email: 'bob2@example.com', teamName: 'Acme', role: 'admin' });

    const bob2 = await insertUser(db, 'bob2@example.com');
    expect(await acceptInvitation(db, bob2, id, now)).toEqual({ teamId });
    expect(await listTeamsForUser(db, bob2)).toEqual([{ id: teamId, name: 'Acme', role: 'admin' }]);
    expect((await db.orm.query.user.findFirst({ where: (u, { eq }) => eq(u.id, bob2) }))?.emailVerified).toBe(true);
    expect(await errorCode(() => acceptInvitation(db, bob2, id, now))).toBe('not_found'); // used once
  });

  it('refuse anyone signed in with another email, and links that were revoked or expired', async () => {
    await inviteMember(deps(), alice, teamId, 'bob2@example.com', 'member', now);
    const id = await linkIn('bob2@example.com');
    const mallory = await insertUser(db, 'mallory@example.com');
    expect(await errorCode(() => acceptInvitation(db, mallory, id, now))).toBe('forbidden');
    expect(await errorCode(() => acceptInvitation(db, mallory, 'made-up', now))).toBe('not_found');
    const bob2 = await insertUser(db, 'bob2@example.com');
    expect(await errorCode(() => acceptInvitation(db, bob2, id, now + 8 * 24 * 60 * 60 * 1000))).toBe('not_found');
    await revokeInvitation(db, alice, teamId, id, now);
    expect(await getInvitation(db, id, now)).toBeNull();
    expect(await errorCode(() => acceptInvitation(db, bob2, id, now))).toBe('not_found');
    expect(await listTeamsForUser(db, bob2)).toEqual([]);
  });

  it('hold a seat each: with 3 seats, the owner and 2 invitations fill the team; accepting needs no new seat', async () => {
    await inviteMember(deps(), alice, teamId, 'b@example.com', 'member', now);
    await inviteMember(deps(), alice, teamId, 'c@example.com', 'member', now);
    expect(await getSeats(db, teamId, now)).toEqual({ seats: 3, members: 1, invited: 2, used: 3 });
    expect(await errorCode(() => inviteMember(deps(), alice, teamId, 'd@example.com', 'member', now))).toBe('no_free_seat');
    await inviteMember(deps(), alice, teamId, 'B@example.com', 'admin', now); // sent again: the same seat
    expect(await listPendingInvitations(db, alice, teamId, now)).toMatchObject([
      { email: 'b@example.com', role: 'admin' },
      { email: 'c@example.com', role: 'member' },
    ]);
    const b = await insertUser(db, 'b@example.com');
    await acceptInvitation(db, b, await linkIn('b@example.com'), now);
    expect(await getSeats(db, teamId, now)).toEqual({ seats: 3, members: 2, invited: 1, used: 3 });
  });

  it('are sent and revoked by owners and admins only; members and strangers cannot', async () => {
    await inviteMember(deps(), alice, teamId, 'bob@example.com', 'member', now);
    const bob = await insertUser(db, 'bob@example.com');
    await acceptInvitation(db, bob, await linkIn('bob@example.com'), now);
    expect(await errorCode(() => inviteMember(deps(), bob, teamId, 'x@example.com', 'member', now))).toBe('forbidden');
    expect(await errorCode(() => inviteMember(deps(), alice, teamId, 'bob@example.com', 'member', now))).toBe('already_member');
    const stranger = await insertUser(db, 'stranger@example.com');
    expect(await errorCode(() => inviteMember(deps(), stranger, teamId, 'x@example.com', 'member', now))).toBe('team_not_found');
    expect(await errorCode(() => listPendingInvitations(db, bob, teamId, now))).toBe('forbidden');
  });

  it('leave nothing behind when the mail cannot be sent', async () => {
    const down: Mailer = async () => {
      throw new Error('SMTP is down');
    };
    expect(await errorCode(() => inviteMember(deps(down), alice, teamId, 'b@example.com', 'member', now))).toBe('mail_failed');
    expect(await listPendingInvitations(db, alice, teamId, now)).toEqual([]);
  });

  it('let two people race for the last seat: one invitation wins', async () => {
    const results = await Promise.allSettled([
      inviteMember(deps(), alice, teamId, 'b@example.com', 'member', now),
      inviteMember(deps(), alice, teamId, 'c@example.com', 'member', now),
      inviteMember(deps(), alice, teamId, 'd@example.com', 'member', now),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await getSeats(db, teamId, now)).toMatchObject({ used: 3 });
  });
});

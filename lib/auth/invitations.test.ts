import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db';
import { createTestDb, insertUser } from '../../db/testing';
import { errorCode } from '../../test/error-code';
import { createMailer, listOutbox, type Mailer } from '../mail/mail';
import { acceptInvitation, getInvitation, inviteMember, listPendingInvitations, revokeInvitation } from './invitations';
import { addMemberByEmail, changeMemberRole, createTeam, getSeats, listTeamsForUser } from './teams';
import { decreaseQuantity } from '../payments/items';

let db: Db;
let alice: string;
let teamId: string;
const now = Date.UTC(2026, 10, 1);
const clock = () => now;
let mailedAt = now; // each mail a millisecond later: the newest is the one `linkIn` reads
const deps = (sendMail?: Mailer) => ({
  db,
  sendMail: sendMail ?? createMailer(db, { smtpUrl: null, from: 'Tally <t@example.com>' }, () => mailedAt++),
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
    expect(mail).toMatchObject({ subject: 'You are invited to a team on Tally' });
    expect(mail!.text).toContain('The Tally account named “alice” invited you to join its team named “Acme” as an admin.');
    expect(mail!.text).toContain('http://localhost:3000/invitations/');
    const id = await linkIn('bob2@example.com');
    expect(await getInvitation(db, id, clock)).toMatchObject({ email: 'bob2@example.com', teamName: 'Acme', role: 'admin' });

    const bob2 = await insertUser(db, 'bob2@example.com');
    expect(await acceptInvitation(db, bob2, id, clock)).toEqual({ teamId });
    expect(await listTeamsForUser(db, bob2)).toEqual([{ id: teamId, name: 'Acme', role: 'admin' }]);
    expect((await db.orm.query.user.findFirst({ where: (u, { eq }) => eq(u.id, bob2) }))?.emailVerified).toBe(true);
    expect(await errorCode(() => acceptInvitation(db, bob2, id, clock))).toBe('not_found'); // used once
  });

  it('refuse anyone signed in with another email, and links that were revoked or expired', async () => {
    await inviteMember(deps(), alice, teamId, 'bob2@example.com', 'member', now);
    const id = await linkIn('bob2@example.com');
    const mallory = await insertUser(db, 'mallory@example.com');
    expect(await errorCode(() => acceptInvitation(db, mallory, id, clock))).toBe('forbidden');
    expect(await errorCode(() => acceptInvitation(db, mallory, 'made-up', clock))).toBe('not_found');
    const bob2 = await insertUser(db, 'bob2@example.com');
    expect(await errorCode(() => acceptInvitation(db, bob2, id, () => now + 8 * 24 * 60 * 60 * 1000))).toBe('not_found');
    const [pending] = await listPendingInvitations(db, alice, teamId, now);
    expect(pending!.id).not.toBe(id); // pages see the row's id, never the link's secret
    await revokeInvitation(db, alice, teamId, pending!.id, now);
    expect(await getInvitation(db, id, clock)).toBeNull();
    expect(await errorCode(() => acceptInvitation(db, bob2, id, clock))).toBe('not_found');
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
    await acceptInvitation(db, b, await linkIn('b@example.com'), clock);
    expect(await getSeats(db, teamId, now)).toEqual({ seats: 3, members: 2, invited: 1, used: 3 });
  });

  it('are sent and revoked by owners and admins only; members and strangers cannot', async () => {
    await inviteMember(deps(), alice, teamId, 'bob@example.com', 'member', now);
    const bob = await insertUser(db, 'bob@example.com');
    await acceptInvitation(db, bob, await linkIn('bob@example.com'), clock);
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

  it('are refused at accept when the seats dropped since (a plan ended), and when the inviter lost the right to invite', async () => {
    await inviteMember(deps(), alice, teamId, 'b@example.com', 'member', now);
    await decreaseQuantity(db, { customer: { type: 'team', id: teamId }, itemId: 'seats' }, 2, now); // 1 seat left, alice takes it
    const b = await insertUser(db, 'b@example.com');
    expect(await errorCode(async () => acceptInvitation(db, b, await linkIn('b@example.com'), clock))).toBe('no_free_seat');

    const team2 = (await createTeam(db, alice, 'Second')).id;
    const admin = await insertUser(db, 'admin@example.com');
    await addMemberByEmail(db, alice, team2, 'admin@example.com', 'admin', now);
    await inviteMember(deps(), admin, team2, 'c@example.com', 'admin', now);
    await changeMemberRole(db, alice, team2, admin, 'member');
    const c = await insertUser(db, 'c@example.com');
    expect(await errorCode(async () => acceptInvitation(db, c, await linkIn('c@example.com'), clock))).toBe('not_found');
    expect(await listTeamsForUser(db, c)).toEqual([]);
  });

  it('space out mails to one address from one team after a few, and from one inviter after a few dozen', async () => {
    for (let i = 0; i < 3; i++) await inviteMember(deps(), alice, teamId, 'b@example.com', 'member', now);
    expect(await errorCode(() => inviteMember(deps(), alice, teamId, 'b@example.com', 'member', now))).toBe('rate_limited');
    expect(await listOutbox(db, { to: 'b@example.com' })).toHaveLength(3);
    const teams = await Promise.all(Array.from({ length: 27 }, (_, i) => createTeam(db, alice, `Team ${i}`)));
    // Each to its own address: one address gets 5 mails an hour at most, whoever sends them (below).
    for (const [i, team] of teams.entries()) await inviteMember(deps(), alice, team.id, `b${i}@example.com`, 'member', now);
    const another = (await createTeam(db, alice, 'One more')).id;
    expect(await errorCode(() => inviteMember(deps(), alice, another, 'fresh@example.com', 'member', now))).toBe('rate_limited');
  });

  it('cannot flood one inbox from many fresh accounts, and carry team names as quoted names, never in the subject', async () => {
    const teamName = 'Verify now: https://evil.example/login';
    const attempts = [];
    let last = { attacker: '', team: '' };
    for (let i = 0; i < 6; i++) {
      const attacker = await insertUser(db, `attacker${i}@example.com`);
      last = { attacker, team: (await createTeam(db, attacker, teamName)).id };
      attempts.push(await errorCode(() => inviteMember(deps(), last.attacker, last.team, 'victim@example.com', 'member', now)));
    }
    expect(attempts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited']);
    expect(await listPendingInvitations(db, last.attacker, last.team, now)).toEqual([]); // the refused one left nothing behind
    const mails = await listOutbox(db, { to: 'victim@example.com' });
    expect(mails).toHaveLength(5);
    for (const mail of mails) {
      expect(mail.subject).not.toContain('evil.example');
      expect(mail.text).toContain(`its team named “${teamName}”`);
    }
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

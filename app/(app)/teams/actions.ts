'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action } from '@/app/_server/action';
import { getDb } from '@/db';
import { emailSchema } from '@/lib/auth/credentials';
import { teamRoleSchema } from '@/lib/auth/roles';
import * as teams from '@/lib/auth/teams';
import * as deletion from '@/lib/auth/deletion';
import { getAuth } from '@/lib/auth';
import { systemClock } from '@/lib/clock';
import { getEnv } from '@/lib/env';
import { clientAddress as getClientAddress } from '@/lib/http/client-address';
import * as apiKeys from '@/lib/api/keys';
import * as invitations from '@/lib/auth/invitations';
import { getMailer } from '@/lib/mail/app-mailer';
import { getAppContext } from '@/app/_server/app-context';

const teamId = z.string().min(1).max(100);

export const createTeam = action(
  z.object({ name: z.string().trim().min(1, 'Enter a team name.').max(60, 'Use at most 60 characters.') }),
  async ({ name }, { user }) => {
    const clientAddress = getClientAddress(await headers(), getEnv().trustedClientIpHeader);
    const team = await teams.createTeamForUser(getDb(), { ownerId: user.id, name, clientAddress }, systemClock());
    revalidatePath('/', 'layout');
    return team;
  },
);

export const inviteMember = action(
  z.object({ teamId, email: emailSchema, role: teamRoleSchema.default('member') }),
  async ({ teamId, email, role }, { user }) => {
    const { appUrl, now } = getAppContext();
    await invitations.inviteMember({ db: getDb(), sendMail: getMailer(), appUrl }, user.id, teamId, email, role, now({ type: 'team', id: teamId }));
    revalidatePath(`/teams/${teamId}`);
    return null;
  },
);

export const revokeInvitation = action(z.object({ teamId, invitationId: z.string().min(1).max(100) }), async ({ teamId, invitationId }, { user }) => {
  await invitations.revokeInvitation(getDb(), user.id, teamId, invitationId, getAppContext().now({ type: 'team', id: teamId }));
  revalidatePath(`/teams/${teamId}`);
  return null;
});

export const acceptInvitation = action(z.object({ token: z.string().min(1).max(100) }), async ({ token }, { user }) => {
  const { teamId } = await invitations.acceptInvitation(getDb(), user.id, token, getAppContext().now);
  revalidatePath('/', 'layout');
  redirect(`/teams/${teamId}`);
});

export const changeMemberRole = action(
  z.object({ teamId, userId: z.string().min(1).max(100), role: teamRoleSchema }),
  async ({ teamId, userId, role }, { user }) => {
    await teams.changeMemberRole(getDb(), user.id, teamId, userId, role);
    revalidatePath(`/teams/${teamId}`);
    return null;
  },
);

export const removeMember = action(z.object({ teamId, userId: z.string().min(1).max(100) }), async ({ teamId, userId }, { user }) => {
  await teams.removeMember(getDb(), user.id, teamId, userId);
  revalidatePath(`/teams/${teamId}`);
  return null;
});

export const leaveTeam = action(z.object({ teamId }), async ({ teamId }, { user }) => {
  await teams.leaveTeam(getDb(), user.id, teamId);
  revalidatePath('/', 'layout');
  redirect('/teams');
});

export const deleteTeam = action(
  z.object({ teamId, confirmName: z.string().trim().max(200), password: z.string().min(1, 'Enter your password.') }),
  async ({ teamId, confirmName, password }, { user }) => {
    const deps = { ...getAppContext(), auth: getAuth() };
    await deletion.deleteTeamConfirmed(deps, await headers(), { actorId: user.id, teamId, confirmName, password }, systemClock());
    revalidatePath('/', 'layout');
    redirect('/teams?deleted=1');
  },
);

export const createApiKey = action(
  z.object({ teamId, name: z.string().trim().min(1, 'Name the key, e.g. "Production backend".').max(60, 'Use at most 60 characters.') }),
  async ({ teamId, name }, { user }) => {
    const created = await apiKeys.createApiKey(getDb(), user.id, teamId, name, Date.now());
    revalidatePath(`/teams/${teamId}/api`);
    return created;
  },
);

export const revokeApiKey = action(z.object({ teamId, keyId: z.string().min(1).max(100) }), async ({ teamId, keyId }, { user }) => {
  await apiKeys.revokeApiKey(getDb(), user.id, teamId, keyId, Date.now());
  revalidatePath(`/teams/${teamId}/api`);
  return null;
});

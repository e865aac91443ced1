import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionButton } from '@/app/_components/action-button';
import { CenteredCard } from '@/app/_components/centered-card';
import { getAppContext } from '@/app/_server/app-context';
import { getSessionUser } from '@/app/_server/session';
import { getDb } from '@/db';
import { getInvitation } from '@/lib/auth/invitations';
import { acceptInvitation } from '../../(app)/teams/actions';

export const metadata: Metadata = { title: 'Invitation · Tally' };

/** Whoever holds the link sees whose invitation it is; joining needs the invited email's account. */
export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [invitation, user] = await Promise.all([getInvitation(getDb(), id, getAppContext().now), getSessionUser()]);
  const here = `/invitations/${encodeURIComponent(id)}`;

  let body: React.ReactNode;
  if (!invitation) {
    body = (
      <>
        <h1 className="text-xl font-semibold">This invitation is no longer valid</h1>
        <p className="mt-2 text-muted-foreground">It was revoked, has expired, or was already used. Ask the team&apos;s owner for a new one.</p>
        <Link href="/" className="btn-secondary mt-6 inline-block">
          Go to Tally
        </Link>
      </>
    );
  } else {
    const intro = (
      <>
        <h1 className="text-xl font-semibold">Join {invitation.teamName}</h1>
        <p className="mt-2 text-muted-foreground">
          {invitation.inviterName} invited <strong>{invitation.email}</strong> to the team {invitation.teamName} as {invitation.role}.
        </p>
      </>
    );
    const next = encodeURIComponent(here);
    const email = encodeURIComponent(invitation.email);
    if (!user) {
      body = (
        <>
          {intro}
          <div className="mt-6 flex flex-wrap gap-3">
            <Link href={`/sign-up?next=${next}&email=${email}`} className="btn-primary">
              Create an account
            </Link>
            <Link href={`/sign-in?next=${next}&email=${email}`} className="btn-secondary">
              Sign in
            </Link>
          </div>
        </>
      );
    } else if (user.email.toLowerCase() !== invitation.email) {
      body = (
        <>
          {intro}
          <p role="note" className="mt-4 rounded-md bg-warning-surface px-3 py-2 text-sm text-warning">
            You are signed in as {user.email}. Sign out, then sign in or sign up as {invitation.email} to accept.
          </p>
        </>
      );
    } else {
      body = (
        <>
          {intro}
          <div className="mt-6">
            <ActionButton action={acceptInvitation} input={{ token: id }} label={`Join ${invitation.teamName}`} pendingLabel="Joining…" />
          </div>
        </>
      );
    }
  }

  return <CenteredCard>{body}</CenteredCard>;
}

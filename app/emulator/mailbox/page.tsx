import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { demoPowers } from '@/app/_server/demo';
import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { listOutbox } from '@/lib/mail/mail';
import { MailText } from './mail-text';

export const metadata: Metadata = { title: 'Mailbox · Tally demo' };
export const dynamic = 'force-dynamic';

/**
 * The demo's mailbox: what the app would have sent, when no SMTP_URL is set. Only while the app is
 * local: these mails carry invitation and password-reset links.
 */
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!getEnv().mail.mailboxVisible || !(await demoPowers())) notFound();
  const { to } = await searchParams;
  const mails = await listOutbox(getDb(), { to: typeof to === 'string' && to ? to : undefined });

  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <div>
        <p className="text-sm font-medium text-muted-foreground">Tally · demo</p>
        <h1 className="text-2xl font-semibold">Mailbox</h1>
        <p className="mt-1 text-muted-foreground">
          Mail the app sent{to ? ` to ${to}` : ''}, newest first. Set <code>SMTP_URL</code> to send real mail instead.
        </p>
      </div>
      <form className="flex flex-wrap items-end gap-3" action="/emulator/mailbox">
        <label className="flex-1 space-y-1">
          <span className="block text-sm font-medium text-foreground">Recipient</span>
          <input name="to" type="email" defaultValue={to} className="input" placeholder="anyone" />
        </label>
        <button type="submit" className="btn-secondary">
          Show
        </button>
      </form>
      {mails.length === 0 ? (
        <p className="card text-muted-foreground">No mail yet.</p>
      ) : (
        <ul className="space-y-4">
          {mails.map((mail) => (
            <li key={mail.id} className="card space-y-2" data-testid="mail">
              <div className="flex flex-wrap justify-between gap-2 text-sm text-muted-foreground">
                <span>To {mail.to}</span>
                <time dateTime={new Date(mail.createdAt).toISOString()}>
                  {new Date(mail.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC
                </time>
              </div>
              <h2 className="font-semibold">{mail.subject}</h2>
              <MailText text={mail.text} />
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

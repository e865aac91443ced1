import 'server-only';
import { after } from 'next/server';
import { dispatchRecordedNotices } from '@/lib/notices/notices';
import { getMailer } from '@/lib/mail/app-mailer';
import { getAppContext } from './app-context';

/** Mails the notices a request recorded (a failed payment, a spend crossing a low-balance threshold), once its answer is sent. */
export function mailNoticesAfterResponse(): void {
  after(async () => {
    const { db, appUrl } = getAppContext();
    await dispatchRecordedNotices(db, getMailer(), appUrl, Date.now());
  });
}

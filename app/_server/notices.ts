import 'server-only';
import { after } from 'next/server';
import { dispatchNotices, dispatchRecordedNotices } from '@/lib/notices/notices';
import { getMailer } from './mail';
import { getPaymentsDeps } from './payments';

/**
 * Mails the notices a request recorded (a spend crossing a low-balance threshold), once its answer
 * is sent. `all`: every unmailed notice, recorded here or by another instance (the webhook route).
 */
export function mailNoticesAfterResponse({ all = false } = {}): void {
  after(async () => {
    const { db, appUrl } = getPaymentsDeps();
    await (all ? dispatchNotices : dispatchRecordedNotices)(db, getMailer(), appUrl, Date.now());
  });
}

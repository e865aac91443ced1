'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { INTRO_DISMISSED_COOKIE } from './intro';
import { action } from '@/app/_server/action';
import { customerAction, customerRefSchema } from '@/app/_server/authorized-customer';
import { AppError } from '@/lib/errors';
import { itemNameInSentence } from '@/lib/payments/format';
import { mailNoticesAfterResponse } from '@/app/_server/notices';

const itemInput = z.object({ customer: customerRefSchema, itemId: z.string().min(1).max(100) });

const plain = ({ id, displayName, quantity, nonNegativeQuantity }: { id: string; displayName: string; quantity: number; nonNegativeQuantity: number }) => ({
  id,
  displayName,
  quantity,
  nonNegativeQuantity,
});

export const getItem = customerAction(itemInput, 'read', async ({ itemId }, { customer }) => plain(await customer.getItem(itemId)));

export const listItems = customerAction(z.object({ customer: customerRefSchema }), 'read', async (_input, { customer }) =>
  (await customer.listItems()).map(plain),
);

export const listProducts = customerAction(z.object({ customer: customerRefSchema }), 'read', (_input, { customer }) => customer.listProducts());

/** The demo feature: spend some of an item, all or nothing, with tryDecreaseQuantity. */
export const spendItem = customerAction(
  itemInput.extend({
    amount: z.coerce.number<unknown>().int('Enter a whole number.').positive('Enter a number above 0.').max(1_000_000, 'Enter at most 1,000,000.'),
  }),
  'spend',
  async ({ itemId, amount }, { customer }) => {
    const item = await customer.getItem(itemId);
    const spent = await item.tryDecreaseQuantity(amount);
    mailNoticesAfterResponse();
    if (!spent) {
      throw new AppError('insufficient_quantity', `Not enough ${itemNameInSentence(item.displayName)}: ${amount} needed, ${item.nonNegativeQuantity} left.`);
    }
    return { spent: amount };
  },
);

/** Hides the dashboard's first-visit explanation in this browser. */
export const dismissIntro = action(z.object({}), async () => {
  (await cookies()).set(INTRO_DISMISSED_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  revalidatePath('/dashboard');
  return null;
});

import { describe, expect, it } from 'vitest';
import { advanceToNextPeriod, PAYMENT_ATTEMPTS, runBilling } from './billing';
import { payCheckoutSession, type PaymentMethod } from './checkout';
import { openEmulatorDb, type EmulatorDb } from './db';
import type { EmulatedInvoice, EmulatedPaymentIntent, EmulatedSession, EmulatedSubscription } from './objects';
import { clockOffset, clockOwner, getObject, listObjects, setClockOffset, type Stored } from './store';
import { createInProcessStripe } from './testing';

const DELAY = 5_000;
const options = { collectionDelayMs: DELAY };

/** A Stripe customer of a Tally user, and a checkout session of `mode`, created through the real SDK. */
async function checkout(db: EmulatorDb, mode: 'payment' | 'subscription', trialDays?: number) {
  const stripe = createInProcessStripe(db);
  const owner = { type: 'user', id: `u_${Math.random().toString(36).slice(2)}` };
  const customer = await stripe.customers.create({ metadata: { customerType: owner.type, customerId: owner.id } });
  const session = await stripe.checkout.sessions.create({
    mode,
    customer: customer.id,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: 'usd',
          unit_amount: 2000,
          product_data: { name: 'Pro' },
          ...(mode === 'subscription' ? { recurring: { interval: 'month' } } : {}),
        },
      },
    ],
    success_url: 'http://tally.test/return?session_id={CHECKOUT_SESSION_ID}',
    ...(trialDays ? { subscription_data: { trial_period_days: trialDays } } : {}),
  });
  return { owner: clockOwner(owner), customer: customer.id, sessionId: session.id };
}

async function subscribed(db: EmulatorDb, cardNumber = '4242424242424242', trialDays?: number) {
  const c = await checkout(db, 'subscription', trialDays);
  expect(payCheckoutSession(db, c.sessionId, { type: 'card', number: cardNumber }, Date.now()).ok).toBe(true);
  const subscription = () => listObjects<EmulatedSubscription>(db, 'subscription', c.customer)[0]!;
  return { ...c, subscription, periodEnd: () => subscription().items.data[0]!.current_period_end * 1000 };
}

/** The event types about this customer's objects, oldest first, from the `from`th on. */
function eventTypes(db: EmulatorDb, customer: string, from = 0): string[] {
  return listObjects<Stored & { type: string; data: { object: { customer?: string } } }>(db, 'event')
    .filter((e) => e.data.object.customer === customer)
    .map((e) => e.type)
    .slice(from);
}

describe('the emulator renews in real time', () => {
  it('opens the renewal invoice when the period ends in the customer’s time, and collects it after the delay, in Stripe’s order', async () => {
    const db = openEmulatorDb(':memory:');
    const s = await subscribed(db);
    const before = eventTypes(db, s.customer).length;
    const firstEnd = s.periodEnd();

    const wall = Date.now();
    runBilling(db, wall, options);
    expect(eventTypes(db, s.customer, before)).toEqual([]); // the period has not ended

    setClockOffset(db, s.owner, firstEnd - wall + 1000); // the customer's time passes its period end
    runBilling(db, wall, options);
    expect(eventTypes(db, s.customer, before)).toEqual(['customer.subscription.updated', 'invoice.created']);
    const renewal = getObject<EmulatedInvoice>(db, s.subscription().latest_invoice!, 'invoice')!;
    expect(renewal).toMatchObject({ status: 'draft', billing_reason: 'subscription_cycle', period_start: firstEnd / 1000, amount_due: 2000 });
    expect(s.periodEnd()).toBeGreaterThan(firstEnd);

    runBilling(db, wall + DELAY - 1, options);
    expect(getObject<EmulatedInvoice>(db, renewal.id, 'invoice')!.status).toBe('draft'); // still collecting

    runBilling(db, wall + DELAY, options);
    expect(getObject<EmulatedInvoice>(db, renewal.id, 'invoice')!.status).toBe('paid');
    expect(eventTypes(db, s.customer, before)).toEqual(['customer.subscription.updated', 'invoice.created', 'invoice.finalized', 'invoice.paid']);
    expect(listObjects(db, 'invoice_payment', s.customer)).toHaveLength(2); // checkout's and the renewal's

    runBilling(db, wall + 2 * DELAY, options);
    expect(eventTypes(db, s.customer, before)).toHaveLength(4); // nothing more until the next period ends
  });

  it('catches up one period at a time after the emulator was down for months', async () => {
    const db = openEmulatorDb(':memory:');
    const s = await subscribed(db);
    const wall = Date.now();
    setClockOffset(db, s.owner, 95 * 86_400_000);
    for (let pass = 0; pass < 10; pass++) runBilling(db, wall + pass * DELAY, options);
    const paid = listObjects<EmulatedInvoice>(db, 'invoice', s.customer).filter((i) => i.billing_reason === 'subscription_cycle' && i.status === 'paid');
    expect(paid).toHaveLength(3); // months 2, 3 and 4 all began within those 95 days
    expect(s.periodEnd()).toBeGreaterThan(wall + 95 * 86_400_000);
  });

  it('a card that fails later makes the renewal fail: past_due, retried, then the subscription ends', async () => {
    const db = openEmulatorDb(':memory:');
    const s = await subscribed(db, '4000 0000 0000 0341');
    expect(s.subscription().status).toBe('active'); // it paid at checkout
    const before = eventTypes(db, s.customer).length;
    const wall = Date.now();
    setClockOffset(db, s.owner, s.periodEnd() - wall + 1000);
    runBilling(db, wall, options);
    runBilling(db, wall + DELAY, options);
    expect(s.subscription().status).toBe('past_due');
    runBilling(db, wall + 2 * DELAY, options);
    expect(s.subscription().status).toBe('past_due');
    runBilling(db, wall + 3 * DELAY, options);
    expect(s.subscription().status).toBe('canceled');
    expect(PAYMENT_ATTEMPTS).toBe(3);
    expect(eventTypes(db, s.customer, before)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.payment_failed',
      'customer.subscription.updated', // past_due
      'invoice.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.deleted',
    ]);
  });

  it('ends a subscription set to cancel at its period end, with nothing charged', async () => {
    const db = openEmulatorDb(':memory:');
    const s = await subscribed(db);
    await createInProcessStripe(db).subscriptions.update(s.subscription().id, { cancel_at_period_end: true });
    const end = s.periodEnd();
    advanceToNextPeriod(db, s.owner, Date.now(), options);
    expect(s.subscription()).toMatchObject({ status: 'canceled', ended_at: end / 1000 });
    expect(listObjects<EmulatedInvoice>(db, 'invoice', s.customer)).toHaveLength(1);
  });

  it('converts a trial at its end with the first paid invoice', async () => {
    const db = openEmulatorDb(':memory:');
    const s = await subscribed(db, '4242424242424242', 7);
    expect(s.subscription()).toMatchObject({ status: 'trialing' });
    expect(getObject<EmulatedInvoice>(db, s.subscription().latest_invoice!, 'invoice')).toMatchObject({ amount_paid: 0, status: 'paid' });
    const trialEnd = s.periodEnd();
    expect(trialEnd - s.subscription().start_date * 1000).toBe(7 * 86_400_000);
    const wall = Date.now();
    advanceToNextPeriod(db, s.owner, wall, options);
    runBilling(db, wall + DELAY, options);
    expect(s.subscription().status).toBe('active');
    expect(getObject<EmulatedInvoice>(db, s.subscription().latest_invoice!, 'invoice')).toMatchObject({ amount_paid: 2000, period_start: trialEnd / 1000 });
  });
});

describe('test clocks per customer', () => {
  it('advancing one customer’s clock renews that customer only', async () => {
    const db = openEmulatorDb(':memory:');
    const a = await subscribed(db);
    const b = await subscribed(db);
    const [aEnd, bEnd] = [a.periodEnd(), b.periodEnd()];
    const wall = Date.now();
    const aNow = advanceToNextPeriod(db, a.owner, wall, options);
    runBilling(db, wall + DELAY, options);
    expect(aNow).toBe(aEnd + 1000);
    expect(clockOffset(db, a.owner)).toBe(aEnd + 1000 - wall);
    expect(a.periodEnd()).toBeGreaterThan(aEnd);
    expect(clockOffset(db, b.owner)).toBe(0);
    expect(b.periodEnd()).toBe(bEnd);
    expect(b.subscription().latest_invoice).toBe(listObjects<EmulatedInvoice>(db, 'invoice', b.customer)[0]!.id);
  });

  it('moves a customer without subscriptions a month ahead', () => {
    const db = openEmulatorDb(':memory:');
    const wall = Date.UTC(2026, 0, 15);
    expect(advanceToNextPeriod(db, 'user:nobody', wall, options)).toBe(Date.UTC(2026, 1, 15));
  });
});

describe('bank debits at checkout', () => {
  async function payByBank(db: EmulatorDb, accountNumber: string) {
    const c = await checkout(db, 'payment');
    const wall = Date.now();
    const method: PaymentMethod = { type: 'us_bank_account', accountNumber };
    expect(payCheckoutSession(db, c.sessionId, method, wall, DELAY).ok).toBe(true);
    const session = () => getObject<EmulatedSession>(db, c.sessionId, 'checkout.session')!;
    const intent = () => getObject<EmulatedPaymentIntent>(db, session().payment_intent!, 'payment_intent')!;
    expect(session()).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect(intent()).toMatchObject({ status: 'processing', latest_charge: null });
    runBilling(db, wall + DELAY - 1, options);
    expect(intent().status).toBe('processing');
    runBilling(db, wall + DELAY, options);
    return { session: session(), intent: intent(), types: eventTypes(db, c.customer) };
  }

  it('completes the session unpaid, then settles: async_payment_succeeded', async () => {
    const { session, intent, types } = await payByBank(openEmulatorDb(':memory:'), '000123456789');
    expect(session.payment_status).toBe('paid');
    expect(intent).toMatchObject({ status: 'succeeded', latest_charge: expect.stringMatching(/^ch_/) });
    expect(types.filter((t) => t.startsWith('checkout'))).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
  });

  it('or fails: async_payment_failed, nothing charged', async () => {
    const { session, intent, types } = await payByBank(openEmulatorDb(':memory:'), '000111111116');
    expect(session.payment_status).toBe('unpaid');
    expect(intent).toMatchObject({ status: 'requires_payment_method', latest_charge: null });
    expect(types.filter((t) => t.startsWith('checkout'))).toEqual(['checkout.session.completed', 'checkout.session.async_payment_failed']);
  });

  it('refuses other account numbers, and bank debits for subscriptions', async () => {
    const db = openEmulatorDb(':memory:');
    const c = await checkout(db, 'payment');
    expect(payCheckoutSession(db, c.sessionId, { type: 'us_bank_account', accountNumber: '1' }, Date.now())).toMatchObject({ ok: false });
    const sub = await checkout(db, 'subscription');
    expect(payCheckoutSession(db, sub.sessionId, { type: 'us_bank_account', accountNumber: '000123456789' }, Date.now())).toMatchObject({
      ok: false,
      message: expect.stringContaining('pay subscriptions by card'),
    });
  });
});

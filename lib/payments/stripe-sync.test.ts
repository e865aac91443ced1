import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createTestDb, insertUser } from '../../db/testing';
import { advanceToNextPeriod, runBilling } from '../stripe/emulator/billing';
import { listNotices } from '../notices/notices';
import { payCheckoutSession } from '../stripe/emulator/checkout';
import { openEmulatorDb, type EmulatorDb } from '../stripe/emulator/db';
import type { EmulatedCharge, EmulatedInvoice, EmulatedInvoicePayment, EmulatedSession, EmulatedSubscription } from '../stripe/emulator/objects';
import { clockOffset, clockOwner, listObjects, putObject, setClockOffset } from '../stripe/emulator/store';
import { createInProcessStripe, TEST_APP_URL } from '../stripe/emulator/testing';
import { createCheckoutUrl, toReturnPath } from './checkout';
import type { CustomerRef } from './customer-ref';
import { listActivity } from './activity';
import { addDuration } from './duration';
import { decreaseQuantity, getQuantity } from './items';
import { listProducts } from './products';
import { checkoutSummary, handleStripeEvent } from './stripe-sync';
import { ledgerSum } from './testing';

const sessionIdOf = (url: string) => url.split('/').at(-1)!;
const card = (number: string) => ({ type: 'card' as const, number });
/** Collection without delay: a renewal's invoice is charged in the same billing pass. */
const noDelay = { collectionDelayMs: 0 };

/**
 * One customer's story at "Stripe" (the emulator): subscribe to Pro, renew once, buy two credit
 * packs, buy and refund a third, cancel Pro at period end and reach it. Returns the events sent.
 */
async function scenario() {
  const emulatorDb = openEmulatorDb(':memory:');
  const stripe = createInProcessStripe(emulatorDb);
  const appDb = await createTestDb();
  const userId = await insertUser(appDb);
  const user: CustomerRef = { type: 'user', id: userId };
  const clock = () => Date.now() + clockOffset(emulatorDb, clockOwner(user));
  const deps = { db: appDb, stripe, now: clock, appUrl: TEST_APP_URL };

  const pro = await createCheckoutUrl(deps, user, { productId: 'pro_monthly' });
  expect(payCheckoutSession(emulatorDb, sessionIdOf(pro), card('4242424242424242'), Date.now()).ok).toBe(true);
  advanceToNextPeriod(emulatorDb, clockOwner(user), Date.now(), noDelay);
  const packs = await createCheckoutUrl(deps, user, { productId: 'credit_pack', quantity: 2 });
  expect(payCheckoutSession(emulatorDb, sessionIdOf(packs), card('4242424242424242'), Date.now()).ok).toBe(true);
  const single = await createCheckoutUrl(deps, user, { productId: 'credit_pack' });
  expect(payCheckoutSession(emulatorDb, sessionIdOf(single), card('4242 4242 4242 4242'), Date.now()).ok).toBe(true);
  const refunded = await stripe.checkout.sessions.retrieve(sessionIdOf(single));
  await stripe.refunds.create({ payment_intent: refunded.payment_intent as string });
  const [subscription] = (await stripe.subscriptions.list({ customer: (await stripe.checkout.sessions.retrieve(sessionIdOf(pro))).customer as string })).data;
  await stripe.subscriptions.update(subscription!.id, { cancel_at_period_end: true });
  advanceToNextPeriod(emulatorDb, clockOwner(user), Date.now(), noDelay);

  const events = listObjects<{ id: string; object: string; created: number }>(emulatorDb, 'event') as unknown as Stripe.Event[];
  return { emulatorDb, stripe, user, clock, events, userId };
}

/** A fresh app database that receives `events` in the given order. */
async function replay(s: Awaited<ReturnType<typeof scenario>>, events: Stripe.Event[]) {
  const db = await createTestDb();
  await insertUser(db, undefined, s.user.id); // the same customer, in a fresh database
  for (const event of events) await handleStripeEvent({ db, stripe: s.stripe, now: s.clock }, event);
  return { credits: await getQuantity(db, { customer: s.user, itemId: 'credits' }, s.clock()), ledger: await ledgerSum(db, s.user, 'credits') };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function seeded(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('Stripe events', () => {
  it('reach the same balances in any order and with duplicates', async () => {
    const s = await scenario();
    expect(new Set(s.events.map((e) => e.type))).toEqual(
      new Set([
        'customer.subscription.created',
        'invoice.paid',
        'invoice.created',
        'invoice.finalized',
        'checkout.session.completed',
        'customer.subscription.updated',
        'charge.refunded',
        'customer.subscription.deleted',
        'customer.subscription.trial_will_end',
      ]),
    );
    // Pro ended after its second month: the Free plan's 50 + 2 packs kept (1000); the refunded pack is gone.
    const inOrder = await replay(s, s.events);
    expect(inOrder).toEqual({ credits: 1050, ledger: 1050 });

    const random = seeded(42);
    for (let run = 0; run < 25; run++) {
      const withDuplicates = [...s.events, ...s.events.filter(() => random() < 0.3)];
      expect(await replay(s, shuffled(withDuplicates, random))).toEqual(inOrder);
    }
  });

  it('ignores unknown event types and a second delivery of the same event', async () => {
    const s = await scenario();
    const db = await createTestDb();
    await insertUser(db, undefined, s.user.id);
    const deps = { db, stripe: s.stripe, now: s.clock };
    expect(await handleStripeEvent(deps, { id: 'evt_x', type: 'customer.created', data: { object: {} } } as Stripe.Event)).toBe('ignored');
    const completed = s.events.find((e) => e.type === 'checkout.session.completed' && (e.data.object as Stripe.Checkout.Session).mode === 'payment')!;
    await handleStripeEvent(deps, completed);
    const once = await getQuantity(db, { customer: s.user, itemId: 'credits' }, s.clock());
    await handleStripeEvent(deps, completed);
    expect(await getQuantity(db, { customer: s.user, itemId: 'credits' }, s.clock())).toBe(once);
  });
});

/** "Stripe" (the emulator, reached through the real SDK) and an app database with one user. */
async function stripeWorld() {
  const emulatorDb = openEmulatorDb(':memory:');
  const stripe = createInProcessStripe(emulatorDb);
  const db = await createTestDb();
  const user: CustomerRef = { type: 'user', id: await insertUser(db) };
  const now = () => Date.now() + clockOffset(emulatorDb, clockOwner(user));
  const deps = { db, stripe, now, appUrl: TEST_APP_URL };
  /** Hands every event the emulator has sent so far to the app, in order. */
  const deliverAll = async () => {
    for (const event of listObjects(emulatorDb, 'event') as unknown as Stripe.Event[]) await handleStripeEvent(deps, event);
  };
  return { emulatorDb, stripe, db, user, now, deps, deliverAll };
}

describe('switching plans', () => {
  it('replaces the monthly subscription with the yearly one, at Stripe too', async () => {
    const { emulatorDb, stripe, db, user, now, deps, deliverAll } = await stripeWorld();

    const monthly = await createCheckoutUrl(deps, user, { productId: 'pro_monthly' });
    payCheckoutSession(emulatorDb, sessionIdOf(monthly), card('4242424242424242'), Date.now());
    await deliverAll();
    const yearly = await createCheckoutUrl(deps, user, { productId: 'pro_yearly' });
    payCheckoutSession(emulatorDb, sessionIdOf(yearly), card('4242424242424242'), Date.now());
    await deliverAll();

    const subscriptions = await stripe.subscriptions.list({ status: 'all' });
    expect(subscriptions.data.map((s) => s.status).sort()).toEqual(['active', 'canceled']);
    expect(await getQuantity(db, { customer: user, itemId: 'credits' }, now())).toBe(1000);
    await deliverAll(); // the cancellation's own events change nothing more
    expect(await getQuantity(db, { customer: user, itemId: 'credits' }, now())).toBe(1000);
  });
});

describe('createCheckoutUrl', () => {
  it('refuses return URLs of other origins (no open redirect)', async () => {
    expect(toReturnPath('/billing?x=1', TEST_APP_URL)).toBe('/billing?x=1');
    expect(toReturnPath(`${TEST_APP_URL}/pricing`, TEST_APP_URL)).toBe('/pricing');
    for (const bad of ['https://evil.example/phish', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
      expect(() => toReturnPath(bad, TEST_APP_URL)).toThrow('returnUrl must be a page of this app.');
    }
  });

  it('checks the catalog rules before creating a session', async () => {
    const emulatorDb = openEmulatorDb(':memory:');
    const db = await createTestDb();
    const user: CustomerRef = { type: 'user', id: await insertUser(db) };
    const deps = { db, stripe: createInProcessStripe(emulatorDb), now: () => Date.now(), appUrl: TEST_APP_URL };
    await expect(createCheckoutUrl(deps, user, { productId: 'welcome_bonus' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createCheckoutUrl(deps, user, { productId: 'team_plan' })).rejects.toMatchObject({ code: 'product_not_found' });
    await expect(createCheckoutUrl(deps, user, { productId: 'pro_monthly', quantity: 2 })).rejects.toMatchObject({ code: 'not_purchasable' });
    const url = await createCheckoutUrl(deps, user, { productId: 'credit_pack', quantity: 3 });
    expect(url).toMatch(/^http:\/\/tally\.test\/emulator\/checkout\/cs_test_/);
    expect(listObjects(emulatorDb, 'checkout.session')).toHaveLength(1);
  });
});

describe('failed renewals and disputes', () => {
  async function subscribed(productId: string) {
    const world = await stripeWorld();
    const url = await createCheckoutUrl(world.deps, world.user, { productId });
    payCheckoutSession(world.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    await world.deliverAll();
    return world;
  }

  /** Stripe's side of a renewal at the period end: the period moves on, its invoice is `status`. */
  function renewAtStripe(s: Awaited<ReturnType<typeof subscribed>>, invoiceStatus: 'draft' | 'open' | 'paid', subscriptionStatus: 'active' | 'past_due') {
    const [subscription] = listObjects<EmulatedSubscription>(s.emulatorDb, 'subscription');
    const item = subscription!.items.data[0]!;
    const invoice = {
      id: 'in_renewal',
      object: 'invoice',
      status: invoiceStatus,
      customer: subscription!.customer,
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription!.id, metadata: {} } },
    };
    putObject(s.emulatorDb, invoice, s.now());
    const periodEnd = item.current_period_end;
    Object.assign(item, { current_period_start: periodEnd, current_period_end: periodEnd + 31 * 86_400 });
    Object.assign(subscription!, { status: subscriptionStatus, latest_invoice: invoice.id });
    putObject(s.emulatorDb, subscription!, s.now());
    return { invoice, subscription: subscription!, periodEnd };
  }

  const event = (id: string, type: string, object: unknown) => ({ id, type, data: { object } }) as unknown as Stripe.Event;
  const credits = (s: Awaited<ReturnType<typeof subscribed>>) => getQuantity(s.db, { customer: s.user, itemId: 'credits' }, s.now());

  it('keeps last period’s remainder through a renewal in Stripe’s order: period end, invoice created, finalized an hour later, paid', async () => {
    const s = await subscribed('pro_monthly');
    await decreaseQuantity(s.db, { customer: s.user, itemId: 'credits' }, 300, s.now());
    const [subscription] = listObjects<EmulatedSubscription>(s.emulatorDb, 'subscription');
    const periodEnd = subscription!.items.data[0]!.current_period_end;

    setClockOffset(s.emulatorDb, clockOwner(s.user), periodEnd * 1000 - Date.now() + 60_000); // just past the period end
    expect(await credits(s)).toBe(700); // no renewal yet: the allowance does not vanish
    const { invoice } = renewAtStripe(s, 'draft', 'active');
    await handleStripeEvent(s.deps, event('evt_created', 'invoice.created', invoice));
    expect(await credits(s)).toBe(700);

    setClockOffset(s.emulatorDb, clockOwner(s.user), periodEnd * 1000 - Date.now() + 3_660_000); // an hour later
    Object.assign(invoice, { status: 'open' });
    putObject(s.emulatorDb, invoice, s.now());
    await handleStripeEvent(s.deps, event('evt_finalized', 'invoice.finalized', invoice));
    expect(await credits(s)).toBe(700);

    Object.assign(invoice, { status: 'paid' });
    putObject(s.emulatorDb, invoice, s.now());
    await handleStripeEvent(s.deps, event('evt_paid', 'invoice.paid', invoice));
    expect(await credits(s)).toBe(1000); // the new period: the remainder resets, the allowance refills
    const activity = await listActivity(s.db, s.user);
    expect(activity.entries.slice(0, 2).map((e) => [e.reason, e.delta, e.createdAt])).toEqual([
      ['renewal', 1000, periodEnd * 1000],
      ['expiry', -700, periodEnd * 1000],
    ]);
  });

  it('keeps the remainder while a failed renewal is retried (past_due), grants nothing unpaid, and ends it with the subscription', async () => {
    const s = await subscribed('pro_monthly');
    await decreaseQuantity(s.db, { customer: s.user, itemId: 'credits' }, 100, s.now());
    const { invoice, subscription, periodEnd } = renewAtStripe(s, 'open', 'past_due');
    setClockOffset(s.emulatorDb, clockOwner(s.user), periodEnd * 1000 - Date.now() + 3_660_000);

    await handleStripeEvent(s.deps, event('evt_failed', 'invoice.payment_failed', invoice));
    await handleStripeEvent(s.deps, event('evt_failed_again', 'invoice.payment_failed', invoice)); // a retry fails too: one notice
    const pro = (await listProducts(s.db, s.user, s.now())).find((p) => p.id === 'pro_monthly')!;
    expect(pro.owned[0]).toMatchObject({ status: 'past_due', paidThrough: periodEnd * 1000 });
    expect((await listNotices(s.db, s.user, s.now())).map((n) => [n.kind, n.link])).toEqual([['payment_failed', '/billing']]);
    expect(await credits(s)).toBe(900); // retries run for days: the paid month's remainder stays, nothing new

    setClockOffset(s.emulatorDb, clockOwner(s.user), periodEnd * 1000 - Date.now() + 7 * 86_400_000); // Stripe gives up
    Object.assign(subscription, { status: 'canceled', ended_at: Math.floor(s.now() / 1000), canceled_at: Math.floor(s.now() / 1000) });
    putObject(s.emulatorDb, subscription, s.now());
    await handleStripeEvent(s.deps, event('evt_deleted', 'customer.subscription.deleted', subscription));
    expect(await credits(s)).toBe(50); // back on Free: its allowance, nothing of the unpaid period
  });

  it('takes back a one-time purchase when Stripe says its charge is disputed, not when an event only claims so', async () => {
    const s = await subscribed('credit_pack');
    expect(await getQuantity(s.db, { customer: s.user, itemId: 'credits' }, s.now())).toBe(550);
    const [charge] = listObjects<EmulatedCharge>(s.emulatorDb, 'charge');
    const dispute = { id: 'du_1', object: 'dispute', charge: charge!.id, payment_intent: charge!.payment_intent };
    const disputed = (id: string) => ({ id, type: 'charge.dispute.created', data: { object: dispute } }) as unknown as Stripe.Event;
    // A signed event whose charge Stripe does not show as disputed (a forged or mistaken body) takes nothing.
    await handleStripeEvent(s.deps, disputed('evt_claimed'));
    expect(await getQuantity(s.db, { customer: s.user, itemId: 'credits' }, s.now())).toBe(550);
    putObject(s.emulatorDb, { ...charge!, disputed: true }, s.now());
    await handleStripeEvent(s.deps, disputed('evt_dispute'));
    expect(await getQuantity(s.db, { customer: s.user, itemId: 'credits' }, s.now())).toBe(50);
  });

  it('a refund event whose charge Stripe does not show as refunded takes nothing back', async () => {
    const s = await subscribed('credit_pack');
    const [charge] = listObjects<EmulatedCharge>(s.emulatorDb, 'charge');
    const claimed = { ...charge!, refunded: true, amount_refunded: charge!.amount };
    await handleStripeEvent(s.deps, { id: 'evt_claimed_refund', type: 'charge.refunded', data: { object: claimed } } as unknown as Stripe.Event);
    expect(await getQuantity(s.db, { customer: s.user, itemId: 'credits' }, s.now())).toBe(550);
  });
});

describe('free trials', () => {
  const sessionOf = (emulatorDb: EmulatorDb, url: string) =>
    listObjects<EmulatedSession>(emulatorDb, 'checkout.session').find((s) => s.id === sessionIdOf(url))!;

  it('grant the full allowance at the start; the first paid invoice at the trial’s end starts a new window', async () => {
    const w = await stripeWorld();
    expect((await listProducts(w.db, w.user, w.now())).find((p) => p.id === 'pro_monthly')!.freeTrial).toEqual([7, 'day']);
    const url = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    expect(sessionOf(w.emulatorDb, url)._trial_days).toBe(7);
    payCheckoutSession(w.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    await w.deliverAll();
    const [subscription] = listObjects<EmulatedSubscription>(w.emulatorDb, 'subscription');
    const trialEnd = subscription!.trial_end! * 1000;
    expect(subscription!.status).toBe('trialing');
    expect((await listProducts(w.db, w.user, w.now())).find((p) => p.id === 'pro_monthly')!.owned[0]).toMatchObject({
      status: 'trialing',
      paidThrough: trialEnd,
    });
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(1000);
    await decreaseQuantity(w.db, { customer: w.user, itemId: 'credits' }, 300, w.now());
    expect(await listNotices(w.db, w.user, w.now())).toEqual([]);

    // Three days before the trial ends, Stripe says so (customer.subscription.trial_will_end): one notice.
    setClockOffset(w.emulatorDb, clockOwner(w.user), trialEnd - 3 * 86_400_000 - Date.now() + 1000);
    runBilling(w.emulatorDb, Date.now(), noDelay);
    await w.deliverAll();
    await w.deliverAll();
    const [trialNotice] = await listNotices(w.db, w.user, w.now());
    expect(trialNotice).toMatchObject({ kind: 'trial_ending', link: '/billing' });
    expect(trialNotice!.text).toContain('Your free trial of Pro ends on');

    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay); // the trial ends, the first month is paid
    await w.deliverAll();
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(1000); // 700 unspent trial credits reset
    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay); // a month after the trial: the second paid month
    await w.deliverAll();
    const refills = (await listActivity(w.db, w.user)).entries.filter((e) => e.reason === 'renewal' && e.delta === 1000).map((e) => e.createdAt);
    expect(refills.sort()).toEqual([trialEnd, addDuration(trialEnd, [1, 'month'])]);
    const invoices = listObjects<EmulatedInvoice>(w.emulatorDb, 'invoice').map((i) => i.amount_paid);
    expect(invoices).toEqual([0, 2000, 2000]);
  });

  it('cancelled during the trial: back to Free at its end with nothing charged; a second trial is not offered', async () => {
    const w = await stripeWorld();
    const url = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    payCheckoutSession(w.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    await w.deliverAll();
    const [subscription] = listObjects<EmulatedSubscription>(w.emulatorDb, 'subscription');
    await w.stripe.subscriptions.update(subscription!.id, { cancel_at_period_end: true });
    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay);
    await w.deliverAll();
    expect(listObjects<EmulatedSubscription>(w.emulatorDb, 'subscription')[0]!.status).toBe('canceled');
    expect(listObjects<EmulatedInvoice>(w.emulatorDb, 'invoice').map((i) => i.amount_paid)).toEqual([0]);
    const products = await listProducts(w.db, w.user, w.now());
    expect(products.find((p) => p.isDefault)!.owned).toHaveLength(1);
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(50);

    expect(products.find((p) => p.id === 'pro_monthly')!.freeTrial).toBeNull();
    const again = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    expect(sessionOf(w.emulatorDb, again)).toMatchObject({ _trial_days: null, amount_total: 2000 });
  });

  it('are not offered to a customer who had a paid plan of the line', async () => {
    const w = await stripeWorld();
    const yearly = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_yearly' });
    payCheckoutSession(w.emulatorDb, sessionIdOf(yearly), card('4242424242424242'), Date.now());
    await w.deliverAll();
    const monthly = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    expect(sessionOf(w.emulatorDb, monthly)._trial_days).toBeNull();
  });
});

describe('refunds of subscription invoices', () => {
  /** A Pro subscriber whose trial converted: the first paid invoice (month 1) paid for window 1. */
  async function converted() {
    const w = await stripeWorld();
    const url = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    payCheckoutSession(w.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    await w.deliverAll();
    await decreaseQuantity(w.db, { customer: w.user, itemId: 'credits' }, 300, w.now()); // during the trial
    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay);
    await w.deliverAll();
    const paid = listObjects<EmulatedInvoice>(w.emulatorDb, 'invoice').find((i) => i.amount_paid > 0)!;
    const payment = listObjects<EmulatedInvoicePayment>(w.emulatorDb, 'invoice_payment').find((p) => p.invoice === paid.id)!;
    return { ...w, paymentIntent: payment.payment.payment_intent };
  }
  const credits = (w: Awaited<ReturnType<typeof converted>>, db = w.db) => getQuantity(db, { customer: w.user, itemId: 'credits' }, w.now());

  it('a full refund takes back the period’s window; what was spent of it becomes debt; the subscription goes on', async () => {
    const w = await converted();
    expect(await credits(w)).toBe(1000);
    await decreaseQuantity(w.db, { customer: w.user, itemId: 'credits' }, 400, w.now());
    await w.stripe.refunds.create({ payment_intent: w.paymentIntent });
    await w.deliverAll();
    expect(await credits(w)).toBe(-400); // 600 left of the window taken back, and the 400 spent of it owed
    expect(await ledgerSum(w.db, w.user, 'credits')).toBe(-400);
    const pro = (await listProducts(w.db, w.user, w.now())).find((p) => p.id === 'pro_monthly')!;
    expect(pro.owned[0]!.status).toBe('active');

    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay); // month 2 is paid: its window pays the debt
    await w.deliverAll();
    expect(await credits(w)).toBe(600);
  });

  it('reaches the same balance when the refund arrives before the invoice’s own events', async () => {
    const inOrder = await converted();
    await inOrder.stripe.refunds.create({ payment_intent: inOrder.paymentIntent });
    await inOrder.deliverAll();
    expect(await credits(inOrder)).toBe(0); // the trial's 700 reset at its end, month 1's 1000 taken back

    // The app saw the trial start (700 left of it); the trial's end and the refund happen at Stripe.
    const w = await stripeWorld();
    const url = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    payCheckoutSession(w.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    await w.deliverAll();
    await decreaseQuantity(w.db, { customer: w.user, itemId: 'credits' }, 300, w.now());
    advanceToNextPeriod(w.emulatorDb, clockOwner(w.user), Date.now(), noDelay);
    const paid = listObjects<EmulatedInvoice>(w.emulatorDb, 'invoice').find((i) => i.amount_paid > 0)!;
    const payment = listObjects<EmulatedInvoicePayment>(w.emulatorDb, 'invoice_payment').find((p) => p.invoice === paid.id)!;
    await w.stripe.refunds.create({ payment_intent: payment.payment.payment_intent });
    const refund = (listObjects(w.emulatorDb, 'event') as unknown as Stripe.Event[]).find((e) => e.type === 'charge.refunded')!;
    await handleStripeEvent(w.deps, refund); // first: month 1 is not granted yet, so it is held
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(700);
    await w.deliverAll(); // then the trial's end and the paid invoice
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(0);
    expect(await ledgerSum(w.db, w.user, 'credits')).toBe(0);
  });

  it('a partial refund takes nothing back', async () => {
    const w = await converted();
    await w.stripe.refunds.create({ payment_intent: w.paymentIntent, amount: 500 });
    await w.deliverAll();
    expect(await credits(w)).toBe(1000);
  });

  it('a refund before the subscription is recorded fails, so Stripe redelivers it once it is', async () => {
    const w = await stripeWorld();
    const url = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_yearly' });
    payCheckoutSession(w.emulatorDb, sessionIdOf(url), card('4242424242424242'), Date.now());
    const payment = listObjects<EmulatedInvoicePayment>(w.emulatorDb, 'invoice_payment')[0]!;
    await w.stripe.refunds.create({ payment_intent: payment.payment.payment_intent });
    const refund = (listObjects(w.emulatorDb, 'event') as unknown as Stripe.Event[]).find((e) => e.type === 'charge.refunded')!;
    await expect(handleStripeEvent(w.deps, refund)).rejects.toThrow('retry later');
    await w.deliverAll(); // the checkout's events, then the refund again
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(0); // the yearly plan's first month taken back
    setClockOffset(w.emulatorDb, clockOwner(w.user), 95 * 86_400_000); // three months on, inside the refunded year
    expect(await getQuantity(w.db, { customer: w.user, itemId: 'credits' }, w.now())).toBe(0); // its later months are never granted
  });
});

describe('checkoutSummary', () => {
  it('says what a checkout bought, charged and added: packs by quantity, nothing charged for a trial', async () => {
    const w = await stripeWorld();
    const packs = await createCheckoutUrl(w.deps, w.user, { productId: 'credit_pack', quantity: 2 });
    payCheckoutSession(w.emulatorDb, sessionIdOf(packs), card('4242424242424242'), Date.now());
    expect(checkoutSummary(await w.stripe.checkout.sessions.retrieve(sessionIdOf(packs)))).toEqual({
      productName: 'Credit pack',
      quantity: 2,
      charged: 2000,
      currency: 'usd',
      added: [{ itemId: 'credits', displayName: 'Credits', quantity: 1000 }],
    });
    const trial = await createCheckoutUrl(w.deps, w.user, { productId: 'pro_monthly' });
    expect(checkoutSummary(await w.stripe.checkout.sessions.retrieve(sessionIdOf(trial)))).toMatchObject({ charged: 0, added: [{ quantity: 1000 }] });
  });
});

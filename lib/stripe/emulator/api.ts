import type { EmulatorQueryable } from './db';
import type { FormObject, FormValue } from './form';
import {
  cancelSubscriptionNow,
  getSession,
  type EmulatedCharge,
  type EmulatedInvoicePayment,
  type EmulatedLineItem,
  type EmulatedPaymentIntent,
  type EmulatedSession,
  type EmulatedSubscription,
} from './objects';
import { clockOffset, clockOwner, createEvent, customerTime, getObject, listObjects, newId, publicView, putObject, seconds, type Stored } from './store';

export type EmulatorResponse = { status: number; body: unknown };
/** `wallNow`: the wall clock; each object's time is its customer's (its test clock's offset added). */
type Request = { method: string; path: string[]; params: FormObject; wallNow: number; appUrl: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const str = (value: FormValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: FormValue | undefined): FormObject => (value && typeof value === 'object' && !Array.isArray(value) ? value : {});
const metadataOf = (value: FormValue | undefined) => Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, String(v)]));
const int = (value: FormValue | undefined, param: string): number => {
  const n = Number(str(value));
  if (!Number.isSafeInteger(n)) throw new ApiError(400, `Invalid integer: ${String(str(value))}`, param);
  return n;
};

function required<T>(value: T | undefined, param: string): T {
  if (value === undefined || value === '') throw new ApiError(400, `Missing required param: ${param}.`, param);
  return value;
}

function found<T>(value: T | undefined, type: string, id: string): T {
  if (!value) throw new ApiError(404, `No such ${type}: '${id}'`, 'id');
  return value;
}

const typeByPrefix: Record<string, string> = { cus: 'customer', pi: 'payment_intent', ch: 'charge', sub: 'subscription', in: 'invoice' };

/** `expand[]=data.invoice` on a list: `invoice` on each item. */
const expandEach = (expand: FormValue | undefined): string[] =>
  (Array.isArray(expand) ? expand.map(String) : []).filter((path) => path.startsWith('data.')).map((path) => path.slice('data.'.length));

/** Replaces an id at `path` (e.g. `payment_intent.latest_charge`) with the object, as Stripe's `expand[]` does. */
function expandPath(db: EmulatorQueryable, target: Record<string, unknown>, [field, ...rest]: string[]) {
  const value = target[field!];
  if (typeof value === 'string') {
    const type = typeByPrefix[value.split('_')[0]!];
    const found = type ? getObject(db, value, type) : undefined;
    target[field!] = found ? publicView(found) : value;
  }
  const expanded = target[field!];
  if (rest.length && expanded && typeof expanded === 'object') expandPath(db, expanded as Record<string, unknown>, rest);
}

/** The API view of a stored object: expansions applied; line items only when asked, as Stripe does. */
function view(db: EmulatorQueryable, object: Stored, expand: FormValue | undefined): Record<string, unknown> {
  const out = publicView(object);
  const paths = Array.isArray(expand) ? expand.map(String) : [];
  for (const path of paths) if (path !== 'line_items') expandPath(db, out, path.split('.'));
  if (object.object === 'checkout.session' && !paths.includes('line_items')) delete out.line_items;
  return out;
}

function createCustomer(db: EmulatorQueryable, { params, wallNow }: Request) {
  const metadata = metadataOf(params.metadata);
  const owner = metadata.customerType && metadata.customerId ? clockOwner({ type: metadata.customerType, id: metadata.customerId }) : null;
  const now = wallNow + (owner ? clockOffset(db, owner) : 0);
  return putObject(
    db,
    {
      id: newId('cus'),
      object: 'customer',
      email: str(params.email) ?? null,
      name: str(params.name) ?? null,
      metadata,
      created: seconds(now),
    },
    now,
  );
}

function createCheckoutSession(db: EmulatorQueryable, { params, wallNow, appUrl }: Request): EmulatedSession {
  const mode = required(str(params.mode), 'mode');
  if (mode !== 'payment' && mode !== 'subscription') throw new ApiError(400, `Invalid mode: ${mode}`, 'mode');
  const customer = required(str(params.customer), 'customer');
  found(getObject(db, customer, 'customer'), 'customer', customer);
  const now = customerTime(db, customer, wallNow);
  const rawItems = params.line_items;
  if (!Array.isArray(rawItems) || rawItems.length !== 1) throw new ApiError(400, 'The emulator supports exactly one line item.', 'line_items');
  const raw = obj(rawItems[0]);
  const priceData = obj(raw.price_data);
  const recurring = obj(priceData.recurring);
  const quantity = raw.quantity === undefined ? 1 : int(raw.quantity, 'line_items[0][quantity]');
  const unitAmount = int(required(priceData.unit_amount, 'line_items[0][price_data][unit_amount]'), 'line_items[0][price_data][unit_amount]');
  const currency = required(str(priceData.currency), 'line_items[0][price_data][currency]');
  const interval = str(recurring.interval);
  if ((mode === 'subscription') !== Boolean(interval))
    throw new ApiError(400, 'Subscription mode needs a recurring price; payment mode a one-time price.', 'line_items');
  const name = required(str(obj(priceData.product_data).name), 'line_items[0][price_data][product_data][name]');
  const lineItem: EmulatedLineItem = {
    id: newId('li'),
    object: 'item',
    amount_total: unitAmount * quantity,
    currency,
    description: name,
    quantity,
    price: {
      id: newId('price'),
      object: 'price',
      currency,
      unit_amount: unitAmount,
      type: interval ? 'recurring' : 'one_time',
      recurring: interval
        ? { interval: interval as 'month', interval_count: recurring.interval_count ? int(recurring.interval_count, 'interval_count') : 1 }
        : null,
      product_data: { name },
    },
  };
  const id = newId('cs_test');
  const subscriptionData = obj(params.subscription_data);
  const session: EmulatedSession = {
    id,
    object: 'checkout.session',
    mode,
    status: 'open',
    payment_status: 'unpaid',
    url: `${appUrl}/emulator/checkout/${id}`,
    success_url: required(str(params.success_url), 'success_url'),
    cancel_url: str(params.cancel_url) ?? null,
    customer,
    customer_email: getObject<{ id: string; object: string; email?: string | null }>(db, customer, 'customer')?.email ?? null,
    metadata: metadataOf(params.metadata),
    // What is due at checkout, as Stripe has it: nothing when a trial starts.
    amount_total: subscriptionData.trial_period_days ? 0 : lineItem.amount_total,
    currency,
    created: seconds(now),
    expires_at: seconds(now) + 24 * 3600,
    subscription: null,
    payment_intent: null,
    line_items: { object: 'list', data: [lineItem] },
    _subscription_metadata: metadataOf(subscriptionData.metadata),
    _trial_days: subscriptionData.trial_period_days ? int(subscriptionData.trial_period_days, 'subscription_data[trial_period_days]') : null,
  };
  return putObject(db, session, now);
}

function updateSubscription(db: EmulatorQueryable, id: string, { params, wallNow }: Request) {
  const subscription = found(getObject<EmulatedSubscription>(db, id, 'subscription'), 'subscription', id);
  const now = customerTime(db, subscription.customer, wallNow);
  if (subscription.status === 'canceled') throw new ApiError(400, 'A canceled subscription can no longer be updated.');
  const cancel = str(params.cancel_at_period_end);
  if (cancel !== undefined) subscription.cancel_at_period_end = cancel === 'true';
  if (params.metadata) subscription.metadata = { ...subscription.metadata, ...metadataOf(params.metadata) };
  putObject(db, subscription, now);
  createEvent(db, 'customer.subscription.updated', subscription, now);
  return subscription;
}

function createRefund(db: EmulatorQueryable, { params, wallNow }: Request) {
  const paymentIntentId = required(str(params.payment_intent), 'payment_intent');
  const paymentIntent = found(getObject<EmulatedPaymentIntent>(db, paymentIntentId, 'payment_intent'), 'payment_intent', paymentIntentId);
  return refundPayment(db, paymentIntent, params.amount === undefined ? undefined : int(params.amount, 'amount'), wallNow);
}

/** Refunds a payment in full or `amount` of it (the API, and the emulated dashboard's refund button). */
export function refundPayment(db: EmulatorQueryable, paymentIntent: EmulatedPaymentIntent, amount: number | undefined, wallNow: number) {
  const now = customerTime(db, paymentIntent.customer, wallNow);
  const charge = paymentIntent.latest_charge ? getObject<EmulatedCharge>(db, paymentIntent.latest_charge, 'charge') : undefined;
  if (!charge) throw new ApiError(400, `PaymentIntent ${paymentIntent.id} has no successful charge to refund.`, 'payment_intent');
  const refundable = charge.amount - charge.amount_refunded;
  if (refundable <= 0) throw new ApiError(400, `Charge ${charge.id} has already been refunded.`, 'payment_intent');
  const refunded = amount ?? refundable;
  if (refunded <= 0 || refunded > refundable) throw new ApiError(400, `Refund amount must be between 1 and ${refundable}.`, 'amount');
  Object.assign(charge, { amount_refunded: charge.amount_refunded + refunded, refunded: charge.amount_refunded + refunded === charge.amount });
  putObject(db, charge, now);
  const refund = putObject(
    db,
    { id: newId('re'), object: 'refund', amount: refunded, charge: charge.id, payment_intent: paymentIntent.id, status: 'succeeded', created: seconds(now) },
    now,
  );
  createEvent(db, 'charge.refunded', charge, now);
  return refund;
}

function createPortalSession(db: EmulatorQueryable, { params, wallNow, appUrl }: Request) {
  const customer = required(str(params.customer), 'customer');
  found(getObject(db, customer, 'customer'), 'customer', customer);
  const now = customerTime(db, customer, wallNow);
  const id = newId('bps');
  return putObject(
    db,
    {
      id,
      object: 'billing_portal.session',
      customer,
      return_url: str(params.return_url) ?? null,
      url: `${appUrl}/emulator/portal/${id}`,
      created: seconds(now),
    },
    now,
  );
}

function route(db: EmulatorQueryable, request: Request): unknown {
  const { method, path, params } = request;
  const [resource, id, action] = path;
  const key = `${method} ${resource}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;
  switch (key) {
    case 'POST customers':
      return createCustomer(db, request);
    case 'GET customers/:id':
      return found(getObject(db, id!, 'customer'), 'customer', id!);
    case 'GET subscriptions/:id':
      return view(db, found(getObject<EmulatedSubscription>(db, id!, 'subscription'), 'subscription', id!), params.expand);
    case 'GET subscriptions': {
      const customer = str(params.customer);
      const data = listObjects<EmulatedSubscription>(db, 'subscription', customer).filter((s) => str(params.status) === 'all' || s.status !== 'canceled');
      return { object: 'list', data: data.map((s) => view(db, s, undefined)), has_more: false, url: '/v1/subscriptions' };
    }
    case 'POST subscriptions/:id':
      return updateSubscription(db, id!, request);
    case 'DELETE subscriptions/:id': {
      const subscription = found(getObject<EmulatedSubscription>(db, id!, 'subscription'), 'subscription', id!);
      if (subscription.status !== 'canceled') cancelSubscriptionNow(db, subscription, customerTime(db, subscription.customer, request.wallNow));
      return subscription;
    }
    case 'POST refunds':
      return createRefund(db, request);
    case 'GET invoice_payments': {
      const payment = obj(params.payment);
      const intent = str(payment.payment_intent);
      const invoice = str(params.invoice);
      const data = listObjects<EmulatedInvoicePayment>(db, 'invoice_payment').filter(
        (p) => (!intent || p.payment.payment_intent === intent) && (!invoice || p.invoice === invoice),
      );
      return { object: 'list', data: data.map((p) => view(db, p, expandEach(params.expand))), has_more: false, url: '/v1/invoice_payments' };
    }
    case 'GET invoices/:id':
      return found(getObject(db, id!, 'invoice'), 'invoice', id!);
    case 'GET charges/:id':
      return found(getObject(db, id!, 'charge'), 'charge', id!);
    case 'GET charges': {
      const limit = Math.min(100, Math.max(1, Number(str(params.limit) ?? 10) || 10));
      const data = listObjects<EmulatedCharge>(db, 'charge', str(params.customer)).sort((a, b) => b.created - a.created);
      return { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/charges' };
    }
    case 'GET payment_intents/:id':
      return view(db, found(getObject<EmulatedPaymentIntent>(db, id!, 'payment_intent'), 'payment_intent', id!), params.expand);
    default:
      return routeNested(db, request, key);
  }
}

/** `checkout/sessions` and `billing_portal/sessions` have two-part names. */
function routeNested(db: EmulatorQueryable, request: Request, key: string): unknown {
  const [group, resource, id] = request.path;
  const nested = `${request.method} ${group}/${resource}${id ? '/:id' : ''}`;
  switch (nested) {
    case 'POST checkout/sessions':
      return createCheckoutSession(db, request);
    case 'GET checkout/sessions/:id':
      return view(db, found(getSession(db, id!), 'checkout.session', id!), request.params.expand);
    case 'POST billing_portal/sessions':
      return createPortalSession(db, request);
    default:
      throw new ApiError(404, `Unrecognized request URL (${key}). The Tally emulator implements only what the app uses.`);
  }
}

/** One REST call, in one write transaction, answered with Stripe's JSON shapes and error format. */
export function handleEmulatorRequest(db: EmulatorQueryable, request: Request): EmulatorResponse {
  try {
    const body = db.transaction((tx) => route(tx, request), { behavior: 'immediate' });
    return { status: 200, body: body && typeof body === 'object' && 'id' in body ? publicView(body as Stored) : body };
  } catch (error) {
    if (error instanceof ApiError) {
      return {
        status: error.status,
        body: { error: { type: 'invalid_request_error', message: error.message, ...(error.param ? { param: error.param } : {}) } },
      };
    }
    throw error;
  }
}

import { getCustomerContext } from '@/app/_server/selected-customer';
import { getDb } from '@/db';
import { authorizeCustomer } from '@/lib/customers/access';
import { activityCsv } from '@/lib/payments/activity';
import { catalog } from '@/lib/payments/catalog';

/** The selected customer's ledger as a CSV download (`?item=credits` for one item), streamed page by page. */
export async function GET(request: Request) {
  const { user, selected } = await getCustomerContext();
  const customer = { type: selected.type, id: selected.id };
  await authorizeCustomer(getDb(), user.id, customer, 'read');
  const item = new URL(request.url).searchParams.get('item');
  const itemId = item && Object.hasOwn(catalog.items, item) ? item : undefined;
  const lines = activityCsv(getDb(), customer, itemId);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(new TextEncoder().encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tally-activity${itemId ? `-${itemId}` : ''}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}

import { restRoute } from '@/app/_server/rest';
import { updateQuantity } from '@/lib/rest/payments-api';
import { itemParams, updateQuantityBody, updateQuantityQuery } from '@/lib/rest/schemas';

export const POST = restRoute({ params: itemParams, query: updateQuantityQuery, body: updateQuantityBody }, (deps, { params, query, body }) =>
  updateQuantity(deps, params, query, body),
);

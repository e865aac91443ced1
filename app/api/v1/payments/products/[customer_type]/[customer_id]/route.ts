import { restRoute } from '@/app/_server/rest';
import { grantProduct, listOwnedProducts } from '@/lib/rest/payments-api';
import { customerParams, grantProductBody, productsQuery } from '@/lib/rest/schemas';

export const GET = restRoute({ params: customerParams, query: productsQuery }, (deps, { params, query }) => listOwnedProducts(deps, params, query));
export const POST = restRoute({ params: customerParams, body: grantProductBody }, (deps, { params, body }) => grantProduct(deps, params, body));

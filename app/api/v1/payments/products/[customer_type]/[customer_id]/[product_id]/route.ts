import { restRoute } from '@/app/_server/rest';
import { cancelProduct } from '@/lib/rest/payments-api';
import { productParams } from '@/lib/rest/schemas';

export const DELETE = restRoute({ params: productParams }, (deps, { params }) => cancelProduct(deps, params));

import { restRoute } from '@/app/_server/rest';
import { getItem } from '@/lib/rest/payments-api';
import { itemParams } from '@/lib/rest/schemas';

export const GET = restRoute({ params: itemParams }, (deps, { params }) => getItem(deps, params));

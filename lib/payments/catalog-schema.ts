import { z } from 'zod';
import { durationSchema } from './duration';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lowercase letters, digits and _');
const customerType = z.enum(['user', 'team', 'custom']);

const itemSchema = z
  .object({
    displayName: z.string().min(1),
    customerType,
    /** At or below this quantity the item is running low: the dashboard warns, and a spend that crosses it sends a notice. */
    lowBalanceAt: z.number().int().nonnegative().optional(),
  })
  .strict();

const includedItemSchema = z
  .object({
    quantity: z.number().int().nonnegative(),
    repeat: z.union([z.literal('never'), durationSchema]).default('never'),
    expires: z.enum(['never', 'when-purchase-expires', 'when-repeated']).default('never'),
  })
  .strict();

const priceSchema = z
  .object({
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[a-z]{3}$/, 'use a lowercase ISO currency code like "usd"'),
    interval: durationSchema.optional(),
  })
  .strict();

export const productSchema = z
  .object({
    displayName: z.string().min(1),
    description: z.string().default(''),
    customerType,
    /** `include-by-default`: the free product every customer of this type holds in its line. */
    price: z.union([z.literal('include-by-default'), priceSchema]),
    includedItems: z.record(id, includedItemSchema),
    stackable: z.boolean().default(false),
    serverOnly: z.boolean().default(false),
    freeTrial: durationSchema.optional(),
    isAddOnTo: z.array(id).optional(),
    productLine: id.optional(),
  })
  .strict();

/** Cross-references zod cannot see field by field: each issue names the product and field. */
export const catalogSchema = z
  .object({ items: z.record(id, itemSchema), products: z.record(id, productSchema) })
  .strict()
  .superRefine(({ items, products }, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const defaultsPerLine = new Map<string, string>();
    for (const [productId, product] of Object.entries(products)) {
      const at = (...path: (string | number)[]) => ['products', productId, ...path];
      for (const itemId of Object.keys(product.includedItems)) {
        const item = items[itemId];
        if (!item) issue(at('includedItems', itemId), `unknown item "${itemId}"`);
        else if (item.customerType !== product.customerType) {
          issue(at('includedItems', itemId), `item "${itemId}" is for ${item.customerType}s, the product for ${product.customerType}s`);
        }
      }
      if (product.price === 'include-by-default') {
        if (!product.productLine) issue(at('price'), 'a default product needs a productLine');
        else if (defaultsPerLine.has(product.productLine)) {
          issue(at('productLine'), `line "${product.productLine}" already has the default product "${defaultsPerLine.get(product.productLine)}"`);
        } else defaultsPerLine.set(product.productLine, productId);
        if (product.stackable) issue(at('stackable'), 'a default product cannot be stackable');
      }
      if (product.freeTrial && (product.price === 'include-by-default' || !product.price.interval)) {
        issue(at('freeTrial'), 'only subscriptions (a price with an interval) can have a free trial');
      }
      if (product.stackable && product.productLine) issue(at('stackable'), 'a product in a productLine cannot be stackable');
      for (const [index, baseId] of (product.isAddOnTo ?? []).entries()) {
        const base = products[baseId];
        if (!base) issue(at('isAddOnTo', index), `unknown product "${baseId}"`);
        else if (base.customerType !== product.customerType) issue(at('isAddOnTo', index), `"${baseId}" is for ${base.customerType}s`);
      }
    }
  });

export type CatalogInput = z.input<typeof catalogSchema>;
export type Catalog = z.output<typeof catalogSchema>;
export type Product = Catalog['products'][string];
export type IncludedItem = Product['includedItems'][string];
export type CustomerType = z.infer<typeof customerType>;

/** Fails with every problem listed, each naming where it is: `products.pro.includedItems.x: …`. */
export function parseCatalog(input: unknown): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid catalog:\n${lines.join('\n')}`);
}

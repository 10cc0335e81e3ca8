import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';

export interface OrderMenu {
  currency: string;
  taxRateBps: number;
  allowNegativeStock: boolean;
  menuItems: Array<{
    id: string;
    name: string;
    priceAmount: number;
    available: boolean;
    ingredients: Array<{ inventoryItemId: string; quantity: Prisma.Decimal }>;
  }>;
}

/**
 * What pricing an order needs, in one statement: the restaurant's currency, tax and stock policy, and the
 * ordered menu items of that restaurant with their recipes. Null when there is no such restaurant.
 * Read before the transaction: prices are a snapshot either way, and no row needs locking.
 */
export async function readOrderMenu(prisma: Db, restaurantId: string, menuItemIds: readonly string[]): Promise<OrderMenu | null> {
  type Row = Omit<OrderMenu, 'menuItems'> & {
    menuItems: Array<
      Omit<OrderMenu['menuItems'][number], 'ingredients'> & { ingredients: Array<{ inventoryItemId: string; quantity: string }> }
    >;
  };
  const [row] = await prisma.$queryRaw<Row[]>`
    SELECT r.currency, r."taxRateBps", r."allowNegativeStock", COALESCE((
      SELECT json_agg(json_build_object(
        'id', m.id, 'name', m.name, 'priceAmount', m."priceAmount", 'available', m.available,
        'ingredients', COALESCE((
          SELECT json_agg(json_build_object('inventoryItemId', g."inventoryItemId", 'quantity', g.quantity::text))
          FROM "MenuItemIngredient" g WHERE g."menuItemId" = m.id), '[]'::json)))
      FROM "MenuItem" m WHERE m.id = ANY(${[...menuItemIds]}::text[]) AND m."restaurantId" = r.id), '[]'::json) AS "menuItems"
    FROM "Restaurant" r WHERE r.id = ${restaurantId}`;
  if (!row) return null;
  const menuItems = row.menuItems.map((item) => ({
    ...item,
    ingredients: item.ingredients.map((ingredient) => ({ ...ingredient, quantity: new Prisma.Decimal(ingredient.quantity) })),
  }));
  return { ...row, menuItems };
}

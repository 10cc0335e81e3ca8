/**
 * The manager's orders page with lines and menu items, built by PostgreSQL in one statement as the whole
 * GraphQL answer. The ceiling sends its text as it is; the bare-Apollo reference resolves `orders` from it.
 */
export const ordersPageStatement = `
  SELECT json_build_object('data', json_build_object('orders', json_build_object('edges', COALESCE(json_agg(json_build_object('node',
    json_build_object('id', o.id, 'status', o.status, 'total', json_build_object('amount', o."totalAmount", 'currency', o.currency),
      'items', (SELECT COALESCE(json_agg(json_build_object('name', i.name, 'quantity', i.quantity,
                  'lineTotal', json_build_object('amount', i."lineTotalAmount", 'currency', o.currency),
                  'menuItem', CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('id', m.id, 'name', m.name) END)
                ORDER BY i.position, i.id), '[]')
                FROM "OrderItem" i LEFT JOIN "MenuItem" m ON m.id = i."menuItemId" WHERE i."orderId" = o.id)))
    ORDER BY o."createdAt" DESC, o.id DESC), '[]'))))::text AS body
  FROM (SELECT * FROM "Order" WHERE "restaurantId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT $2) o`;

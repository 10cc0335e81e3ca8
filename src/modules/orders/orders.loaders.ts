import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';
import { linesInOrder } from './order-model.js';

export function createOrderLoaders(prisma: Db) {
  return {
    orderById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.order.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    itemsByOrderId: new DataLoader(async (orderIds: readonly string[]) =>
      manyByKey(
        orderIds,
        await prisma.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: linesInOrder }),
        (row) => row.orderId,
      ),
    ),
  };
}

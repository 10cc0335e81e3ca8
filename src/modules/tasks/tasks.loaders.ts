import DataLoader from 'dataloader';
import { oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

export function createTaskLoaders(prisma: Db) {
  return {
    taskById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.task.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
  };
}

import DataLoader from 'dataloader';
import { oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

export function createTimeClockLoaders(prisma: Db) {
  return {
    timeEntryById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.timeEntry.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
  };
}

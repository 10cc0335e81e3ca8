import DataLoader from 'dataloader';
import { oneByKey } from '../../infra/batch.js';
import type { Db } from '../../infra/db.js';

export function createApiKeyLoaders(prisma: Db) {
  return {
    apiKeyById: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await prisma.apiKey.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
  };
}

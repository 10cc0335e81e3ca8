import { defineModule } from '../module.js';
import { createApiKeyLoaders } from './api-keys.loaders.js';
import { apiKeysResolvers } from './api-keys.resolvers.js';
import { createApiKeysService } from './api-keys.service.js';

export const apiKeysModule = defineModule({
  name: 'api-keys',
  resolvers: [apiKeysResolvers],
  createServices: ({ prisma, logger }) => ({
    apiKeys: createApiKeysService({
      prisma,
      onTouchError: (error) => logger.warn({ component: 'api-keys', err: error }, 'could not record API key use'),
    }),
  }),
  createLoaders: createApiKeyLoaders,
  owners: { ApiKey: 'apiKeyById' },
});

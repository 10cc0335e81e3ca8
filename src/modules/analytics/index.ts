import { defineModule } from '../module.js';
import { analyticsResolvers } from './analytics.resolvers.js';
import { createAnalyticsService } from './analytics.service.js';

export const analyticsModule = defineModule({
  name: 'analytics',
  resolvers: [analyticsResolvers],
  createServices: ({ prisma }) => ({ analytics: createAnalyticsService({ prisma }) }),
});

import { defineModule } from '../module.js';
import { createTimeClockLoaders } from './time-clock.loaders.js';
import { timeClockResolvers } from './time-clock.resolvers.js';
import { createTimeClockService } from './time-clock.service.js';

export const timeClockModule = defineModule({
  name: 'time-clock',
  resolvers: [timeClockResolvers],
  createServices: ({ prisma }) => ({ timeClock: createTimeClockService({ prisma }) }),
  createLoaders: createTimeClockLoaders,
  owners: { TimeEntry: 'timeEntryById' },
  createMutationMetrics: (metrics) => ({ clockIn: () => metrics.increment('clock_ins') }),
});

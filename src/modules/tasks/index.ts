import { defineModule } from '../module.js';
import { createTaskLoaders } from './tasks.loaders.js';
import { tasksResolvers } from './tasks.resolvers.js';
import { createTasksService } from './tasks.service.js';

export const tasksModule = defineModule({
  name: 'tasks',
  resolvers: [tasksResolvers],
  createServices: ({ prisma, events }) => ({ tasks: createTasksService({ prisma, events }) }),
  createLoaders: createTaskLoaders,
  owners: { Task: 'taskById' },
  // The signed-in user's own assignments; Task's type-level @auth re-checks each one.
  tenancy: { 'Query.myTasks': 'viewer', 'Subscription.taskAssigned': 'viewer' },
  createMutationMetrics: (metrics) => ({ createTask: () => metrics.increment('tasks.created') }),
});

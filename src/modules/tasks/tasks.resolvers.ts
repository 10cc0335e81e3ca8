import type { GraphQLContext } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { Task } from '../../generated/prisma/client.js';
import { tasksSubscriptions } from './tasks.subscriptions.js';

/** Listed and changed tasks seed the per-request loader, so later reads by id see this version. */
function primed<T extends Task | Task[]>(tasks: T, { loaders }: GraphQLContext): T {
  for (const task of Array.isArray(tasks) ? tasks : [tasks]) loaders.taskById.clear(task.id).prime(task.id, task);
  return tasks;
}

export const tasksResolvers: Resolvers = {
  Subscription: tasksSubscriptions,
  Query: {
    task: (_parent, { id }, { loaders }) => loaders.taskById.load(id),
    tasks: async (_parent, { restaurantId, ...filters }, context) =>
      primed(await context.services.tasks.list(restaurantId, filters), context),
    myTasks: async (_parent, filters, context) => primed(await context.services.tasks.listMine(filters, context), context),
    overdueTasks: async (_parent, { restaurantId, first }, context) =>
      primed(await context.services.tasks.listOverdue(restaurantId, first), context),
  },
  Mutation: {
    createTask: async (_parent, { input }, context) => primed(await context.services.tasks.create(input, context), context),
    updateTask: async (_parent, { id, input }, context) => primed(await context.services.tasks.update(id, input, context), context),
    updateTaskStatus: async (_parent, { id, status }, context) =>
      primed(await context.services.tasks.updateStatus(id, status, context), context),
    assignTask: async (_parent, { id, assigneeId }, context) =>
      primed(await context.services.tasks.assign(id, assigneeId, context), context),
  },
  Task: {
    __resolveReference: ({ id }, { loaders }) => loaders.taskById.load(id),
    restaurant: async (task, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(task.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', task.restaurantId);
      return restaurant;
    },
    assignee: (task, _args, { loaders }) => (task.assigneeId ? loaders.userById.load(task.assigneeId) : null),
    createdBy: (task, _args, { loaders }) => (task.createdById ? loaders.userById.load(task.createdById) : null),
    isOverdue: (task) => task.status !== 'DONE' && task.dueAt !== null && task.dueAt < new Date(),
  },
};

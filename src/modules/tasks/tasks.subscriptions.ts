import type { GraphQLContext } from '../../context.js';
import type { SubscriptionResolvers } from '../../generated/graphql.js';

/** The viewer's own assignments; Task's type-level @auth re-checks membership for every event. */
export const tasksSubscriptions: SubscriptionResolvers<GraphQLContext> = {
  taskAssigned: {
    subscribe: (_parent, _args, { services, viewer }) => {
      const userId = viewer.kind === 'user' ? viewer.userId : null;
      return services.events.subscribe('taskAssigned', { where: (event) => event.assigneeId === userId });
    },
    resolve: async (event: { taskId: string }, _args: unknown, { loaders }: GraphQLContext) => {
      const task = await loaders.taskById.load(event.taskId);
      if (!task) throw new Error(`Task "${event.taskId}" vanished after its event.`);
      return task;
    },
  },
};

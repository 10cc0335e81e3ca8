import { NotFoundError } from '../../errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import { durationMinutes } from './time-entry-inputs.js';

export const timeClockResolvers: Resolvers = {
  Query: {
    currentTimeEntry: (_parent, { restaurantId }, context) => context.services.timeClock.current(restaurantId, context),
    timeEntries: (_parent, { restaurantId, ...filters }, context) => context.services.timeClock.list(restaurantId, filters, context),
    hoursWorked: (_parent, { restaurantId, ...args }, context) => context.services.timeClock.hoursWorked(restaurantId, args, context),
  },
  Mutation: {
    clockIn: (_parent, { restaurantId }, context) => context.services.timeClock.clockIn(restaurantId, context),
    clockOut: (_parent, { restaurantId }, context) => context.services.timeClock.clockOut(restaurantId, context),
    correctTimeEntry: (_parent, { id, input }, context) => context.services.timeClock.correct(id, input, context),
  },
  TimeEntry: {
    restaurant: async (entry, _args, { loaders }) => {
      const restaurant = await loaders.restaurantById.load(entry.restaurantId);
      if (!restaurant) throw new NotFoundError('Restaurant', entry.restaurantId);
      return restaurant;
    },
    user: async (entry, _args, { loaders }) => {
      const user = await loaders.userById.load(entry.userId);
      if (!user) throw new NotFoundError('User', entry.userId);
      return user;
    },
    durationMinutes: (entry) => durationMinutes(entry),
  },
  HoursWorked: {
    user: async (row, _args, { loaders }) => {
      const user = await loaders.userById.load(row.userId);
      if (!user) throw new NotFoundError('User', row.userId);
      return user;
    },
    hours: (row) => Math.round((row.minutes / 60) * 100) / 100,
  },
};

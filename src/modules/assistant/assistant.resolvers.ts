import type { Resolvers } from '../../generated/graphql.js';

export const assistantResolvers: Resolvers = {
  Query: {
    askAssistant: (_parent, { restaurantId, question }, { services }) => services.assistant.ask(restaurantId, question),
  },
};

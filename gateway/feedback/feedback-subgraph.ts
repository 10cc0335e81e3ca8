import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { type FeedbackEntry, FeedbackStore } from './feedback-store.js';

const typeDefs = parse(readFileSync(new URL('./feedback.graphql', import.meta.url), 'utf8'));

interface Context {
  authorization: string | undefined;
}

/**
 * A second, small subgraph that extends Servio's Restaurant, MenuItem, Order and User. It trusts
 * no caller input for identity: the Authorization header the gateway forwards is checked by
 * asking the Servio subgraph who it belongs to.
 */
export async function startFeedbackSubgraph(options: { port: number; servioUrl: string; store?: FeedbackStore }) {
  const store = options.store ?? new FeedbackStore();
  const asFeedback = (entry: FeedbackEntry) => ({ ...entry, author: { id: entry.authorId }, order: { id: entry.orderId } });
  const resolvers = {
    Restaurant: {
      feedbackUrl: (restaurant: { id: string }) => `https://feedback.servio.test/r/${restaurant.id}`,
    },
    MenuItem: {
      rating: (item: { id: string }) => {
        const stars = store.starsFor(item.id);
        return { count: stars.length, average: stars.length ? stars.reduce((sum, value) => sum + value, 0) / stars.length : null };
      },
    },
    Order: {
      feedback: (order: { id: string }) => {
        const entry = store.forOrder(order.id);
        return entry ? asFeedback(entry) : null;
      },
    },
    User: {
      feedbackGiven: (user: { id: string }) => store.byAuthor(user.id).map(asFeedback),
    },
    Mutation: {
      leaveFeedback: async (
        _: unknown,
        args: { orderId: string; menuItemId?: string | null; stars: number; comment?: string | null },
        context: Context,
      ) => {
        if (!Number.isInteger(args.stars) || args.stars < 1 || args.stars > 5) {
          throw new GraphQLError('stars must be from 1 to 5.', { extensions: { code: 'BAD_USER_INPUT', field: 'stars' } });
        }
        const authorId = await signedInUserId(options.servioUrl, context.authorization);
        return asFeedback(
          store.add({
            orderId: args.orderId,
            menuItemId: args.menuItemId ?? null,
            stars: args.stars,
            comment: args.comment ?? null,
            authorId,
          }),
        );
      },
    },
  };
  const server = new ApolloServer<Context>({
    // biome-ignore lint/suspicious/noExplicitAny: buildSubgraphSchema's resolver map type cannot express typed arguments.
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as any }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: options.port },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, store, close: () => server.stop() };
}

async function signedInUserId(servioUrl: string, authorization: string | undefined): Promise<string> {
  const response = await fetch(servioUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as { data?: { me?: { id: string } } };
  const id = body.data?.me?.id;
  if (!id) throw new GraphQLError('Sign in to leave feedback.', { extensions: { code: 'UNAUTHENTICATED' } });
  return id;
}

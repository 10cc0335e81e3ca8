/**
 * The limit of the stack Servio is built on, for the nested reads: Apollo Server on Fastify (the same
 * integration Servio uses) with a schema of just the fields the query asks for, whose one resolver takes
 * the page from the ceiling's own statement; graphql-js's default resolvers do the rest. No auth, limits,
 * cache or plugins. Whatever it reaches beside the ceiling is the most any Apollo + graphql-js server can.
 */
import { ApolloServer } from '@apollo/server';
import fastifyApollo from '@as-integrations/fastify';
import Fastify from 'fastify';
import pg from 'pg';
import { ordersPageStatement } from './orders-statement.js';
import { serveForBench } from './targets.js';

interface Settings {
  port: number;
  databaseUrl: string;
  poolSize: number;
}

const typeDefs = `#graphql
  enum OrderStatus { PENDING CONFIRMED PREPARING READY COMPLETED CANCELLED }
  type Money { amount: Int! currency: String! }
  type MenuItem { id: ID! name: String! }
  type OrderItem { name: String! quantity: Int! lineTotal: Money! menuItem: MenuItem }
  type Order { id: ID! status: OrderStatus! total: Money! items: [OrderItem!]! }
  type OrderEdge { node: Order! }
  type OrderConnection { edges: [OrderEdge!]! }
  type Query { orders(restaurantId: ID!, first: Int!): OrderConnection! }
`;

const settings = JSON.parse(process.argv[2] as string) as Settings;
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize });
const resolvers = {
  Query: {
    orders: async (_: unknown, args: { restaurantId: string; first: number }) => {
      const { rows } = await pool.query<{ body: string }>(ordersPageStatement, [args.restaurantId, args.first]);
      return (JSON.parse((rows[0] as { body: string }).body) as { data: { orders: unknown } }).data.orders;
    },
  },
};
const apollo = new ApolloServer({ typeDefs, resolvers });
await apollo.start();
const app = Fastify({ logger: false });
await app.register(fastifyApollo(apollo));
await serveForBench(app, settings.port, () => apollo.stop().then(() => pool.end()));

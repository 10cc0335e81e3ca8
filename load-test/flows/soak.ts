import { loadUserPassword } from '../data/load-data.js';
import { type Flow, type FlowContext, signIn } from './flow.js';
import { OrderWorker } from './order-worker.js';

const ordersPage =
  'query OrdersPage($r: ID!) { orders(restaurantId: $r, first: 10) { totalCount edges { node { id status total { amount } } } } }';
const menu = 'query Menu($slug: String!) { restaurant(slug: $slug) { name menu { name items { name price { amount currency } } } } }';

/**
 * Soak: a service's ordinary day at moderate load, writes and reads by the same staff (orders,
 * the order list, the menu), for long enough that a leak shows in the server's heap after GC.
 */
export function soakFlow({ client, recorder, data }: FlowContext): Flow {
  return {
    async startUser(index) {
      const user = data.users[index % data.users.length];
      if (!user) throw new Error('no generated users');
      const token = await signIn(client, user.email, loadUserPassword);
      const worker = new OrderWorker(client, recorder, user, token);
      let step = 0;
      return {
        async iteration() {
          const phase = step++ % 5;
          if (phase === 0) await worker.create();
          else if (phase === 1) await worker.readBack();
          else if (phase === 2)
            await client.graphql({ name: 'orders', limit: 'API', query: ordersPage, variables: { r: user.restaurant.id }, token });
          else if (phase === 3)
            await client.graphql({ name: 'restaurant menu', limit: 'API', query: menu, variables: { slug: user.restaurant.slug }, token });
          else await worker.advance();
        },
      };
    },
  };
}

import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadUserPassword } from '../data/load-data.js';
import { parseExposition, sumOf } from '../engine/prometheus-text.js';
import { type Flow, type FlowContext, signIn } from './flow.js';
import { OrderWorker } from './order-worker.js';

/** graphql-ws clients per restaurant that has writers. */
export const listenersPerRestaurant = 3;
/** How long after the last order the listeners may take to receive it. */
const deliveryGraceMs = 15_000;

interface Listener {
  client: Client;
  restaurantId: string;
  /** Order id → when its creation event arrived (performance.now()). */
  arrivals: Map<string, number>;
}

/**
 * Subscriptions: graphql-ws clients subscribed to `orderUpdated` for every restaurant the writers
 * use, while the writers (generated staff) create orders. Each creation must reach every listener of
 * its restaurant: delivery latency is from sending createOrder to the event's arrival, and an event
 * that never arrives is lost.
 */
export function subscriptionsFlow({ url, client, recorder, data }: FlowContext, writers: number): Flow {
  const listeners: Listener[] = [];
  const created: Array<{ id: string; sentAt: number; restaurantId: string }> = [];

  return {
    async setup() {
      const restaurants = data.restaurants.slice(0, Math.max(1, Math.min(writers, data.restaurants.length)));
      for (const [index, restaurant] of restaurants.entries()) {
        const user = data.users[index];
        if (!user) continue;
        const token = await signIn(client, user.email, loadUserPassword);
        for (let n = 0; n < listenersPerRestaurant; n++)
          listeners.push(listen(url, token, restaurant.id, (problem) => recorder.count(`subscription ${problem}`)));
      }
      await untilSubscribed(url, listeners.length);
    },
    async startUser(index) {
      const user = data.users[index % data.users.length];
      if (!user) throw new Error('no generated users');
      const worker = new OrderWorker(client, recorder, user, await signIn(client, user.email, loadUserPassword));
      return {
        async iteration() {
          const order = await worker.create();
          if (order) created.push({ ...order, restaurantId: user.restaurant.id });
          if (order) recorder.count('orders created');
        },
      };
    },
    async finish() {
      const expected = () =>
        created.flatMap((order) =>
          listeners.filter((listener) => listener.restaurantId === order.restaurantId).map((listener) => ({ order, listener })),
        );
      const deadline = Date.now() + deliveryGraceMs;
      while (Date.now() < deadline && expected().some(({ order, listener }) => !listener.arrivals.has(order.id))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const { order, listener } of expected()) {
        const arrivedAt = listener.arrivals.get(order.id);
        if (arrivedAt === undefined) recorder.count('lost events');
        else {
          recorder.count('delivered events');
          recorder.trend('delivery', arrivedAt - order.sentAt);
        }
      }
      recorder.count('lost events', 0);
      await Promise.all(listeners.map((listener) => listener.client.dispose()));
    },
  };
}

function listen(url: string, token: string, restaurantId: string, onProblem: (code: string) => void): Listener {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const arrivals = new Map<string, number>();
  client.subscribe<{ orderUpdated: { id: string; status: string } }>(
    { query: 'subscription Orders($r: ID!) { orderUpdated(restaurantId: $r) { id status } }', variables: { r: restaurantId } },
    {
      next: ({ data, errors }) => {
        if (errors?.length) onProblem(errors[0]?.extensions?.code ? `error ${errors[0].extensions.code}` : 'errors');
        if (data?.orderUpdated.status === 'PENDING') arrivals.set(data.orderUpdated.id, performance.now());
      },
      // A refused or dropped socket: graphql-ws passes the close event (code, and the server's reason).
      error: (error) => {
        const close = error as { code?: number; reason?: string };
        onProblem(`closed ${close.code ?? ''} ${close.reason ?? ''}`.trim());
      },
      complete: () => {},
    },
  );
  return { client, restaurantId, arrivals };
}

/** Waits (up to 15 s) until the server reports the listeners' subscriptions running, so no early order is missed. */
async function untilSubscribed(url: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/metrics`).catch(() => undefined);
    if (response?.status !== 200) return;
    const active =
      sumOf(parseExposition(await response.text()), 'servio_graphql_subscriptions_active', { subscription: 'orderUpdated' }) ?? 0;
    if (active >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `not all ${count} orderUpdated subscriptions started within 15 s: a server's WebSocket limits allow 50 connections per ` +
      'address (WS_MAX_CONNECTIONS_PER_IP) and 10 per user (WS_MAX_CONNECTIONS_PER_USER); see the "subscription closed" counters',
  );
}

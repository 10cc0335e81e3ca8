import { randomBytes } from 'node:crypto';
import type { LoadUser } from '../data/load-data.js';
import type { LoadClient } from '../engine/client.js';
import type { Recorder } from '../engine/recorder.js';

const createOrder = `mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) { id status total { amount currency } }
}`;
const readOrder = 'query ReadOrder($id: ID!) { order(id: $id) { id status items { name quantity } total { amount currency } } }';
const moveOrder = 'mutation MoveOrder($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id status } }';

const nextStatus: Record<string, string> = { PENDING: 'CONFIRMED', CONFIRMED: 'PREPARING', PREPARING: 'READY', READY: 'COMPLETED' };

/**
 * A waiter's order work, one request per call so each user keeps a human pace: create an order
 * (with an idempotency key; every fifth is retried with the same key, as a client would after a
 * lost answer, and must come back as the same order), read it back, move the oldest open order one
 * step (every tenth order is cancelled instead).
 */
export class OrderWorker {
  private created = 0;
  /** Keys are unique per worker: two scenarios' workers of one user must not replay each other's orders. */
  private readonly keyPrefix = `${randomBytes(4).toString('hex')}:`;
  private readonly open: Array<{ id: string; status: string; cancel: boolean }> = [];
  private lastCreated: { id: string; key: string; input: object } | undefined;

  constructor(
    private readonly client: LoadClient,
    private readonly recorder: Recorder,
    private readonly user: LoadUser,
    private readonly token: string,
  ) {}

  /** Creates an order; returns its id and when the mutation was sent. */
  async create(): Promise<{ id: string; sentAt: number } | undefined> {
    const { restaurant } = this.user;
    const n = this.created++;
    const key = `${this.keyPrefix}${this.user.email}:${n}`;
    const input = {
      restaurantId: restaurant.id,
      idempotencyKey: key,
      customerName: `Guest ${n}`,
      items: [
        { menuItemId: restaurant.menuItemIds[n % restaurant.menuItemIds.length], quantity: 1 + (n % 3) },
        { menuItemId: restaurant.menuItemIds[(n + 5) % restaurant.menuItemIds.length], quantity: 1, note: 'no onions' },
      ],
    };
    const answer = await this.client.graphql({
      name: 'createOrder',
      limit: 'API',
      query: createOrder,
      variables: { input },
      token: this.token,
    });
    const id: unknown = answer.data?.createOrder?.id;
    if (typeof id !== 'string') return undefined;
    this.open.push({ id, status: 'PENDING', cancel: n % 10 === 9 });
    this.lastCreated = { id, key, input };
    return { id, sentAt: answer.sentAt };
  }

  /** Every fifth order: the same createOrder again, which must answer the same order. */
  get replayDue(): boolean {
    return this.lastCreated !== undefined && this.created % 5 === 0;
  }

  async replay(): Promise<void> {
    const last = this.lastCreated;
    if (!last) return;
    this.lastCreated = undefined;
    const answer = await this.client.graphql({
      name: 'createOrder (retry)',
      limit: 'API',
      query: createOrder,
      variables: { input: last.input },
      token: this.token,
    });
    if (answer.ok) this.recorder.check('idempotent retry returns the same order', answer.data?.createOrder?.id === last.id);
  }

  async readBack(): Promise<void> {
    const latest = this.open.at(-1);
    if (!latest) return;
    const answer = await this.client.graphql({
      name: 'order',
      limit: 'API',
      query: readOrder,
      variables: { id: latest.id },
      token: this.token,
    });
    if (answer.ok) this.recorder.check('read back shows the created order', answer.data?.order?.id === latest.id);
  }

  async advance(): Promise<void> {
    const oldest = this.open[0];
    if (!oldest) return;
    const status = oldest.cancel && oldest.status === 'PENDING' ? 'CANCELLED' : (nextStatus[oldest.status] as string);
    const answer = await this.client.graphql({
      name: 'updateOrderStatus',
      limit: 'API',
      query: moveOrder,
      variables: { id: oldest.id, status },
      token: this.token,
    });
    if (!answer.ok) return;
    oldest.status = status;
    if (status === 'CANCELLED' || status === 'COMPLETED') this.open.shift();
  }
}

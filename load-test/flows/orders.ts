import { loadUserPassword } from '../data/load-data.js';
import { type Flow, type FlowContext, signIn } from './flow.js';
import { OrderWorker } from './order-worker.js';

/**
 * Order creation: virtual user `i` is generated staff member `i` (one user each, so per-user
 * limits are the real ones). It signs in once, then cycles: create, read back, move an order on.
 */
export function ordersFlow({ client, recorder, data }: FlowContext): Flow {
  return {
    async startUser(index) {
      const user = data.users[index % data.users.length];
      if (!user) throw new Error('no generated users');
      const worker = new OrderWorker(client, recorder, user, await signIn(client, user.email, loadUserPassword));
      let step = 0;
      return {
        async iteration() {
          const phase = step++ % 3;
          if (phase === 0) await (worker.replayDue ? worker.replay() : worker.create());
          else if (phase === 1) await worker.readBack();
          else await worker.advance();
        },
      };
    },
  };
}

import { demoPassword } from '../../src/demo/demo-restaurants.js';
import { demoRestaurantId } from '../demo-client.js';
import { mixedReads } from '../mixed-reads-workload.js';
import { type Flow, type FlowContext, signIn } from './flow.js';
import { countCache } from './menu.js';

/** Mixed reads on the demo data, as `npm run load:mixed` always did: user `i` starts at read `i`. */
export function mixedFlow({ url, client, recorder }: FlowContext): Flow {
  let list: ReturnType<typeof mixedReads> = [];
  return {
    async setup() {
      const [manager, staff, bistro] = await Promise.all([
        signIn(client, 'manager@demo-bistro.test', demoPassword),
        signIn(client, 'staff@harbor-grill.test', demoPassword),
        demoRestaurantId(url, 'demo-bistro'),
      ]);
      list = mixedReads({ manager, staff }, bistro);
    },
    async startUser(index) {
      let next = index;
      return {
        async iteration() {
          const read = list[next++ % list.length];
          if (!read) return;
          const limit = read.query.includes('salesAnalytics') ? 'HEAVY' : 'API';
          countCache(
            recorder,
            await client.graphql({ name: /^\{\s*(\w+)/.exec(read.query)?.[1] ?? 'read', limit, query: read.query, token: read.token }),
          );
        },
      };
    },
  };
}

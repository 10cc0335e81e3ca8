import type { Answer } from '../engine/client.js';
import type { Recorder } from '../engine/recorder.js';
import type { Flow, FlowContext } from './flow.js';

const publicMenu = '{ restaurant(slug: "demo-bistro") { id name menu { id name items { id name price { amount currency } available } } } }';

/** Counts an answer's `x-cache` header (HIT or MISS) for the cache hit rate. */
export function countCache(recorder: Recorder, answer: Answer): void {
  const state = answer.headers.get('x-cache');
  if (answer.ok && (state === 'HIT' || state === 'MISS')) recorder.count(`cache ${state}`);
}

/** Public menu: anonymous guests reading the demo bistro's menu back to back. */
export function menuFlow({ client, recorder }: FlowContext): Flow {
  return {
    async startUser() {
      return {
        async iteration() {
          countCache(recorder, await client.graphql({ name: 'restaurant menu (anonymous)', limit: 'API', query: publicMenu }));
        },
      };
    },
  };
}

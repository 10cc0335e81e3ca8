/**
 * npm run gateway -- [--port 4100] [--servio-url http://127.0.0.1:4000/graphql] [--feedback-port 4101]
 *                    [--subgraph-header "name: value"]…
 * Starts the feedback subgraph and Hive Gateway in front of it and Servio: the full supergraph.
 */
import { parseArgs } from 'node:util';
import { startFeedbackSubgraph } from './feedback/feedback-subgraph.js';
import { startGateway } from './gateway.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4100' },
    'servio-url': { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    'feedback-port': { type: 'string', default: '4101' },
    'subgraph-header': { type: 'string', multiple: true, default: [] },
  },
});
const subgraphHeaders = Object.fromEntries(
  values['subgraph-header'].map((header) => {
    const separator = header.indexOf(':');
    if (separator < 1) throw new Error(`--subgraph-header "${header}": expected "name: value"`);
    return [header.slice(0, separator).trim().toLowerCase(), header.slice(separator + 1).trim()];
  }),
);

const feedback = await startFeedbackSubgraph({ port: Number(values['feedback-port']), servioUrl: values['servio-url'] });
const gateway = await startGateway({
  port: Number(values.port),
  subgraphs: [
    { name: 'servio', url: values['servio-url'] },
    { name: 'feedback', url: feedback.url },
  ],
  subgraphHeaders,
});
console.log(`Gateway: ${gateway.url.replace('127.0.0.1', 'localhost')} (servio: ${values['servio-url']}, feedback: ${feedback.url})`);
const stop = async () => {
  await gateway.close();
  await feedback.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReporting } from '@apollo/server/plugin/usageReporting';
import type { Config } from '../config.js';

/**
 * Apollo usage reporting (GraphOS), from config only: APOLLO_KEY and APOLLO_GRAPH_REF both set →
 * the usage reporting plugin, posting to APOLLO_USAGE_REPORTING_ENDPOINT when given, else to
 * Apollo's own endpoint. Otherwise the explicit "disabled" plugin, so Apollo Server never installs
 * its default one from process.env behind config's back.
 *
 * - Never the variables' values or the HTTP headers (they hold tokens and customer phone numbers);
 *   error messages masked.
 * - Reports go out every 10 s and once more when the server stops.
 * - This server is a federation subgraph: behind a Router, the Router reports (from our inline
 *   traces) and these keys stay unset. Apollo logs a warning at start-up when they are set anyway.
 *   The ApolloServer `apollo` option must carry the same key and graph ref (see server.ts).
 */
export function createUsageReportingPlugin(config: Config['usageReporting']): ApolloServerPlugin<BaseContext> {
  if (config.kind === 'disabled') return ApolloServerPluginUsageReportingDisabled();
  return ApolloServerPluginUsageReporting({
    ...(config.endpointUrl ? { endpointUrl: config.endpointUrl } : {}),
    sendVariableValues: { none: true },
    sendHeaders: { none: true },
    sendErrors: { masked: true },
  });
}

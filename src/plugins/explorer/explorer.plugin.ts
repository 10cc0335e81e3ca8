import type { ApolloServerPlugin } from '@apollo/server';
import { explorerTabs } from './explorer-tabs.js';

/**
 * GraphiQL 5 with the explorer plugin as Apollo's landing page (GET /graphql from a browser).
 * Yoga's prebuilt page inlines every script, style and Monaco worker, so nothing is fetched from
 * a CDN and the explorer works offline. Imported only when enabled: the bundle is ~9 MB.
 */
export function createExplorerPlugin(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
      const html = renderGraphiQL({
        title: 'Servio API explorer',
        endpoint: '/graphql',
        subscriptionsProtocol: 'WS',
        defaultTabs: explorerTabs,
        // Tokens typed into the headers editor stay in this tab's memory, never in localStorage.
        shouldPersistHeaders: false,
      });
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}

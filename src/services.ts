import { type AccessTokens, createAccessTokens } from './auth/access-tokens.js';
import type { Infra } from './infra/infra.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createAssistantService } from './modules/assistant/assistant.service.js';
import { createOpenAiChat } from './modules/assistant/openai-chat.js';
import { createAuditLogService } from './modules/audit/audit-log.service.js';
import { createIdentityService } from './modules/identity/identity.service.js';
import { createInventoryService } from './modules/inventory/inventory.service.js';
import { createMenuService } from './modules/menu/menu.service.js';
import { createMenuManagementService } from './modules/menu/menu-management.service.js';
import { createOrdersService } from './modules/orders/orders.service.js';
import { createRestaurantsService } from './modules/restaurants/restaurants.service.js';
import { createTasksService } from './modules/tasks/tasks.service.js';
import { createTimeClockService } from './modules/time-clock/time-clock.service.js';

export type Services = ReturnType<typeof createServices>;

/** Every module's service, built once per server from the shared infrastructure. */
export function createServices(infra: Infra, accessTokens: AccessTokens) {
  const { prisma } = infra.db;
  const services = {
    identity: createIdentityService({ prisma, accessTokens, refreshTokenTtlDays: infra.config.auth.refreshTokenTtlDays }),
    apiKeys: createApiKeysService({
      prisma,
      onTouchError: (error) => infra.logger.warn({ component: 'api-keys', err: error }, 'could not record API key use'),
    }),
    menu: createMenuService({ prisma }),
    menuManagement: createMenuManagementService({ prisma }),
    inventory: createInventoryService({ prisma, events: infra.events }),
    orders: createOrdersService({ prisma, events: infra.events }),
    tasks: createTasksService({ prisma, events: infra.events }),
    timeClock: createTimeClockService({ prisma }),
    events: infra.events,
    analytics: createAnalyticsService({ prisma }),
    auditLogs: createAuditLogService({ prisma }),
    restaurants: createRestaurantsService({ prisma }),
  };
  const { assistant: assistantConfig } = infra.config;
  const assistant = createAssistantService({
    prisma,
    services,
    chat: assistantConfig.kind === 'openai' ? createOpenAiChat(assistantConfig, infra.externalServices) : null,
    metrics: infra.metrics,
    logger: infra.logger,
  });
  return { ...services, assistant };
}

/** Development without JWT_SECRET gets a per-process secret: tokens die with the process. */
export function createAccessTokensFor(infra: Infra): AccessTokens {
  const secret = infra.config.jwtSecret ?? crypto.randomUUID() + crypto.randomUUID();
  return createAccessTokens(secret, infra.config.auth.accessTokenTtlSeconds);
}

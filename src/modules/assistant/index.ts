import { defineModule, requireServices } from '../module.js';
import { assistantResolvers } from './assistant.resolvers.js';
import { createAssistantService } from './assistant.service.js';
import type { AssistantToolServices } from './assistant-tools.js';
import { createOpenAiChat } from './openai-chat.js';

export const assistantModule = defineModule({
  name: 'assistant',
  resolvers: [assistantResolvers],
  createServices: ({ prisma, config, externalServices, metrics, logger, services }) => ({
    assistant: createAssistantService({
      prisma,
      services: requireServices<AssistantToolServices>(services, ['analytics', 'inventory', 'menu', 'tasks']),
      chat: config.assistant.kind === 'openai' ? createOpenAiChat(config.assistant, externalServices) : null,
      metrics,
      logger,
    }),
  }),
});

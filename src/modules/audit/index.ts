import { defineModule } from '../module.js';
import { auditResolvers } from './audit.resolvers.js';
import { createAuditLogService } from './audit-log.service.js';

export const auditModule = defineModule({
  name: 'audit',
  resolvers: [auditResolvers],
  createServices: ({ prisma }) => ({ auditLogs: createAuditLogService({ prisma }) }),
  restaurantRows: ['AuditLog'],
});

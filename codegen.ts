import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types from the SDL in schema/. Parents are the Prisma models the resolvers return,
 * so a resolver that forgets a field, or returns the wrong shape, fails `npm run check`.
 * The output is generated on install and before checks, never committed, so it cannot go stale.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/graphql.ts': {
      plugins: [{ add: { content: '// biome-ignore-all lint: generated file' } }, 'typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        useIndexSignature: false,
        contextType: '../context.js#GraphQLContext',
        mappers: {
          Restaurant: './prisma/client.js#Restaurant as RestaurantModel',
          MenuCategory: './prisma/client.js#MenuCategory as MenuCategoryModel',
          MenuItem: './prisma/client.js#MenuItem as MenuItemModel',
          User: './prisma/client.js#User as UserModel',
          Membership: './prisma/client.js#Membership as MembershipModel',
          ApiKey: './prisma/client.js#ApiKey as ApiKeyModel',
          CreatedApiKey: '../modules/api-keys/api-keys.service.js#CreatedApiKey as CreatedApiKeyModel',
          AuthPayload: '../modules/identity/identity.service.js#Session as SessionModel',
          Order: './prisma/client.js#Order as OrderModel',
          AuditLog: './prisma/client.js#AuditLog as AuditLogModel',
          SalesAnalytics: '../modules/analytics/analytics.service.js#AnalyticsPeriod',
          OrderItem: './prisma/client.js#OrderItem as OrderItemModel',
          InventoryItem: './prisma/client.js#InventoryItem as InventoryItemModel',
          InventoryAdjustment: './prisma/client.js#InventoryAdjustment as InventoryAdjustmentModel',
          MenuItemIngredient: './prisma/client.js#MenuItemIngredient as MenuItemIngredientModel',
          Task: './prisma/client.js#Task as TaskModel',
          TimeEntry: './prisma/client.js#TimeEntry as TimeEntryModel',
          HoursWorked: '../modules/time-clock/hours-worked.js#HoursWorkedRow as HoursWorkedModel',
        },
        scalars: { ID: 'string', DateTime: 'Date', Decimal: 'string' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;

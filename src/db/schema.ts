// The data model, in two files: control-plane tables (schema-control.ts) and tenant-data tables
// (schema-tenant.ts). This barrel is what drizzle-kit and the rest of the code import.
import {
	auditChainHeads,
	auditEvents,
	auditRetentionGate,
	dataExports,
	invoiceCache,
	notificationPreferences,
	notifications,
	usageAlerts,
	usageEvents,
	usageRollups,
	usageWatermarks,
} from "./schema-tenant.ts";

export * from "./schema-control.ts";
export * from "./schema-tenant.ts";

/** Tables whose every row belongs to one organization: reachable only through `tenantData()`. */
export const tenantTables = {
	auditEvents,
	notifications,
	notificationPreferences,
	dataExports,
	invoiceCache,
	usageEvents,
	usageRollups,
	usageWatermarks,
	usageAlerts,
	auditChainHeads,
	auditRetentionGate,
} as const;
export type TenantTable = (typeof tenantTables)[keyof typeof tenantTables];

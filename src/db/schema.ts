// The data model: control-plane tables (schema-control.ts, schema-main.ts, schema-operators.ts), tenant-data
// tables (schema-tenant.ts) and support (schema-support.ts: tickets are tenant data, the knowledge base is
// not). This barrel is what drizzle-kit and the rest of the code import.

import { portalEvents, ticketAttachments, ticketMessages, tickets } from "./schema-support.ts";
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
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "./schema-webhooks.ts";

export * from "./schema-control.ts";
export * from "./schema-directory.ts";
export * from "./schema-infra.ts";
export * from "./schema-main.ts";
export * from "./schema-operators.ts";
export * from "./schema-retention.ts";
export * from "./schema-sso.ts";
export * from "./schema-support.ts";
export * from "./schema-tenant.ts";
export * from "./schema-webhooks.ts";

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
	tickets,
	ticketMessages,
	ticketAttachments,
	portalEvents,
	webhookEndpoints,
	webhookEvents,
	webhookDeliveries,
	webhookAttempts,
} as const;
export type TenantTable = (typeof tenantTables)[keyof typeof tenantTables];

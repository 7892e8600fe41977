// Searching the audit log of one organization: filters, free text and a (createdAt, id) cursor, newest first.
import { and, desc, eq, gte, like, lt, lte, or, sql } from "drizzle-orm";
import { auditEvents } from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export interface AuditFilter {
	actor?: string | undefined;
	area?: string | undefined;
	targetType?: string | undefined;
	targetId?: string | undefined;
	fromMs?: number | undefined;
	toMs?: number | undefined;
	q?: string | undefined;
}

function escapeLike(text: string): string {
	return text.replace(/[%_\\]/g, "\\$&");
}

export function auditWhere(f: AuditFilter, before: { createdAt: number; id: string } | null) {
	const pattern = (text: string) => `%${escapeLike(text)}%`;
	return and(
		f.actor ? sql`${auditEvents.actorLabel} like ${pattern(f.actor)} escape '\\'` : undefined,
		f.area ? like(auditEvents.action, `${escapeLike(f.area)}.%`) : undefined,
		f.targetType ? eq(auditEvents.targetType, f.targetType) : undefined,
		f.targetId ? eq(auditEvents.targetId, f.targetId) : undefined,
		f.fromMs !== undefined ? gte(auditEvents.createdAt, f.fromMs) : undefined,
		f.toMs !== undefined ? lte(auditEvents.createdAt, f.toMs) : undefined,
		f.q
			? or(
					sql`${auditEvents.actorLabel} like ${pattern(f.q)} escape '\\'`,
					sql`${auditEvents.action} like ${pattern(f.q)} escape '\\'`,
					sql`coalesce(${auditEvents.targetId}, '') like ${pattern(f.q)} escape '\\'`,
					sql`${auditEvents.metadata} like ${pattern(f.q)} escape '\\'`,
				)
			: undefined,
		before
			? or(
					lt(auditEvents.createdAt, before.createdAt),
					and(eq(auditEvents.createdAt, before.createdAt), lt(auditEvents.id, before.id)),
				)
			: undefined,
	);
}

export async function searchAudit(
	tenant: TenantData,
	f: AuditFilter,
	before: { createdAt: number; id: string } | null,
	limit: number,
) {
	const rows = await tenant
		.select(auditEvents, auditWhere(f, before))
		.orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
		.limit(limit);
	return rows;
}

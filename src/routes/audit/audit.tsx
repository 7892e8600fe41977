// The audit log viewer (`audit:read`), its streamed export, and integrity verification (Owners).
import { type Context, Hono } from "hono";
import { parseAuditFilters } from "../../audit/filters.ts";
import { verifyAuditLog } from "../../audit/verify.ts";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { searchAudit } from "../../db/audit-search.ts";
import { dateFormats } from "../../lib/dates.ts";
import { me, requirePermission, signedIn, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { AuditLogPage } from "../../views/pages/audit/audit-log.tsx";
import { renderPage } from "../../views/render.tsx";

export const auditRoutes = new Hono<AppEnv>();
auditRoutes.use("*", requirePermission("audit:read"));

const PAGE = 50;

async function auditPage(c: Context<AppEnv>, verification?: Parameters<typeof AuditLogPage>[0]["verification"]) {
	const viewer = me(c);
	const { tenant } = tenantOf(c);
	const parsed = parseAuditFilters(c.req.query());
	const events = await searchAudit(tenant, parsed.filter, parsed.cursor, PAGE + 1);
	const last = events[PAGE - 1];
	return renderPage(c, {
		title: "Audit log",
		body: (
			<AuditLogPage
				events={events.slice(0, PAGE)}
				timeZone={viewer.timeZone}
				locale={viewer.locale}
				query={parsed.query}
				problems={parsed.problems}
				nextCursor={events.length > PAGE && last ? `${last.createdAt}.${last.id}` : null}
				canVerify={can(viewer.membership, "danger:manage")}
				verification={verification}
			/>
		),
	});
}

auditRoutes.get("/", (c) => auditPage(c));

auditRoutes.post("/verify", async (c) => {
	const viewer = signedIn(c);
	if (!viewer || !can(viewer.membership, "danger:manage"))
		return c.html("Only an Owner can verify the audit log.", 403);
	const result = await verifyAuditLog(unitOf(c));
	const when = { format: dateFormats(viewer).dateTime };
	return auditPage(
		c,
		result.ok
			? { ok: true, checked: result.checked }
			: {
					ok: false,
					checked: result.checked,
					brokenAt: {
						id: result.brokenAt.id,
						when: when.format(result.brokenAt.createdAt),
						reason: result.brokenAt.reason,
					},
				},
	);
});

/** The current filter as CSV or JSON Lines, streamed page by page so any size fits. */
auditRoutes.get("/export", async (c) => {
	const { org, tenant } = tenantOf(c);
	const parsed = parseAuditFilters(c.req.query());
	const format = c.req.query("format") === "jsonl" ? "jsonl" : "csv";
	const columns = [
		"createdAt",
		"id",
		"actorType",
		"actorLabel",
		"action",
		"targetType",
		"targetId",
		"ip",
		"metadata",
	] as const;
	const cell = (v: unknown) => {
		let t = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
		if (/^[=+\-@]/.test(t)) t = `'${t}`;
		return /[",\n\r]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
	};
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			if (format === "csv") controller.enqueue(encoder.encode(`${columns.join(",")}\r\n`));
			let cursor = parsed.cursor;
			for (;;) {
				const page = await searchAudit(tenant, parsed.filter, cursor, 500);
				for (const e of page) {
					const { orgId: _o, prevHash: _p, hash: _h, userAgent: _u, ...row } = e;
					controller.enqueue(
						encoder.encode(
							format === "csv" ? `${columns.map((col) => cell(e[col])).join(",")}\r\n` : `${JSON.stringify(row)}\n`,
						),
					);
				}
				const last = page[page.length - 1];
				if (page.length < 500 || !last) break;
				cursor = { createdAt: last.createdAt, id: last.id };
			}
			controller.close();
		},
	});
	return c.body(stream, 200, {
		"content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
		"content-disposition": `attachment; filename="${org.slug}-audit.${format}"`,
	});
});

// Data exports: Owners and Admins (`settings:manage`) export the organization, any member exports
// their own data. Built in the background; the download is a signed link valid for 7 days.

import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { findExport, listExports } from "../../db/exports.ts";
import { downloadUrl } from "../../exports/build.ts";
import { requestExport } from "../../exports/service.ts";
import { verifyDownload } from "../../exports/signing.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { ExportsPage } from "../../views/pages/settings/exports.tsx";
import { renderPage } from "../../views/render.tsx";

export const exportRoutes = new Hono<AppEnv>();
exportRoutes.use("/settings/export", requirePermission("settings:manage"));
exportRoutes.use("/account/export", requireMember);

async function exportsPage(c: Context<AppEnv>, kind: "organization" | "personal") {
	const viewer = me(c);
	const { tenant } = tenantOf(c);
	const all = await listExports(tenant, kind === "personal" ? viewer.userId : null);
	const when = { format: dateFormats(viewer).dateTime };
	const origin = new URL(c.req.url).origin;
	const rows = await Promise.all(
		all
			.filter((e) => e.kind === kind)
			.map(async (e) => ({
				id: e.id,
				status: e.status,
				requested: when.format(e.createdAt),
				expires: e.expiresAt ? when.format(e.expiresAt) : null,
				size: e.sizeBytes ? `${Math.max(1, Math.round(e.sizeBytes / 1024))} KB` : null,
				downloadUrl:
					e.status === "ready" && e.expiresAt && e.expiresAt > Date.now()
						? await downloadUrl(c.env, origin, e.id, e.expiresAt)
						: null,
			})),
	);
	return renderPage(c, {
		title: "Data export",
		body: (
			<ExportsPage
				kind={kind}
				rows={rows}
				notice={
					c.req.query("notice") === "requested" ? "Export requested. We will tell you when it is ready." : undefined
				}
			/>
		),
	});
}

async function requestExportFor(c: Context<AppEnv>, kind: "organization" | "personal") {
	await requestExport(unitOf(c), kind);
	return redirectTo(c, `${kind === "organization" ? "/settings/export" : "/account/export"}?notice=requested`);
}

exportRoutes.get("/settings/export", (c) => exportsPage(c, "organization"));
exportRoutes.post("/settings/export", (c) => requestExportFor(c, "organization"));
exportRoutes.get("/account/export", (c) => exportsPage(c, "personal"));
exportRoutes.post("/account/export", (c) => requestExportFor(c, "personal"));

exportRoutes.get(
	"/exports/:id/download",
	validate("param", z.object({ id: z.string().regex(/^evt_[0-9a-z]{26}$/, { error: "Unknown export." }) })),
	validate("query", z.object({ expires: z.coerce.number().int(), sig: z.string().max(64) })),
	async (c) => {
		const { id } = c.req.valid("param");
		const { expires, sig } = c.req.valid("query");
		const key = c.env.EXPORT_SIGNING_KEY;
		if (!key || !(await verifyDownload(key, id, expires, sig, Date.now()))) {
			throw new AppError("not_found", "This download link is not valid or has expired. Request a new export.");
		}
		const { tenant } = tenantOf(c);
		// The link is signed for an id; the export must still belong to this organization and be ready.
		const record = await findExport(tenant, id);
		if (record?.status !== "ready" || !record.objectKey || (record.expiresAt ?? 0) < Date.now()) {
			throw new AppError("not_found", "This export is no longer available. Request a new one.");
		}
		const object = await c.env.FILES?.get(record.objectKey);
		if (!object) throw new AppError("not_found", "This export is no longer available. Request a new one.");
		const day = new Date(record.createdAt).toISOString().slice(0, 10);
		return c.body(object.body, 200, {
			"content-type": "application/zip",
			"content-disposition": `attachment; filename="${record.kind}-export-${day}.zip"`,
			"cache-control": "private, no-store",
		});
	},
);

// Builds a data export: reads the rows (the audit log by cursor, a page at a time), writes JSON and CSV
// files into a compressed ZIP as they come, uploads it to the FILES bucket in parts, and tells the
// person who asked (in the app and by email, with a signed link). Memory stays at one page of rows and
// one 5 MiB part, whatever the organization's history.
import type { Db } from "../db/client.ts";
import {
	AUDIT_EXPORT_COLUMNS,
	auditPageForExport,
	completeExport,
	failExport,
	findExport,
	organizationExportData,
	personalExportData,
} from "../db/exports.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { exportKey, putStreamed } from "../files/storage.ts";
import { log } from "../lib/log.ts";
import { notify } from "../notifications/notify.ts";
import type { Brand } from "../views/brand.ts";
import { csvRows, toCsv } from "./csv.ts";
import { signDownload } from "./signing.ts";
import { ZipWriter } from "./zip.ts";

export const EXPORT_LINK_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ExportJob {
	orgId: string;
	exportId: string;
	origin: string;
	brand: Brand;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** Audit events per read while an export streams the log. */
export const EXPORT_PAGE = 1000;

type AuditExportRow = Awaited<ReturnType<typeof auditPageForExport>>[number];

/** The audit log a page at a time (all of it, or one person's actions). */
async function* auditPages(tenant: TenantData, actorId?: string): AsyncGenerator<AuditExportRow[]> {
	let after: { createdAt: number; id: string } | null = null;
	for (;;) {
		const page = await auditPageForExport(tenant, after, EXPORT_PAGE, actorId);
		if (page.length > 0) yield page;
		const last = page.at(-1);
		if (!last || page.length < EXPORT_PAGE) return;
		after = { createdAt: last.createdAt, id: last.id };
	}
}

async function* auditJson(tenant: TenantData, actorId?: string): AsyncGenerator<string> {
	let first = true;
	yield "[";
	for await (const page of auditPages(tenant, actorId)) {
		yield `${first ? "\n" : ",\n"}${page.map((row) => `  ${JSON.stringify(row)}`).join(",\n")}`;
		first = false;
	}
	yield first ? "]\n" : "\n]\n";
}

async function* auditCsv(tenant: TenantData, actorId?: string): AsyncGenerator<string> {
	yield `${AUDIT_EXPORT_COLUMNS.join(",")}\r\n`;
	for await (const page of auditPages(tenant, actorId)) yield csvRows(page, AUDIT_EXPORT_COLUMNS);
}

export interface ExportFile {
	name: string;
	content: string | AsyncIterable<string>;
}

export async function exportFiles(
	main: Db,
	tenant: TenantData,
	kind: "organization" | "personal",
	userId: string,
): Promise<ExportFile[]> {
	const generated = new Date().toISOString();
	if (kind === "organization") {
		const data = await organizationExportData(main, tenant);
		return [
			{
				name: "README.txt",
				content: `Organization data export of ${data.organization?.name ?? tenant.orgId}, made ${generated}.\nJSON and CSV files; times are UTC milliseconds. No secrets (passwords, tokens, keys) are included.\nSupport tickets carry the messages you and support exchanged (support's internal notes are not yours to export).\n`,
			},
			{ name: "organization.json", content: json(data.organization) },
			{ name: "members.json", content: json(data.members) },
			{ name: "members.csv", content: toCsv(data.members) },
			{ name: "roles.json", content: json(data.roles) },
			{
				name: "invitations.csv",
				content: toCsv(data.invitations, ["email", "role", "createdAt", "expiresAt", "acceptedAt", "revokedAt"]),
			},
			{ name: "api_keys.json", content: json(data.keys) },
			{ name: "audit_log.json", content: auditJson(tenant) },
			{ name: "audit_log.csv", content: auditCsv(tenant) },
			{ name: "domains.json", content: json(data.domains) },
			{ name: "tickets.json", content: json(data.tickets) },
		];
	}
	const data = await personalExportData(main, tenant, userId);
	return [
		{
			name: "README.txt",
			content: `Personal data export made ${generated}. Times are UTC milliseconds. No secrets are included.\n`,
		},
		{ name: "profile.json", content: json(data.profile) },
		{ name: "organizations.json", content: json(data.organizations) },
		{ name: "sessions.csv", content: toCsv(data.sessions) },
		{ name: "audit_log.csv", content: auditCsv(tenant, userId) },
		{ name: "notifications.json", content: json(data.notifications) },
		{ name: "tickets.json", content: json(data.tickets) },
	];
}

export async function downloadUrl(
	bindings: Bindings,
	origin: string,
	exportId: string,
	expiresAt: number,
): Promise<string> {
	if (!bindings.EXPORT_SIGNING_KEY) throw new Error("EXPORT_SIGNING_KEY is not configured");
	const sig = await signDownload(bindings.EXPORT_SIGNING_KEY, exportId, expiresAt);
	return `${origin}/exports/${exportId}/download?expires=${expiresAt}&sig=${sig}`;
}

export async function buildExport(
	bindings: Bindings,
	main: Db,
	tenant: TenantData,
	job: ExportJob,
	nowMs = Date.now(),
): Promise<void> {
	const record = await findExport(tenant, job.exportId);
	if (record?.status !== "pending") return;
	if (!bindings.FILES) throw new Error("the FILES bucket is not bound");
	try {
		const key = exportKey(tenant.orgId, record.id);
		const files = await exportFiles(main, tenant, record.kind, record.requestedBy);
		// Streamed: rows are read a page at a time, compressed and uploaded in 5 MiB parts.
		const sizeBytes = await putStreamed(bindings.FILES, key, "application/zip", async (sink) => {
			const archive = new ZipWriter(sink, nowMs);
			for (const file of files) await archive.add(file.name, file.content);
			return archive.finish();
		});
		const expiresAt = nowMs + EXPORT_LINK_DAYS * DAY_MS;
		await completeExport(tenant, record.id, {
			objectKey: key,
			sizeBytes,
			expiresAt,
			completedAt: nowMs,
		});
		const url = await downloadUrl(bindings, job.origin, record.id, expiresAt);
		await notify(
			{ main, tenant, bindings, brand: job.brand, origin: job.origin },
			{ userIds: [record.requestedBy] },
			{
				category: "security",
				title:
					record.kind === "organization"
						? "Your organization's data export is ready"
						: "Your personal data export is ready",
				body: `Download it within ${EXPORT_LINK_DAYS} days: ${url}`,
				link: record.kind === "organization" ? "/settings/export" : "/account/export",
			},
		);
	} catch (error) {
		log("error", "export failed", { orgId: tenant.orgId, exportId: record.id, error });
		await failExport(tenant, record.id);
		throw error;
	}
}

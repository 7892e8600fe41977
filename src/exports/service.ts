// Requesting a data export: the record and its audit event in one batch, then the build — on the
// export queue, or inline where there is none (development, tests with EXPORT_DELIVERY=inline).
import { commit, type Unit } from "../audit/unit.ts";
import { insertExport } from "../db/exports.ts";
import { buildExport, type ExportJob } from "./build.ts";

export async function requestExport(unit: Unit, kind: "organization" | "personal"): Promise<void> {
	const record = insertExport(unit.tenant, kind, unit.by.userId);
	await commit(
		unit,
		{ action: "export.requested", target: { type: "export", id: record.id }, metadata: { kind } },
		{ tenant: [record.query] },
	);
	const job: ExportJob = {
		orgId: unit.tenant.orgId,
		exportId: record.id,
		origin: unit.notices.origin,
		brand: unit.notices.brand,
	};
	const bindings = unit.notices.bindings;
	if (bindings.EXPORT_DELIVERY !== "inline" && bindings.EXPORT_QUEUE) await bindings.EXPORT_QUEUE.send(job);
	else await buildExport(bindings, unit.db, unit.tenant, job);
}

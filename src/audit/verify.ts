// Verifying the organization's audit log (its hash chain), recorded in the log itself.
import { auditInsert } from "../db/audit.ts";
import { verifyTenant } from "./chain.ts";
import type { Unit } from "./unit.ts";

export async function verifyAuditLog(unit: Unit) {
	const result = await verifyTenant(unit.tenant);
	await auditInsert(unit.tenant, unit.actor, {
		action: "audit.verified",
		metadata: { ok: result.ok, checked: result.checked },
	});
	return result;
}

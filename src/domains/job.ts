// The hourly domain check of one organization: every portal domain (verified or waiting) and the email
// domain. A domain that stops checking out is disabled, audited and reported to its managers.

import { auditInsert } from "../db/audit.ts";
import { findOrganizationById } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import { listDomains } from "../db/domains.ts";
import { orgData } from "../db/org-data.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";
import { checkDomain, checkEmailDomain } from "./check.ts";
import { customHostnamesFor } from "./custom-hostnames.ts";

const SYSTEM = { type: "system" as const, id: null, label: "Domain checks" };

export async function checkOrganizationDomains(
	bindings: Bindings,
	main: Db,
	tenant: TenantData,
	origin: string,
	nowMs: number,
): Promise<{ domains: number; disabled: number }> {
	const org = await findOrganizationById(main, tenant.orgId);
	if (!org) return { domains: 0, disabled: 0 };
	const rows = (await listDomains(orgData({ orgId: org.id, db: main }))).filter((d) => d.verifiedAt || !d.disabledAt);
	const hostnames = customHostnamesFor(bindings);
	let disabled = 0;
	for (const domain of rows) {
		const { outcome, problem } = await checkDomain(bindings, main, hostnames, domain, nowMs);
		if (outcome === "verified") {
			await auditInsert(tenant, SYSTEM, {
				action: "domain.verified",
				target: { type: "domain", id: domain.id },
				metadata: { hostname: domain.hostname },
			});
		}
		if (outcome !== "disabled") continue;
		disabled++;
		await auditInsert(tenant, SYSTEM, {
			action: "domain.disabled",
			target: { type: "domain", id: domain.id },
			metadata: { hostname: domain.hostname, problem },
		});
		await notify(
			{ main, tenant, bindings, brand: brandOf(org), origin },
			{ permission: "domains:manage" },
			{
				category: "security",
				title: `${domain.hostname} was disabled`,
				body: `Its DNS records no longer point to the portal (${problem ?? "records missing"}), so it stopped serving your portal. Restore the records and check it again.`,
				link: "/settings/domains",
			},
		);
	}
	if (org.mailDomain && org.mailDomainVerifiedAt) {
		const mail = await checkEmailDomain(bindings, main, org, nowMs);
		if (!mail.ok && !mail.transient) {
			await auditInsert(tenant, SYSTEM, {
				action: "organization.mail_domain_unverified",
				metadata: { mailDomain: org.mailDomain, problem: mail.problem },
			});
		}
	}
	return { domains: rows.length, disabled };
}

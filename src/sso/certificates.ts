// The daily certificate-expiry pass of one organization's SAML connection: a notice to the holders of
// `sso:manage` 30 days and 7 days before a signing certificate expires. The notice row's primary key
// decides "once": the insert that wins sends it, a rerun (or a concurrent one) finds it taken.
import { auditInsert } from "../db/audit.ts";
import { findOrganizationById } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import { orgData } from "../db/org-data.ts";
import { claimCertificateNotice, findConnection } from "../db/sso.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { DAY_MS } from "../metrics/figures.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";

/** Notices go out when this many days (or fewer) are left; the nearest threshold reached is sent. */
export const CERTIFICATE_NOTICE_DAYS = [30, 7] as const;
const SYSTEM = { type: "system" as const, id: null, label: "Certificate checks" };

/** The threshold a certificate expiring at `notAfter` has reached, or null (far off, or expired). */
export function noticeThreshold(notAfter: number, nowMs: number): number | null {
	const left = notAfter - nowMs;
	if (left <= 0) return null;
	const reached = CERTIFICATE_NOTICE_DAYS.filter((days) => left <= days * DAY_MS);
	return reached.length > 0 ? Math.min(...reached) : null;
}

export async function checkCertificateExpiry(
	bindings: Bindings,
	main: Db,
	tenant: TenantData,
	origin: string,
	nowMs: number,
): Promise<{ notices: number }> {
	const org = orgData({ orgId: tenant.orgId, db: main });
	const connection = await findConnection(org);
	if (connection?.protocol !== "saml") return { notices: 0 };
	let notices = 0;
	for (const certificate of connection.samlCertificates) {
		const days = noticeThreshold(certificate.notAfter, nowMs);
		if (days === null) continue;
		if (!(await claimCertificateNotice(org, certificate.fingerprint, days))) continue;
		const organization = await findOrganizationById(main, tenant.orgId);
		if (!organization) break;
		notices++;
		const left = Math.ceil((certificate.notAfter - nowMs) / DAY_MS);
		const on = new Date(certificate.notAfter).toISOString().slice(0, 10);
		await auditInsert(tenant, SYSTEM, {
			action: "sso.certificate_expiring",
			target: { type: "sso_connection", id: tenant.orgId },
			metadata: { fingerprint: certificate.fingerprint, subject: certificate.subject, notAfter: on, daysBefore: days },
		});
		await notify(
			{ main, tenant, bindings, brand: brandOf(organization), origin },
			{ permission: "sso:manage" },
			{
				category: "security",
				title: `Your identity provider's SAML certificate expires in ${left} day${left === 1 ? "" : "s"}`,
				body: `The signing certificate ${certificate.subject} (${certificate.fingerprint.slice(0, 23)}…) expires on ${on}. After that, nobody can sign in with SSO until the new certificate is added: refresh the metadata or upload it on the single sign-on page.`,
				link: "/settings/sso",
			},
		);
	}
	return { notices };
}

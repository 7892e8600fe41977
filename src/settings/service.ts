// Organization settings verbs: details and billing contact (synced to Stripe), the MFA requirement,
// branding, the logo and favicon, deletion and restore. Each commits with its audit event, which
// records the fields that changed (never a secret).
import { changedFields } from "../audit/changes.ts";
import { commit, type Unit } from "../audit/unit.ts";
import { syncCustomerDetails } from "../billing/service.ts";
import { stripeClient } from "../billing/stripe.ts";
import { type BrandingInput, setFavicon, updateBranding } from "../db/branding.ts";
import {
	deleteOrganizationSessions,
	restoreOrganization as restoreOrganizationQuery,
	scheduleDeletion,
	setLogo,
	setRequireMfa,
	updateOrganizationSettings,
} from "../db/organizations.ts";
import { log } from "../lib/log.ts";
import { notify } from "../notifications/notify.ts";

export const DELETION_GRACE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type OrganizationSettings = Parameters<typeof updateOrganizationSettings>[2];

export async function saveOrganizationSettings(
	unit: Unit,
	org: OrganizationSettings & { stripeCustomerId: string | null },
	next: OrganizationSettings,
): Promise<void> {
	const before: OrganizationSettings = {
		name: org.name,
		legalName: org.legalName,
		billingEmail: org.billingEmail,
		billingAddress: org.billingAddress,
		taxIdType: org.taxIdType,
		taxIdValue: org.taxIdValue,
	};
	await commit(
		unit,
		{
			action: "organization.settings_changed",
			target: { type: "organization", id: unit.tenant.orgId },
			metadata: changedFields(before, next),
		},
		{ control: [updateOrganizationSettings(unit.db, unit.tenant.orgId, next)] },
	);
	const bindings = unit.notices.bindings;
	if (org.stripeCustomerId && bindings.STRIPE_SECRET_KEY) {
		// Stripe gets the same details; a failure here is repaired by the next save, never blocks this one.
		await syncCustomerDetails(stripeClient(bindings), org.stripeCustomerId, {
			name: next.legalName ?? next.name,
			billingEmail: next.billingEmail,
			address: next.billingAddress,
			taxId: next.taxIdType && next.taxIdValue ? { type: next.taxIdType, value: next.taxIdValue } : null,
		}).catch((error: unknown) => log("warn", "stripe customer sync failed", { requestId: unit.requestId, error }));
	}
}

/** Requiring MFA needs the admin's own MFA first, so nobody locks themselves out; false when refused. */
export async function setMfaRequirement(
	unit: Unit,
	org: { requireMfa: boolean },
	requireMfa: boolean,
	actorHasMfa: boolean,
): Promise<boolean> {
	if (requireMfa && !actorHasMfa) return false;
	await commit(
		unit,
		{
			action: "organization.mfa_requirement_changed",
			target: { type: "organization", id: unit.tenant.orgId },
			metadata: { before: org.requireMfa, after: requireMfa },
		},
		{ control: [setRequireMfa(unit.db, unit.tenant.orgId, requireMfa)] },
	);
	return true;
}

export async function saveBranding(unit: Unit, before: BrandingInput, next: BrandingInput): Promise<void> {
	await commit(
		unit,
		{
			action: "organization.branding_changed",
			target: { type: "organization", id: unit.tenant.orgId },
			metadata: changedFields({ ...before }, { ...next }),
		},
		{ control: [updateBranding(unit.db, unit.tenant.orgId, next)] },
	);
}

const IMAGE_SLOTS = {
	logo: { set: setLogo, changed: "organization.logo_changed", removed: "organization.logo_removed" },
	favicon: { set: setFavicon, changed: "organization.favicon_changed", removed: "organization.favicon_removed" },
} as const;

/**
 * Records the new logo or favicon (`url`, or null to remove it); the old stored file is deleted once
 * the change is recorded, so a failed write never leaves the portal pointing at a missing file.
 */
export async function setBrandImage(
	unit: Unit,
	slot: keyof typeof IMAGE_SLOTS,
	before: string | null,
	url: string | null,
	bucket: R2Bucket | undefined,
): Promise<void> {
	const spec = IMAGE_SLOTS[slot];
	await commit(
		unit,
		{ action: url ? spec.changed : spec.removed, metadata: { before, after: url } },
		{ control: [spec.set(unit.db, unit.tenant.orgId, url)] },
	);
	if (before?.startsWith("/files/")) await bucket?.delete(before.slice("/files/".length));
}

export type DeletionResult = { outcome: "scheduled" | "not-active" } | { outcome: "confirm"; message: string };

/**
 * Schedules the organization's deletion after the grace period: the deletion and the end of every
 * session here are one batch with their audit event. The slug typed must match exactly.
 */
export async function scheduleOrganizationDeletion(
	unit: Unit,
	org: { name: string; slug: string; status: string },
	typedSlug: string,
	nowMs: number,
): Promise<DeletionResult> {
	if (org.status !== "active") return { outcome: "not-active" };
	if (typedSlug.trim() !== org.slug) return { outcome: "confirm", message: `Type ${org.slug} exactly to confirm.` };
	const purgeAfter = nowMs + DELETION_GRACE_DAYS * DAY_MS;
	await notify(
		unit.notices,
		{ permission: "danger:manage" },
		{
			category: "security",
			title: `${org.name} is scheduled for deletion`,
			body: `${unit.by.name} deleted ${org.name}. Its data will be purged after ${DELETION_GRACE_DAYS} days; an Owner can restore it until then from the danger zone.`,
		},
	);
	const orgId = unit.tenant.orgId;
	await commit(
		unit,
		{
			action: "organization.deletion_scheduled",
			target: { type: "organization", id: orgId },
			metadata: { purgeAfter },
		},
		{ control: [scheduleDeletion(unit.db, orgId, nowMs, purgeAfter), deleteOrganizationSessions(unit.db, orgId)] },
	);
	return { outcome: "scheduled" };
}

/** Restores a deleted organization within its grace period; false when there is nothing to restore. */
export async function restoreOrganization(
	unit: Unit,
	org: { status: string; purgeAfter: number | null },
	nowMs: number,
): Promise<boolean> {
	if (org.status !== "deleted" || !org.purgeAfter || org.purgeAfter < nowMs) return false;
	await commit(
		unit,
		{ action: "organization.restored", target: { type: "organization", id: unit.tenant.orgId } },
		{ control: [restoreOrganizationQuery(unit.db, unit.tenant.orgId)] },
	);
	return true;
}

// The daily job's SAML certificate notices: the holders of `sso:manage` hear 30 days and 7 days before a
// signing certificate of their IdP expires — once per certificate and threshold, even when the job runs
// twice at the same time — and members without the permission hear nothing.
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, notifications, ssoConnections } from "../../src/db/schema.ts";
import { runJob } from "../../src/jobs/scheduled.ts";
import { CERTIFICATE_NOTICE_DAYS, noticeThreshold } from "../../src/sso/certificates.ts";
import { createOrg, createUser, testDb } from "../support/worker.ts";

const DAY = 86_400_000;

async function inbox(orgId: string, userId: string) {
	return testDb()
		.select({ title: notifications.title, link: notifications.link })
		.from(notifications)
		.where(and(eq(notifications.orgId, orgId), eq(notifications.userId, userId)));
}

describe("SAML certificate notices", () => {
	it("picks the nearest threshold reached, and none for far-off or expired certificates", () => {
		const now = Date.UTC(2026, 11, 3);
		expect(CERTIFICATE_NOTICE_DAYS).toEqual([30, 7]);
		expect(noticeThreshold(now + 60 * DAY, now)).toBeNull();
		expect(noticeThreshold(now + 30 * DAY, now)).toBe(30);
		expect(noticeThreshold(now + 8 * DAY, now)).toBe(30);
		expect(noticeThreshold(now + 7 * DAY, now)).toBe(7);
		expect(noticeThreshold(now + 1, now)).toBe(7);
		expect(noticeThreshold(now - 1, now)).toBeNull();
	});

	it("tells the sso:manage holders once at 30 days and once at 7, however often the job runs", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const owner = await createUser(org, "owner");
		const member = await createUser(org, "member");
		const now = Date.now();
		const fingerprint = `AA:${crypto.randomUUID()}`;
		await testDb()
			.insert(ssoConnections)
			.values({
				orgId: org.id,
				protocol: "saml",
				samlCertificates: [
					{ der: "MIIB", subject: "CN=Expiring IdP", notAfter: now + 20 * DAY, fingerprint },
					{ der: "MIIC", subject: "CN=New IdP", notAfter: now + 400 * DAY, fingerprint: `BB:${fingerprint}` },
				],
			});

		// Two runs at once, then a third: one notice.
		await Promise.all([runJob("housekeeping", env, now, [org.id]), runJob("housekeeping", env, now, [org.id])]);
		await runJob("housekeeping", env, now + DAY, [org.id]);
		let titles = (await inbox(org.id, owner.id)).map((n) => n.title);
		expect(titles).toEqual(["Your identity provider's SAML certificate expires in 20 days"]);
		expect((await inbox(org.id, owner.id))[0]?.link).toBe("/settings/sso");
		expect(await inbox(org.id, member.id)).toEqual([]);

		// Thirteen days later, 7 days are left: the second notice, once.
		await Promise.all([
			runJob("housekeeping", env, now + 13 * DAY, [org.id]),
			runJob("housekeeping", env, now + 13 * DAY, [org.id]),
		]);
		titles = (await inbox(org.id, owner.id)).map((n) => n.title).sort();
		expect(titles).toEqual([
			"Your identity provider's SAML certificate expires in 20 days",
			"Your identity provider's SAML certificate expires in 7 days",
		]);

		const audited = await testDb()
			.select({ metadata: auditEvents.metadata, actorLabel: auditEvents.actorLabel })
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, "sso.certificate_expiring")));
		expect(audited.map((a) => (a.metadata as { daysBefore: number }).daysBefore).sort()).toEqual([30, 7]);
		expect(audited.every((a) => a.actorLabel === "Certificate checks")).toBe(true);
		expect(JSON.stringify(audited)).not.toContain("MIIB");
	});

	it("sends nothing while every certificate is far from expiry", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const owner = await createUser(org, "owner");
		const now = Date.now();
		await testDb()
			.insert(ssoConnections)
			.values({
				orgId: org.id,
				protocol: "saml",
				samlCertificates: [{ der: "MIIB", subject: "CN=IdP", notAfter: now + 90 * DAY, fingerprint: "CC" }],
			});
		await runJob("housekeeping", env, now, [org.id]);
		expect(await inbox(org.id, owner.id)).toEqual([]);
	});
});

// Custom domains (`domains:manage`): add a hostname (one organization per hostname), show the records,
// check them now (the hourly job checks too), remove — resolution stops with the row. And the email
// domain the organization sends from, verified by its SPF and DKIM records.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import {
	countDomains,
	deleteDomain,
	findDomain,
	insertDomain,
	isHostnameClaimed,
	listDomains,
	setMailDomain,
} from "../../db/domains.ts";
import { checkDomain, checkEmailDomain } from "../../domains/check.ts";
import { customHostnamesFor } from "../../domains/custom-hostnames.ts";
import { checkHostname } from "../../domains/hostname.ts";
import { cnameTarget, mailDomainRecords, portalDomainRecords } from "../../domains/records.ts";
import { randomToken } from "../../lib/crypto.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { log } from "../../lib/log.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo, requirePermission, signedIn, tenantOf, tenantWithDetails } from "../../middleware/guards.ts";
import { DomainsPage } from "../../views/pages/settings/domains.tsx";
import { renderPage } from "../../views/render.tsx";

export const domainRoutes = new Hono<AppEnv>();
domainRoutes.use("*", requirePermission("domains:manage"));

export const MAX_DOMAINS = 5;

const NOTICES: Record<string, string> = {
	added: "Domain added. Create the records below, then check.",
	verified: "Verified: the portal now answers on this domain.",
	removed: "Domain removed: the portal no longer answers there.",
	"mail-saved": "Email domain saved. Create its records, then check.",
	"mail-cleared": "Emails now come from the portal's address under your organization's name.",
	"mail-verified": "Email domain verified: choose the sender address on the Branding page.",
	"dns-unreachable": "DNS could not be reached, so nothing changed. Try again in a minute.",
};

const idParam = z.object({ id: z.string().regex(/^dom_[0-9a-z]{26}$/, { error: "No such domain." }) });

function actor(c: Context<AppEnv>) {
	const viewer = signedIn(c);
	if (!viewer) throw new Error("the permission guard runs first");
	return auditActor(c, viewer.userId, viewer.name);
}

async function domainsPage(
	c: Context<AppEnv>,
	extra: { hostname?: string; mailValue?: string; errors?: Record<string, string>; status?: number } = {},
) {
	const { org } = tenantWithDetails(c);
	const url = new URL(c.req.url);
	const rows = await listDomains(c.get("db"), org.id);
	const when = { format: dateFormats(signedIn(c) ?? { locale: "en-US", timeZone: "UTC" }).dateTime };
	const development = c.get("config").ENVIRONMENT !== "production";
	return renderPage(c, {
		title: "Domains",
		status: extra.status ?? 200,
		body: (
			<DomainsPage
				domains={rows.map((d) => ({
					id: d.id,
					hostname: d.hostname,
					state: d.verifiedAt ? "verified" : d.disabledAt ? "disabled" : "pending",
					records: portalDomainRecords(d.hostname, d.verificationToken, cnameTarget(c.env)),
					lastChecked: d.lastCheckedAt ? `${when.format(d.lastCheckedAt)} UTC` : null,
					problem: d.lastCheckProblem,
					url: `${url.protocol}//${d.hostname}${url.port ? `:${url.port}` : ""}/`,
				}))}
				hostname={extra.hostname}
				errors={extra.errors}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				mail={{
					domain: org.mailDomain,
					verified: org.mailDomainVerifiedAt !== null,
					records:
						org.mailDomain && org.mailDomainToken
							? mailDomainRecords(org.mailDomain, c.get("config").PORTAL_DOMAIN, org.mailDomainToken)
							: [],
					...(extra.mailValue !== undefined ? { value: extra.mailValue } : {}),
				}}
				devHint={
					development
						? "In development the stack's own DNS resolver answers the checks: add records with `curl -XPOST <resolver>/_records` (see the README)."
						: null
				}
			/>
		),
	});
}

domainRoutes.get("/", (c) => domainsPage(c));

domainRoutes.post("/", validate("form", z.object({ hostname: z.string().max(300).default("") })), async (c) => {
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const input = c.req.valid("form").hostname;
	const checked = checkHostname(input, c.get("config").PORTAL_DOMAIN);
	if (!checked.ok) return domainsPage(c, { hostname: input, errors: { hostname: checked.message }, status: 422 });
	if ((await countDomains(db, org.id)) >= MAX_DOMAINS) {
		return domainsPage(c, {
			hostname: input,
			errors: { hostname: `An organization can have ${MAX_DOMAINS} domains.` },
			status: 422,
		});
	}
	// The same answer whether this organization or another holds it: which one is not ours to say.
	const claimed = {
		hostname: input,
		errors: { hostname: "This hostname is already used by a portal." },
		status: 409,
	};
	if (await isHostnameClaimed(db, checked.hostname)) return domainsPage(c, claimed);
	const domain = insertDomain(db, { orgId: org.id, hostname: checked.hostname, verificationToken: randomToken(16) });
	try {
		await commitWithAudit(
			db,
			tenant,
			actor(c),
			{ action: "domain.added", target: { type: "domain", id: domain.id }, metadata: { hostname: checked.hostname } },
			{ control: [domain.query] },
		);
	} catch (error) {
		// Two organizations adding the same hostname at once: the unique index lets one through.
		if (await isHostnameClaimed(db, checked.hostname)) return domainsPage(c, claimed);
		throw error;
	}
	return redirectTo(c, "/settings/domains?notice=added");
});

domainRoutes.post("/:id{dom_[0-9a-z]{26}}/check", validate("param", idParam), async (c) => {
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const domain = await findDomain(db, org.id, c.req.valid("param").id);
	if (!domain) throw new AppError("not_found", "No such domain.");
	const { outcome, problem } = await checkDomain(c.env, db, customHostnamesFor(c.env), domain, Date.now());
	const passed = outcome === "verified" || outcome === "still_verified";
	await commitWithAudit(db, tenant, actor(c), {
		action: passed ? "domain.verified" : outcome === "disabled" ? "domain.disabled" : "domain.check_failed",
		target: { type: "domain", id: domain.id },
		metadata: { hostname: domain.hostname, problem },
	});
	const notice = passed ? "?notice=verified" : outcome === "unknown" ? "?notice=dns-unreachable" : "";
	return redirectTo(c, `/settings/domains${notice}`);
});

domainRoutes.post("/:id{dom_[0-9a-z]{26}}/remove", validate("param", idParam), async (c) => {
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	const domain = await findDomain(db, org.id, c.req.valid("param").id);
	if (!domain) throw new AppError("not_found", "No such domain.");
	await commitWithAudit(
		db,
		tenant,
		actor(c),
		{ action: "domain.removed", target: { type: "domain", id: domain.id }, metadata: { hostname: domain.hostname } },
		{ control: [deleteDomain(db, org.id, domain.id)] },
	);
	if (domain.providerId) {
		// The row is gone, so the portal no longer answers there; the certificate's removal can be retried.
		await customHostnamesFor(c.env)
			.remove(domain.providerId)
			.catch((error: unknown) =>
				log("warn", "custom hostname removal failed", { requestId: c.get("requestId"), error }),
			);
	}
	return redirectTo(c, "/settings/domains?notice=removed");
});

domainRoutes.post("/email", validate("form", z.object({ mailDomain: z.string().max(300).default("") })), async (c) => {
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	const input = c.req.valid("form").mailDomain.trim();
	let mailDomain: string | null = null;
	if (input) {
		const checked = checkHostname(input, c.get("config").PORTAL_DOMAIN);
		if (!checked.ok) return domainsPage(c, { mailValue: input, errors: { mailDomain: checked.message }, status: 422 });
		mailDomain = checked.hostname;
	}
	if (mailDomain !== org.mailDomain) {
		await commitWithAudit(
			db,
			tenant,
			actor(c),
			{ action: "organization.mail_domain_changed", metadata: { before: org.mailDomain, after: mailDomain } },
			{ control: [setMailDomain(db, org.id, mailDomain, randomToken(16))] },
		);
	}
	return redirectTo(c, `/settings/domains?notice=${mailDomain ? "mail-saved" : "mail-cleared"}`);
});

domainRoutes.post("/email/check", async (c) => {
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	const result = await checkEmailDomain(c.env, db, org, Date.now());
	await commitWithAudit(db, tenant, actor(c), {
		action: result.ok ? "organization.mail_domain_verified" : "organization.mail_domain_check_failed",
		metadata: { mailDomain: org.mailDomain, problem: result.problem },
	});
	if (!result.ok)
		return domainsPage(c, { errors: { mailDomain: result.problem ?? "The records are not there yet." }, status: 422 });
	return redirectTo(c, "/settings/domains?notice=mail-verified");
});

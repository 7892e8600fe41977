// Custom domains (`domains:manage`): add a hostname (one organization per hostname), show the records,
// check them now (the hourly job checks too), remove — resolution stops with the row. And the email
// domain the organization sends from, verified by its SPF and DKIM records.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { listDomains } from "../../db/domains.ts";
import { cnameTarget, mailDomainRecords, portalDomainRecords } from "../../domains/records.ts";
import { addDomain, checkDomainNow, checkMailDomain, removeDomain, setMailDomain } from "../../domains/service.ts";
import { dateFormats } from "../../lib/dates.ts";
import { validate } from "../../lib/validate.ts";
import { orgOf, redirectTo, requirePermission, signedIn, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { DomainsPage } from "../../views/pages/settings/domains.tsx";
import { renderPage } from "../../views/render.tsx";

export const domainRoutes = new Hono<AppEnv>();
domainRoutes.use("*", requirePermission("domains:manage"));

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

async function domainsPage(
	c: Context<AppEnv>,
	extra: { hostname?: string; mailValue?: string; errors?: Record<string, string>; status?: number } = {},
) {
	const { org } = tenantWithDetails(c);
	const url = new URL(c.req.url);
	const rows = await listDomains(orgOf(c));
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
	const hostname = c.req.valid("form").hostname;
	const result = await addDomain(unitOf(c), c.get("config").PORTAL_DOMAIN, hostname);
	if (result.outcome === "refused")
		return domainsPage(c, { hostname, errors: { hostname: result.message }, status: result.status });
	return redirectTo(c, "/settings/domains?notice=added");
});

domainRoutes.post("/:id{dom_[0-9a-z]{26}}/check", validate("param", idParam), async (c) => {
	const outcome = await checkDomainNow(unitOf(c), c.req.valid("param").id, Date.now());
	const notice = outcome === "passed" ? "?notice=verified" : outcome === "unknown" ? "?notice=dns-unreachable" : "";
	return redirectTo(c, `/settings/domains${notice}`);
});

domainRoutes.post("/:id{dom_[0-9a-z]{26}}/remove", validate("param", idParam), async (c) => {
	await removeDomain(unitOf(c), c.req.valid("param").id);
	return redirectTo(c, "/settings/domains?notice=removed");
});

domainRoutes.post("/email", validate("form", z.object({ mailDomain: z.string().max(300).default("") })), async (c) => {
	const input = c.req.valid("form").mailDomain.trim();
	const result = await setMailDomain(unitOf(c), tenantWithDetails(c).org, c.get("config").PORTAL_DOMAIN, input);
	if (result.outcome === "invalid")
		return domainsPage(c, { mailValue: input, errors: { mailDomain: result.message }, status: 422 });
	return redirectTo(c, `/settings/domains?notice=${result.outcome === "saved" ? "mail-saved" : "mail-cleared"}`);
});

domainRoutes.post("/email/check", async (c) => {
	const result = await checkMailDomain(unitOf(c), tenantWithDetails(c).org, Date.now());
	if (!result.ok)
		return domainsPage(c, { errors: { mailDomain: result.problem ?? "The records are not there yet." }, status: 422 });
	return redirectTo(c, "/settings/domains?notice=mail-verified");
});

// Single sign-on setup (`sso:manage`, Owners by default), on a paid plan: domains, the OIDC
// connection, a test sign-in and the switches. The rules and writes are the verbs' in src/sso.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { findConnection, findTestResult, listSsoDomains } from "../../db/sso.ts";
import { rolesQuery } from "../../db/team.ts";
import { AppError } from "../../lib/errors.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { me, orgOf, redirectTo, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { checkIssuerUrl, SsoFailure } from "../../sso/oidc.ts";
import { checkMetadataUrl, samlSpUrls, spMetadataXml } from "../../sso/saml.ts";
import {
	checkDomainClaim,
	claimDomain,
	domainRecord,
	oidcRedirectUri,
	removeDomainClaim,
	saveOidcConnection,
	saveSamlConnection,
	setSsoEnabled,
	setSsoRequired,
} from "../../sso/setup.ts";
import { startSso } from "../../sso/sign-in.ts";
import { apexOrigin, portalAddress } from "../../tenancy/address.ts";
import { SsoPage } from "../../views/pages/settings/sso.tsx";
import { renderPage } from "../../views/render.tsx";
import { continueToProvider } from "../identity/sso.tsx";

export const ssoSettingsRoutes = new Hono<AppEnv>();
ssoSettingsRoutes.use("*", requirePermission("sso:manage"));
// Single sign-on comes with the paid plans: the page says so on Free, and nothing can be changed.
ssoSettingsRoutes.use("*", async (c, next) => {
	if (c.req.method !== "GET" && tenantOf(c).org.planKey === "free")
		throw new AppError("payment_required", "Single sign-on comes with the paid plans. Upgrade on the Billing page.");
	await next();
});

const NOTICES: Record<string, string> = {
	"domain-added": "Domain added. Create its TXT record, then check.",
	checked: "Checked.",
	removed: "Domain removed.",
	saved: "Connection saved. Run a test sign-in before switching it on.",
	on: "Single sign-on is on.",
	off: "Single sign-on is off.",
	required: "Single sign-on is required for your verified domains. Owners keep their password (break-glass).",
	"not-required": "Single sign-on is optional again.",
};

function secretKey(c: Context<AppEnv>): string {
	const key = c.env.SSO_SECRET_KEY;
	if (!key)
		throw new AppError("conflict", "Single sign-on is not available on this installation (SSO_SECRET_KEY is not set).");
	return key;
}

interface Refusal {
	errors: Record<string, string>;
	protocol?: "oidc" | "saml";
	/** The form's values, shown again (the client secret and the uploaded file never are). */
	sent?: Record<string, string>;
}

/** The page; with a refusal, a 422 that says what was wrong next to the values the admin sent. */
async function ssoPage(c: Context<AppEnv>, refusal?: Refusal) {
	const protocol = refusal?.protocol;
	const { org } = tenantOf(c);
	const organization = orgOf(c);
	const [domains, connection, roles] = await Promise.all([
		listSsoDomains(organization),
		findConnection(organization),
		rolesQuery(organization),
	]);
	const testId = c.req.query("test");
	const test =
		testId && /^ssr_[0-9a-z]{26}$/.test(testId) ? await findTestResult(organization, testId, me(c).userId) : null;
	const roleName = (id: string) => roles.find((r) => r.id === id)?.name ?? id;
	return renderPage(c, {
		title: "Single sign-on",
		status: refusal ? 422 : 200,
		body: (
			<SsoPage
				paid={org.planKey !== "free"}
				redirectUri={oidcRedirectUri(apexOrigin(c))}
				saml={samlSpUrls(apexOrigin(c), organization.orgId)}
				protocol={
					protocol ??
					(c.req.query("protocol") === "saml" ? "saml" : c.req.query("protocol") === "oidc" ? "oidc" : undefined)
				}
				domains={domains.map((d) => ({
					id: d.id,
					domain: d.domain,
					verified: d.verifiedAt !== null,
					record: domainRecord(d.domain, d.verificationToken),
					problem: d.lastCheckProblem,
				}))}
				connection={
					connection && {
						issuer: connection.oidcIssuer ?? "",
						clientId: connection.oidcClientId ?? "",
						hasSecret: Boolean(connection.oidcClientSecretEnc),
						scopes: connection.oidcScopes,
						defaultRoleId: connection.defaultRoleId,
						groupsClaim: connection.groupsClaim ?? "",
						groupRoles: Object.entries(connection.groupRoles)
							.map(([g, r]) => `${g} = ${roleName(r)}`)
							.join("\n"),
						protocol: connection.protocol,
						saml: {
							metadataUrl: connection.samlMetadataUrl ?? "",
							idpEntityId: connection.samlIdpEntityId ?? "",
							ssoUrl: connection.samlSsoUrl ?? "",
							certificates: connection.samlCertificates.map((x) => ({
								subject: x.subject,
								notAfter: x.notAfter,
								fingerprint: x.fingerprint,
							})),
							signed: connection.samlSigned,
							idpInitiated: connection.samlIdpInitiated,
						},
						tested: connection.testedAt !== null,
						enabled: connection.enabled,
						requireSso: connection.requireSso,
					}
				}
				roles={roles.filter((r) => r.id !== "rol_builtin_owner").map((r) => ({ id: r.id, name: r.name }))}
				test={
					test?.result
						? {
								ok: test.result.ok === true,
								fields: Object.entries(test.result)
									.filter(([k]) => k !== "ok")
									.map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v ?? "—")]),
							}
						: null
				}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				errors={refusal?.errors ?? {}}
				sent={refusal?.sent}
			/>
		),
	});
}

ssoSettingsRoutes.get("/", (c) => ssoPage(c));

ssoSettingsRoutes.post(
	"/domains",
	validate("form", z.object({ domain: z.string().trim().max(253).default("") })),
	async (c) => {
		const { domain } = c.req.valid("form");
		const problem = await claimDomain(unitOf(c), c.get("config").PORTAL_DOMAIN, domain);
		if (problem) return ssoPage(c, { errors: { domain: problem }, sent: { domain } });
		return redirectTo(c, "/settings/sso?notice=domain-added");
	},
);

const domainParam = validate(
	"param",
	z.object({ id: z.string().regex(/^ssd_[0-9a-z]{26}$/, { error: "No such domain." }) }),
);

ssoSettingsRoutes.post("/domains/:id/check", domainParam, async (c) => {
	const problem = await checkDomainClaim(unitOf(c), c.req.valid("param").id, Date.now());
	if (problem) return ssoPage(c, { errors: { form: problem } });
	return redirectTo(c, "/settings/sso?notice=checked");
});

ssoSettingsRoutes.post("/domains/:id/remove", domainParam, async (c) => {
	await removeDomainClaim(unitOf(c), c.req.valid("param").id);
	return redirectTo(c, "/settings/sso?notice=removed");
});

/** "group = role name" lines → group → role id, or what is wrong with a line. */
async function parseGroupRoles(c: Context<AppEnv>, text: string): Promise<Record<string, string> | string> {
	const roles = await rolesQuery(orgOf(c));
	const groupRoles: Record<string, string> = {};
	for (const line of text
		.split("\n")
		.map((l) => l.trim())
		.filter(Boolean)) {
		const [group, roleName] = line.split("=").map((p) => p.trim());
		const role = roles.find((r) => r.name.toLowerCase() === (roleName ?? "").toLowerCase());
		if (!group || !role) return `"${line}" is not "group = role name" with a role from the list.`;
		groupRoles[group] = role.id;
	}
	return groupRoles;
}

const provisioningFields = {
	defaultRoleId: z.string().max(64).default("rol_builtin_member"),
	groupsClaim: z
		.string()
		.trim()
		.max(200)
		.regex(/^[A-Za-z0-9_:./-]*$/, {
			error: "Use the claim's or attribute's name as the provider sends it (letters, digits, _ : . / -).",
		})
		.default(""),
	groupRoles: z.string().max(5000).default(""),
};

const oidcSchema = z.object({
	issuer: z.string().trim().max(500).default(""),
	clientId: z.string().trim().min(1, { error: "Enter the client ID." }).max(300),
	clientSecret: z.string().max(1000).default(""),
	scopes: z
		.string()
		.trim()
		.max(300)
		.default("openid email profile")
		.refine((s) => s.split(/\s+/).includes("openid"), { error: "The scopes must include openid." }),
	...provisioningFields,
});

/** A form's text fields as sent, to show again after a refusal. */
function textFields(raw: Record<string, unknown>, omit: string[] = []): Record<string, string> {
	return Object.fromEntries(
		Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string" && !omit.includes(e[0])),
	);
}

ssoSettingsRoutes.post(
	"/oidc",
	validateOr("form", oidcSchema, (c, failure) =>
		ssoPage(c, { errors: failure.errors, protocol: "oidc", sent: textFields(failure.raw, ["clientSecret"]) }),
	),
	async (c) => {
		const form = c.req.valid("form");
		const refuse = (errors: Record<string, string>) =>
			ssoPage(c, { errors, protocol: "oidc", sent: textFields(form, ["clientSecret"]) });
		const issuer = checkIssuerUrl(form.issuer, c.get("config").ENVIRONMENT === "production");
		if (!issuer) return refuse({ issuer: "Enter the issuer as an https:// URL, without a query or fragment." });
		const groupRoles = await parseGroupRoles(c, form.groupRoles);
		if (typeof groupRoles === "string") return refuse({ groupRoles });
		try {
			await saveOidcConnection(unitOf(c), { ...form, issuer, groupRoles }, secretKey(c));
		} catch (error) {
			if (error instanceof SsoFailure) return refuse({ issuer: error.explanation });
			throw error;
		}
		return redirectTo(c, "/settings/sso?notice=saved");
	},
);

const samlSchema = z.object({
	metadataUrl: z.string().trim().max(1000).default(""),
	// A browser sends an empty file input as a part with filename="", which arrives as an empty string.
	metadataFile: z
		.union([
			z.instanceof(File).refine((f) => f.size <= 512 * 1024, { error: "The metadata file is larger than 512 KB." }),
			z.string().max(0, { error: "Choose the metadata file to upload." }),
		])
		.optional(),
	signed: z.enum(["assertion", "response"]).default("assertion"),
	idpInitiated: z.literal("on").optional(),
	...provisioningFields,
});

ssoSettingsRoutes.post(
	"/saml",
	validateOr("form", samlSchema, (c, failure) =>
		ssoPage(c, { errors: failure.errors, protocol: "saml", sent: textFields(failure.raw) }),
	),
	async (c) => {
		const form = c.req.valid("form");
		const refuse = (errors: Record<string, string>) =>
			ssoPage(c, { errors, protocol: "saml", sent: { ...textFields(form), idpInitiated: form.idpInitiated ?? "" } });
		const production = c.get("config").ENVIRONMENT === "production";
		const metadataUrl = form.metadataUrl ? checkMetadataUrl(form.metadataUrl, production) : "";
		if (metadataUrl === null)
			return refuse({ metadataUrl: "Enter the metadata URL as an https:// address, without a fragment." });
		const metadataXml = form.metadataFile instanceof File ? await form.metadataFile.text() : "";
		const groupRoles = await parseGroupRoles(c, form.groupRoles);
		if (typeof groupRoles === "string") return refuse({ groupRoles });
		try {
			await saveSamlConnection(unitOf(c), {
				...form,
				metadataUrl,
				metadataXml,
				idpInitiated: form.idpInitiated === "on",
				groupRoles,
			});
		} catch (error) {
			if (error instanceof AppError && error.code === "validation") return refuse({ metadataUrl: error.message });
			throw error;
		}
		return redirectTo(c, "/settings/sso?notice=saved");
	},
);

/** Our service-provider metadata, to upload to the identity provider. */
ssoSettingsRoutes.get("/saml/metadata.xml", async (c) => {
	const connection = await findConnection(orgOf(c));
	c.header("content-disposition", 'attachment; filename="portico-sp-metadata.xml"');
	return c.body(spMetadataXml(samlSpUrls(apexOrigin(c), orgOf(c).orgId), connection?.samlSigned !== "response"), 200, {
		"content-type": "application/samlmetadata+xml",
	});
});

ssoSettingsRoutes.post("/test", async (c) => {
	try {
		const url = await startSso(orgOf(c), {
			host: portalAddress(c).host,
			apexOrigin: apexOrigin(c),
			secretKey: secretKey(c),
			test: true,
			startedBy: me(c).userId,
			nowMs: Date.now(),
		});
		return continueToProvider(c, url);
	} catch (error) {
		if (error instanceof SsoFailure) return ssoPage(c, { errors: { form: error.explanation } });
		throw error;
	}
});

ssoSettingsRoutes.post("/required", validate("form", z.object({ on: z.enum(["true", "false"]) })), async (c) => {
	const on = c.req.valid("form").on === "true";
	await setSsoRequired(unitOf(c), on);
	return redirectTo(c, `/settings/sso?notice=${on ? "required" : "not-required"}`);
});

ssoSettingsRoutes.post("/enabled", validate("form", z.object({ on: z.enum(["true", "false"]) })), async (c) => {
	const on = c.req.valid("form").on === "true";
	await setSsoEnabled(unitOf(c), on);
	return redirectTo(c, `/settings/sso?notice=${on ? "on" : "off"}`);
});

// Enterprise single sign-on, per organization (main database, control plane): the organization's one
// identity-provider connection, the email domains it claimed by DNS, and the sign-in requests it sent
// (each answered once).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, now } from "./schema-columns.ts";
import { organizations } from "./schema-control.ts";

export const ssoConnections = sqliteTable("sso_connections", {
	/** One connection per organization: its id is the organization's. */
	orgId: text("org_id")
		.primaryKey()
		.references(() => organizations.id, { onDelete: "cascade" }),
	protocol: text("protocol", { enum: ["oidc", "saml"] }).notNull(),
	/** OIDC: the issuer URL (discovery at /.well-known/openid-configuration), client id, scopes. */
	oidcIssuer: text("oidc_issuer"),
	oidcClientId: text("oidc_client_id"),
	/** The client secret, AES-GCM encrypted with the Worker's SSO_SECRET_KEY (never shown again). */
	oidcClientSecretEnc: text("oidc_client_secret_enc"),
	oidcScopes: text("oidc_scopes").notNull().default("openid email profile"),
	/** SAML: the IdP's entity ID and HTTP-Redirect SSO URL, and where its metadata was read (if by URL). */
	samlIdpEntityId: text("saml_idp_entity_id"),
	samlSsoUrl: text("saml_sso_url"),
	samlMetadataUrl: text("saml_metadata_url"),
	/** The IdP's signing certificates (several during a rotation), with what the page and notices show. */
	samlCertificates: text("saml_certificates", { mode: "json" })
		.$type<{ der: string; subject: string; notAfter: number; fingerprint: string }[]>()
		.notNull()
		.default([]),
	/** Which signature must be present and valid: on the assertion or on the whole response. */
	samlSigned: text("saml_signed", { enum: ["assertion", "response"] })
		.notNull()
		.default("assertion"),
	/** IdP-initiated sign-in (no request of ours to answer): off unless the admin accepts its risks. */
	samlIdpInitiated: integer("saml_idp_initiated", { mode: "boolean" }).notNull().default(false),
	/** The role a person gets when their first SSO sign-in creates their membership. */
	defaultRoleId: text("default_role_id").notNull().default("rol_builtin_member"),
	/** The claim (OIDC) or attribute (SAML) holding the person's groups, and group → role id. */
	groupsClaim: text("groups_claim"),
	groupRoles: text("group_roles", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
	/** When a test sign-in last succeeded with this configuration; SSO cannot be switched on before. */
	testedAt: integer("tested_at"),
	enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
	requireSso: integer("require_sso", { mode: "boolean" }).notNull().default(false),
	createdAt: createdAt(),
	updatedAt: integer("updated_at").notNull().default(now),
});

export const ssoDomains = sqliteTable(
	"sso_domains",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		domain: text("domain").notNull(),
		verificationToken: text("verification_token").notNull(),
		verifiedAt: integer("verified_at"),
		lastCheckedAt: integer("last_checked_at"),
		lastCheckProblem: text("last_check_problem"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("sso_domains_org_domain_uq").on(t.orgId, t.domain),
		// A domain is verified by one organization at most: the database refuses a second.
		uniqueIndex("sso_domains_verified_uq").on(t.domain).where(sql`verified_at is not null`),
		index("sso_domains_org_idx").on(t.orgId),
	],
);

export const ssoRequests = sqliteTable(
	"sso_requests",
	{
		id: text("id").primaryKey(),
		/** SHA-256 of the `state` sent to the identity provider. */
		stateHash: text("state_hash").notNull().unique(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		/** The tenant host the sign-in started on and returns to. */
		host: text("host").notNull(),
		nonce: text("nonce").notNull(),
		codeVerifier: text("code_verifier").notNull(),
		/** A test sign-in from the setup page: it shows what came back and signs nobody in. */
		test: integer("test", { mode: "boolean" }).notNull().default(false),
		/** The admin who started a test, so only they can read its result. */
		startedBy: text("started_by"),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		/** A test's outcome, for the setup page (claims or the problem, never secrets). */
		result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
		createdAt: createdAt(),
	},
	(t) => [index("sso_requests_expires_idx").on(t.expiresAt)],
);

/** Each SAML assertion is accepted once: its ID is kept until it could no longer be valid. */
export const ssoAssertions = sqliteTable(
	"sso_assertions",
	{
		/** SHA-256 of the IdP's entity ID and the assertion's ID. */
		idHash: text("id_hash").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		expiresAt: integer("expires_at").notNull(),
	},
	(t) => [index("sso_assertions_expires_idx").on(t.expiresAt)],
);

/** The certificate-expiry notices already sent (30 and 7 days before), each once per certificate. */
export const ssoCertificateNotices = sqliteTable(
	"sso_certificate_notices",
	{
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		fingerprint: text("fingerprint").notNull(),
		daysBefore: integer("days_before").notNull(),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.orgId, t.fingerprint, t.daysBefore] })],
);

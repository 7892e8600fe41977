// The demo's single sign-on: Acme's OIDC connection to the local OpenID provider `npm start` runs, its
// verified email domain acme.test, switched on but not required — so "Sign in with SSO" on Acme's
// sign-in page works at once with any @acme.test address. The provider's port changes between runs,
// so every start points the connection at the provider of this run.
import { eq } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { organizations, ssoConnections, ssoDomains } from "../src/db/schema.ts";
import { newId } from "../src/lib/ids.ts";
import { seal } from "../src/lib/secret-box.ts";

export const DEMO_OIDC_CLIENT = { id: "portico-demo", secret: "portico-demo-client-secret" };
export const DEV_SSO_SECRET_KEY = "local-development-sso-secret-key";

export async function seedDemoSso(url: string, issuer: string): Promise<void> {
	const db = openDatabase({ url });
	const [acme] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "acme"));
	if (!acme) return;
	const [domain] = await db.select({ id: ssoDomains.id }).from(ssoDomains).where(eq(ssoDomains.orgId, acme.id));
	if (!domain) {
		await db.insert(ssoDomains).values({
			id: newId("ssd"),
			orgId: acme.id,
			domain: "acme.test",
			verificationToken: "demo",
			verifiedAt: Date.now(),
		});
	}
	const secret = await seal(DEV_SSO_SECRET_KEY, "sso-client-secret", DEMO_OIDC_CLIENT.secret);
	const [existing] = await db.select().from(ssoConnections).where(eq(ssoConnections.orgId, acme.id));
	if (!existing) {
		await db.insert(ssoConnections).values({
			orgId: acme.id,
			protocol: "oidc",
			oidcIssuer: issuer,
			oidcClientId: DEMO_OIDC_CLIENT.id,
			oidcClientSecretEnc: secret,
			oidcScopes: "openid email profile groups",
			groupsClaim: "groups",
			groupRoles: { admins: "rol_builtin_admin" },
			testedAt: Date.now(),
			enabled: true,
		});
	} else if (existing.oidcClientId === DEMO_OIDC_CLIENT.id) {
		await db.update(ssoConnections).set({ oidcIssuer: issuer }).where(eq(ssoConnections.orgId, acme.id));
	}
}

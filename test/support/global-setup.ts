// Node-side setup for the Worker tests: a fresh libSQL server with migrations applied; its URL goes
// to the Worker as DATABASE_URL. Every run starts from empty databases.
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../../dev/oidc-provider.ts";
import { startSamlIdp } from "../../dev/saml-idp.ts";
import { startLibsqlServer } from "./libsql.ts";
import { OIDC_CLIENT } from "./oidc-client.ts";
import { startStripeEmulator } from "./stripe.ts";

declare module "vitest" {
	export interface ProvidedContext {
		databaseUrl: string;
		stripeApiBase: string;
		/** A second main database, for tests that count what a dispatcher reads across all organizations. */
		jobsDatabaseUrl: string;
		/** A real OpenID provider (oidc-provider) whose test client returns to the apex's SSO callback. */
		oidcIssuer: string;
		/** The same, keeping the email and groups out of the ID token (userinfo only), as OIDC's default does. */
		oidcUserinfoIssuer: string;
		/** A real SAML identity provider (samlify): its metadata URL and, for the refusals, a stranger's certificate. */
		samlIdp: { url: string; metadataUrl: string; certificatePem: string; otherCertificatePem: string };
	}
}

export default async function setup(project: TestProject) {
	const server = await startLibsqlServer();
	const client = createClient({ url: server.url });
	await migrate(drizzle(client), { migrationsFolder: "migrations" });
	client.close();
	project.provide("databaseUrl", server.url);
	const jobsUrl = `${server.url}db/jobs/`;
	const jobs = createClient({ url: jobsUrl });
	await migrate(drizzle(jobs), { migrationsFolder: "migrations" });
	jobs.close();
	project.provide("jobsDatabaseUrl", jobsUrl);
	// Webhooks are not pushed: tests pull the emulator's signed deliveries and post them to the Worker.
	const stripe = await startStripeEmulator(null);
	project.provide("stripeApiBase", stripe.url);
	const oidc = await startOidcProvider({ ...OIDC_CLIENT, redirectUris: ["http://localhost/sso/oidc/callback"] });
	project.provide("oidcIssuer", oidc.issuer);
	const conformant = await startOidcProvider(
		{ ...OIDC_CLIENT, redirectUris: ["http://localhost/sso/oidc/callback"] },
		0,
		{ idTokenClaims: false },
	);
	project.provide("oidcUserinfoIssuer", conformant.issuer);
	const saml = await startSamlIdp();
	const { stop: _stop, ...samlIdp } = saml;
	project.provide("samlIdp", samlIdp);
	return async () => {
		await saml.stop();
		await oidc.stop();
		await conformant.stop();
		await stripe.stop();
		await server.stop();
	};
}

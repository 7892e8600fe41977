// The demo's directory sync: a SCIM token for Acme with a known value (development only, printed by
// `npm start`), and on the first start one person provisioned through the real SCIM API with it — so the
// Team page shows a directory-managed member and /settings/directory shows the request in its log.
import { request } from "node:http";
import { eq } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { organizations, scimTokens } from "../src/db/schema.ts";
import { sha256Hex } from "../src/lib/crypto.ts";
import { newId } from "../src/lib/ids.ts";

export const DEMO_SCIM_TOKEN = "scim_local-demo-token-for-acme-never-use-outside-development";

/** Creates Acme's demo token if it is missing; true when it was created now. */
export async function seedDemoDirectory(url: string): Promise<boolean> {
	const db = openDatabase({ url });
	const [acme] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "acme"));
	if (!acme) return false;
	const tokenHash = await sha256Hex(DEMO_SCIM_TOKEN);
	const [existing] = await db.select({ id: scimTokens.id }).from(scimTokens).where(eq(scimTokens.tokenHash, tokenHash));
	if (existing) return false;
	await db
		.insert(scimTokens)
		.values({ id: newId("sct"), orgId: acme.id, name: "Demo IdP", tokenHash, last4: DEMO_SCIM_TOKEN.slice(-4) });
	return true;
}

/**
 * Provisions the demo's directory member through the SCIM API on Acme's host, as an identity provider
 * would (node:http with a Host header: *.localhost need not resolve on this machine).
 */
export async function provisionDemoMember(port: number): Promise<void> {
	const body = JSON.stringify({
		schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
		userName: "dana.directory@acme.test",
		externalId: "00u-demo-dana",
		name: { givenName: "Dana", familyName: "Directory" },
		emails: [{ value: "dana.directory@acme.test", type: "work", primary: true }],
		active: true,
	});
	const status = await new Promise<number>((resolve, reject) => {
		const req = request(
			{
				host: "127.0.0.1",
				port,
				path: "/scim/v2/Users",
				method: "POST",
				headers: {
					host: `acme.localhost:${port}`,
					authorization: `Bearer ${DEMO_SCIM_TOKEN}`,
					"content-type": "application/scim+json",
					"content-length": Buffer.byteLength(body),
				},
			},
			(res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			},
		);
		req.on("error", reject);
		req.end(body);
	});
	if (status !== 201 && status !== 409) throw new Error(`provisioning the demo member answered ${status}`);
}

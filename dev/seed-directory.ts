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

/** One SCIM request to Acme's host, as an identity provider sends it. */
function scimRequest(port: number, method: string, path: string, payload: unknown) {
	const body = JSON.stringify(payload);
	return new Promise<{ status: number; json: { id?: string; detail?: string }; text: string }>((resolve, reject) => {
		const req = request(
			{
				host: "127.0.0.1",
				port,
				path: `/scim/v2${path}`,
				method,
				headers: {
					host: `acme.localhost:${port}`,
					authorization: `Bearer ${DEMO_SCIM_TOKEN}`,
					"content-type": "application/scim+json",
					"content-length": Buffer.byteLength(body),
				},
			},
			(res) => {
				let text = "";
				res.setEncoding("utf8");
				res.on("data", (chunk) => {
					text += chunk;
				});
				res.on("end", () => {
					let json: { id?: string; detail?: string } = {};
					try {
						json = text ? JSON.parse(text) : {};
					} catch {
						json = {};
					}
					resolve({ status: res.statusCode ?? 0, json, text: text.slice(0, 300) });
				});
			},
		);
		req.on("error", reject);
		req.end(body);
	});
}

/**
 * Provisions the demo's directory member and pushes two groups through the SCIM API on Acme's host, as
 * an identity provider would (node:http with a Host header: *.localhost need not resolve here). The
 * groups are not mapped to roles: mapping one is the admin's first step at /settings/directory.
 */
export async function provisionDemoMember(port: number): Promise<void> {
	const user = await scimRequest(port, "POST", "/Users", {
		schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
		userName: "dana.directory@acme.test",
		externalId: "00u-demo-dana",
		name: { givenName: "Dana", familyName: "Directory" },
		emails: [{ value: "dana.directory@acme.test", type: "work", primary: true }],
		active: true,
	});
	if (user.status === 409) return;
	if (user.status !== 201) throw new Error(`provisioning the demo member answered ${user.status}: ${user.text}`);
	for (const [displayName, members] of [
		["Support agents", [{ value: user.json.id }]],
		["Portal admins", []],
	] as const) {
		const group = await scimRequest(port, "POST", "/Groups", {
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
			displayName,
			members,
		});
		if (group.status !== 201 && group.status !== 409)
			throw new Error(`pushing the demo group ${displayName} answered ${group.status}`);
	}
}

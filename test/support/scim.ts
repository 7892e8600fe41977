// SCIM helpers for the worker tests: an organization on a paid plan with a directory token made
// through the portal, and requests to its SCIM API as an identity provider sends them.
import { expect } from "vitest";
import { createOrg, createUser, request, signIn, type TestOrg } from "./worker.ts";

export const SCIM = "application/scim+json";

export async function directoryOrg() {
	const org = await createOrg({ planId: "pln_pro" });
	const owner = await createUser(org, "owner");
	const cookie = await signIn(org, owner.email);
	const created = await request(`${org.origin}/settings/directory/tokens`, { cookie, form: { name: "Okta" } });
	expect(created.status, created.text).toBe(200);
	const token = /scim_[A-Za-z0-9_-]{43}/.exec(created.text)?.[0] ?? "";
	expect(token).not.toBe("");
	return { org, owner, cookie, token };
}

export async function scim(
	org: TestOrg,
	token: string | null,
	path: string,
	init: { method?: string; body?: unknown } = {},
) {
	const res = await request(`${org.origin}/scim/v2${path}`, {
		method: init.method ?? (init.body === undefined ? "GET" : "POST"),
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(init.body === undefined ? {} : { "content-type": SCIM }),
		},
		...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
		sameOrigin: false,
	});
	return { ...res, json: res.text ? (JSON.parse(res.text) as Record<string, any>) : null };
}

export const newHire = (login: string, extra: Record<string, unknown> = {}) => ({
	schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
	userName: login,
	name: { givenName: "Nia", familyName: "Newhire" },
	emails: [{ primary: true, value: login, type: "work" }],
	active: true,
	...extra,
});

export const unique = () => crypto.randomUUID().slice(0, 8);

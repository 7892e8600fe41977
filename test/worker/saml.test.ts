// SAML single sign-on against a real SAML identity provider (samlify, signing with xml-crypto, started
// by the global setup): the admin reads the IdP's metadata by URL, downloads our SP metadata, tests the
// connection and switches it on; a new person signs in with the role their group maps to. Then every
// way a Response must be refused: unsigned, signed by another certificate, the known signature-wrapping
// variants, a comment cutting the NameID short, replayed (also all at once), wrong audience, recipient
// or destination, expired or not yet valid, answering nobody's request or another organization's, and
// IdP-initiated while that is off. Each refusal writes no member and no session, and is audited.
import { DOMParser, XMLSerializer, type Element as XmlElement } from "@xmldom/xmldom";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { auditEvents, memberships, sessions, ssoConnections, ssoDomains, users } from "../../src/db/schema.ts";
import { mockDns } from "../support/dns.ts";
import {
	auditActions,
	createOrg,
	createUser,
	followTicket,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

let dns: ReturnType<typeof mockDns>;
beforeEach(() => {
	dns = mockDns((name) => name.endsWith(".saml-test.example"));
});
afterEach(() => vi.restoreAllMocks());
const idp = inject("samlIdp");
const realFetch = globalThis.fetch;
const unique = () => crypto.randomUUID().slice(0, 8);
const SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

interface Setup {
	org: TestOrg;
	cookie: string;
	domain: string;
	spMetadata: string;
}

/** An organization on Pro with a verified domain and a SAML connection read from the IdP's metadata URL. */
async function withSaml(options: { enable?: boolean; idpInitiated?: boolean } = {}): Promise<Setup> {
	const org = await createOrg({ planId: "pln_pro" });
	const owner = await createUser(org, "owner");
	const cookie = await signIn(org, owner.email);
	const domain = `${unique()}.saml-test.example`;
	await request(`${org.origin}/settings/sso/domains`, { cookie, form: { domain } });
	const [row] = await testDb().select().from(ssoDomains).where(eq(ssoDomains.domain, domain));
	dns.set("TXT", `_portico-sso.${domain}`, [`portico-sso=${row?.verificationToken}`]);
	expect((await request(`${org.origin}/settings/sso/domains/${row?.id}/check`, { cookie, form: {} })).status).toBe(303);
	const saved = await request(`${org.origin}/settings/sso/saml`, {
		cookie,
		form: {
			metadataUrl: idp.metadataUrl,
			signed: "assertion",
			defaultRoleId: "rol_builtin_member",
			groupsClaim: "groups",
			groupRoles: "admins = Admin",
			...(options.idpInitiated ? { idpInitiated: "on" } : {}),
		},
	});
	expect(saved.status, saved.text).toBe(303);
	const download = await request(`${org.origin}/settings/sso/saml/metadata.xml`, { cookie });
	expect(download.headers.get("content-disposition")).toContain("attachment");
	const setup = { org, cookie, domain, spMetadata: download.text };
	if (options.enable !== false) {
		const test = await request(`${org.origin}/settings/sso/test`, { cookie, form: {} });
		const { id } = await authnRequest(test);
		const back = await post(setup, await idpResponse(setup, { login: `tess@${domain}`, inResponseTo: id }));
		expect(back.status, back.text).toBe(303);
		const page = await request(String(back.headers.get("location")), { cookie });
		expect(page.text).toContain("The test sign-in worked");
		expect(page.text).toContain(`tess@${domain}`);
		expect((await request(`${org.origin}/settings/sso/enabled`, { cookie, form: { on: "true" } })).status).toBe(303);
	}
	return setup;
}

/** The AuthnRequest the hand-off page sends the browser to the IdP with (HTTP-Redirect: DEFLATE + base64). */
async function authnRequest(res: { status: number; headers: Headers; text: string }) {
	expect(res.status, res.text).toBe(200);
	const url = new URL(/^0; url=(.+)$/.exec(res.headers.get("refresh") ?? "")?.[1] ?? "");
	expect(url.origin).toBe(idp.url);
	const bytes = Uint8Array.from(atob(url.searchParams.get("SAMLRequest") ?? ""), (c) => c.charCodeAt(0));
	const xml = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
	return { xml, id: /\sID="([^"]+)"/.exec(xml)?.[1] ?? "" };
}

async function startSignIn(setup: Setup, email: string) {
	return authnRequest(await request(`${setup.org.origin}/sign-in/sso`, { form: { email } }));
}

/** A Response from the IdP for our metadata, with any of its values overridden for a refusal. */
async function idpResponse(setup: Setup, options: Record<string, unknown>): Promise<string> {
	const res = await realFetch(`${idp.url}/test/response`, {
		method: "POST",
		body: JSON.stringify({ spMetadata: setup.spMetadata, ...options }),
	});
	expect(res.status).toBe(200);
	return ((await res.json()) as { samlResponse: string }).samlResponse;
}

/** Posts to the organization's ACS as the IdP's page does: from the IdP's origin. */
function post(setup: Setup, samlResponse: string) {
	return request(`http://localhost/sso/saml/${setup.org.id}/acs`, {
		form: { SAMLResponse: samlResponse, RelayState: "" },
		sameOrigin: false,
		headers: { origin: idp.url },
	});
}

async function refusedWith(setup: Setup, res: { status: number; headers: Headers }, reason: string) {
	expect(res.status).toBe(303);
	const to = new URL(String(res.headers.get("location")));
	expect(to.pathname).toBe("/sign-in/sso/failed");
	expect(to.searchParams.get("reason")).toBe(reason);
	const events = await testDb()
		.select({ metadata: auditEvents.metadata })
		.from(auditEvents)
		.where(and(eq(auditEvents.orgId, setup.org.id), eq(auditEvents.action, "sso.sign_in_failed")));
	expect(events.map((e) => (e.metadata as { reason?: string }).reason)).toContain(reason);
}

async function memberCount(orgId: string) {
	return (await testDb().select().from(memberships).where(eq(memberships.orgId, orgId))).length;
}

const decode = (b64: string) => new DOMParser().parseFromString(atob(b64), "application/xml");
const encode = (doc: ReturnType<typeof decode>) => btoa(new XMLSerializer().serializeToString(doc));
const first = (doc: ReturnType<typeof decode>, ns: string, name: string) =>
	doc.getElementsByTagNameNS(ns, name)[0] as XmlElement;

describe("SAML setup", () => {
	it("reads the IdP's metadata, offers our SP metadata, tests the connection and switches it on", async () => {
		const { org, cookie, spMetadata } = await withSaml();
		expect(spMetadata).toContain(`entityID="http://localhost/sso/saml/${org.id}/metadata"`);
		expect(spMetadata).toContain(`Location="http://localhost/sso/saml/${org.id}/acs"`);
		// The entity ID is also where an IdP can read the metadata, without signing in.
		const published = await request(`http://localhost/sso/saml/${org.id}/metadata`);
		expect(published.text).toBe(spMetadata);
		const page = await request(`${org.origin}/settings/sso`, { cookie });
		expect(page.text).toContain("Certificate CN=Portico local IdP");
		expect(page.text).toContain(`${idp.url}/sso`);
		const [connection] = await testDb().select().from(ssoConnections).where(eq(ssoConnections.orgId, org.id));
		expect(connection?.protocol).toBe("saml");
		expect(connection?.enabled).toBe(true);
		const actions = await auditActions(org.id);
		for (const a of ["sso.connection_saved", "sso.test_succeeded", "sso.enabled"]) expect(actions).toContain(a);
	});

	it("accepts an uploaded metadata file and refuses one that is not metadata, writing nothing", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const metadata = await (await realFetch(idp.metadataUrl)).text();
		const upload = (text: string) => {
			const form = new FormData();
			form.set("metadataFile", new File([text], "idp.xml", { type: "application/xml" }));
			form.set("defaultRoleId", "rol_builtin_member");
			return request(`${org.origin}/settings/sso/saml`, { cookie, body: form });
		};
		const bad = await upload("<html>not metadata</html>");
		expect(bad.status).toBe(422);
		expect(bad.text).toContain("no identity provider");
		expect(await testDb().select().from(ssoConnections).where(eq(ssoConnections.orgId, org.id))).toHaveLength(0);
		expect((await upload(metadata)).status).toBe(303);
		const [connection] = await testDb().select().from(ssoConnections).where(eq(ssoConnections.orgId, org.id));
		expect(connection?.samlIdpEntityId).toBe(idp.metadataUrl);
		expect(connection?.samlCertificates).toHaveLength(1);
	});

	it("takes the form as a browser sends it: multipart, the file input left empty", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const boundary = "----WebKitFormBoundaryPortico";
		const part = (name: string, value: string, file = false) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename=""\r\nContent-Type: application/octet-stream' : ""}\r\n\r\n${value}\r\n`;
		const body = `${part("metadataUrl", idp.metadataUrl)}${part("metadataFile", "", true)}${part("signed", "assertion")}${part("groupsClaim", "")}${part("defaultRoleId", "rol_builtin_member")}${part("groupRoles", "")}--${boundary}--\r\n`;
		const saved = await request(`${org.origin}/settings/sso/saml`, {
			cookie,
			body,
			headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
		});
		expect(saved.status, saved.text).toBe(303);
		const [connection] = await testDb().select().from(ssoConnections).where(eq(ssoConnections.orgId, org.id));
		expect(connection?.samlIdpEntityId).toBe(idp.metadataUrl);
	});
});

describe("SAML sign-in", () => {
	it("creates a new person with the role their group maps to, and the session says SSO", async () => {
		const setup = await withSaml();
		const { xml, id } = await startSignIn(setup, `ana@${setup.domain}`);
		expect(xml).toContain(`AssertionConsumerServiceURL="http://localhost/sso/saml/${setup.org.id}/acs"`);
		const back = await post(setup, await idpResponse(setup, { login: `ana+admins@${setup.domain}`, inResponseTo: id }));
		expect(back.status, back.text).toBe(303);
		const done = await followTicket(back);
		expect(done.status, done.text).toBe(303);
		const [user] = await testDb()
			.select()
			.from(users)
			.where(eq(users.email, `ana@${setup.domain}`));
		const [member] = await testDb()
			.select()
			.from(memberships)
			.where(and(eq(memberships.orgId, setup.org.id), eq(memberships.userId, user?.id ?? "")));
		expect(member?.roleId).toBe("rol_builtin_admin");
		const [session] = await testDb()
			.select()
			.from(sessions)
			.where(eq(sessions.userId, user?.id ?? ""));
		expect(session?.signInMethod).toBe("sso");
		expect(await auditActions(setup.org.id)).toContain("sso.member_provisioned");
	});

	it("refuses an unsigned assertion, one signed by another certificate, and a response-only signature", async () => {
		const setup = await withSaml();
		const before = await memberCount(setup.org.id);
		const login = `bo@${setup.domain}`;
		const signed = await idpResponse(setup, { login, inResponseTo: (await startSignIn(setup, login)).id });
		const doc = decode(signed);
		const signature = first(doc, DSIG_NS, "Signature");
		signature.parentNode?.removeChild(signature);
		await refusedWith(setup, await post(setup, encode(doc)), "signature_missing");
		const other = await idpResponse(setup, { login, key: "other", inResponseTo: (await startSignIn(setup, login)).id });
		await refusedWith(setup, await post(setup, other), "signature_invalid");
		const responseOnly = await idpResponse(setup, {
			login,
			sign: "response",
			inResponseTo: (await startSignIn(setup, login)).id,
		});
		await refusedWith(setup, await post(setup, responseOnly), "signature_missing");
		expect(await memberCount(setup.org.id)).toBe(before);
	});

	it("refuses the signature-wrapping variants: the signed assertion kept, another one read", async () => {
		const setup = await withSaml();
		const before = await memberCount(setup.org.id);
		const victim = `vic@${setup.domain}`;
		/** A genuine signed Response for `vic`, and an assertion for the attacker's choice of person. */
		const genuine = async () => {
			const doc = decode(
				await idpResponse(setup, { login: victim, inResponseTo: (await startSignIn(setup, victim)).id }),
			);
			const signed = first(doc, SAML_NS, "Assertion");
			const evil = signed.cloneNode(true) as XmlElement;
			const nameId = evil.getElementsByTagNameNS(SAML_NS, "NameID")[0] as XmlElement;
			nameId.textContent = `owner@${setup.domain}`;
			const evilSignature = evil.getElementsByTagNameNS(DSIG_NS, "Signature")[0] as XmlElement;
			return { doc, signed, evil, evilSignature };
		};
		// XSW1/2: the evil assertion beside the signed one.
		{
			const { doc, signed, evil, evilSignature } = await genuine();
			evil.removeChild(evilSignature);
			evil.setAttribute("ID", "_evil");
			signed.parentNode?.insertBefore(evil, signed);
			await refusedWith(setup, await post(setup, encode(doc)), "assertion_count");
		}
		// XSW3/4: the signed assertion hidden inside the evil one (or its signature's Object).
		{
			const { doc, signed, evil, evilSignature } = await genuine();
			const object = doc.createElementNS(DSIG_NS, "ds:Object");
			evilSignature.appendChild(object);
			evil.setAttribute("ID", "_evil");
			signed.parentNode?.replaceChild(evil, signed);
			object.appendChild(signed);
			await refusedWith(setup, await post(setup, encode(doc)), "assertion_count");
		}
		// XSW5-8: the evil assertion takes the signed one's ID, the original hidden in an extension.
		{
			const { doc, signed, evil } = await genuine();
			const extensions = doc.createElementNS("urn:oasis:names:tc:SAML:2.0:protocol", "samlp:Extensions");
			signed.parentNode?.replaceChild(evil, signed);
			extensions.appendChild(signed);
			doc.documentElement?.insertBefore(extensions, evil);
			await refusedWith(setup, await post(setup, encode(doc)), "response_malformed");
		}
		// The signature moved onto the evil assertion: it references the original ID, not this one's.
		{
			const { doc, signed, evil } = await genuine();
			evil.setAttribute("ID", "_evil");
			signed.parentNode?.replaceChild(evil, signed);
			await refusedWith(setup, await post(setup, encode(doc)), "signature_invalid");
		}
		// The evil content under the original ID and signature: the digest does not match.
		{
			const { doc, signed, evil } = await genuine();
			signed.parentNode?.replaceChild(evil, signed);
			await refusedWith(setup, await post(setup, encode(doc)), "signature_invalid");
		}
		expect(await memberCount(setup.org.id)).toBe(before);
	});

	it("reads the whole NameID: a comment cannot cut an address short", async () => {
		const setup = await withSaml();
		const login = `eve@${setup.domain}.attacker.example`;
		const { id } = await startSignIn(setup, `eve@${setup.domain}`);
		const doc = decode(await idpResponse(setup, { login, inResponseTo: id }));
		for (const tag of ["NameID", "AttributeValue"]) {
			const el = first(doc, SAML_NS, tag);
			const text = el.textContent ?? "";
			el.textContent = text.slice(0, text.indexOf(".attacker"));
			el.appendChild(doc.createComment(""));
			el.appendChild(doc.createTextNode(".attacker.example"));
		}
		// The signature still holds (exclusive c14n drops comments), and the address read is the attacker's.
		await refusedWith(setup, await post(setup, encode(doc)), "domain_not_verified");
	});

	it("refuses wrong audience, recipient or destination, and expired or future conditions", async () => {
		const setup = await withSaml();
		const before = await memberCount(setup.org.id);
		const login = `cy@${setup.domain}`;
		const cases: [Record<string, unknown>, string][] = [
			[{ audience: "https://someone-else.example/saml" }, "audience_mismatch"],
			[{ recipient: "https://someone-else.example/acs" }, "recipient_mismatch"],
			[{ destination: "https://someone-else.example/acs" }, "destination_mismatch"],
			[{ notOnOrAfterSeconds: -120 }, "expired"],
			[{ notBeforeSeconds: 300 }, "not_yet_valid"],
			[{ issuer: "https://another-idp.example" }, "issuer_mismatch"],
		];
		for (const [override, reason] of cases) {
			const { id } = await startSignIn(setup, login);
			await refusedWith(
				setup,
				await post(setup, await idpResponse(setup, { login, inResponseTo: id, ...override })),
				reason,
			);
		}
		expect(await memberCount(setup.org.id)).toBe(before);
	});

	it("takes each request once, even when the same answer is posted five times at once", async () => {
		const setup = await withSaml();
		const login = `di@${setup.domain}`;
		const answer = await idpResponse(setup, { login, inResponseTo: (await startSignIn(setup, login)).id });
		const results = await Promise.all(Array.from({ length: 5 }, () => post(setup, answer)));
		const tickets = results.filter((r) => String(r.headers.get("location")).includes("/sign-in/ticket"));
		expect(tickets).toHaveLength(1);
		expect(results.filter((r) => r.status === 400)).toHaveLength(4);
		// An answer to a request nobody sent, and one to another organization's request.
		const nobody = await idpResponse(setup, { login, inResponseTo: "_never-sent" });
		expect((await post(setup, nobody)).status).toBe(400);
		const other = await withSaml();
		const theirs = await idpResponse(setup, {
			login,
			inResponseTo: (await startSignIn(other, `x@${other.domain}`)).id,
		});
		expect((await post(setup, theirs)).status).toBe(400);
	});

	it("refuses IdP-initiated sign-in unless allowed, and then accepts each assertion once", async () => {
		const off = await withSaml();
		await refusedWith(
			off,
			await post(off, await idpResponse(off, { login: `ed@${off.domain}` })),
			"idp_initiated_refused",
		);
		const on = await withSaml({ idpInitiated: true });
		const answer = await idpResponse(on, { login: `ed@${on.domain}` });
		const [a, b] = await Promise.all([post(on, answer), post(on, answer)]);
		const locations = [a, b].map((r) => String(r.headers.get("location")));
		expect(locations.filter((l) => l.includes("/sign-in/ticket"))).toHaveLength(1);
		expect(locations.filter((l) => l.includes("reason=assertion_replayed"))).toHaveLength(1);
	});
});

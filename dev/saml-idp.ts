// A real SAML 2.0 identity provider for development and the tests, built on `samlify` (the most used
// SAML library on npm; it signs with `xml-crypto`, a different XML-DSig implementation from the one the
// Worker verifies with, so the two check each other). It reads the service provider's metadata from
// the AuthnRequest's issuer — Portico's entity ID is its metadata URL — and answers with the HTTP-POST
// binding: a signed Response whose assertion carries email, name and groups. As with the local OpenID
// provider, the login typed decides who signs in: "ana+admins@acme.test" is ana@acme.test in "admins".
//
// For the security tests, POST /test/response builds a Response directly from a posted SP metadata
// document with any of its values overridden (audience, recipient, destination, times, InResponseTo)
// and signed as asked (assertion, response, both) with the IdP's key or with a second, unrelated key.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import * as samlify from "samlify";
import { selfSignedCertificate } from "./self-signed.ts";

// The AuthnRequest is read by this IdP's own code below; samlify's XSD validation is not needed here.
samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

const NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

export interface ResponseOptions {
	/** The SP's metadata XML (its entity ID, ACS URL and whether it wants assertions signed). */
	spMetadata: string;
	login: string;
	/** The AuthnRequest's ID; omitted for an IdP-initiated response. */
	inResponseTo?: string;
	sign?: "assertion" | "response" | "both";
	/** "other": a key the SP was never given. */
	key?: "idp" | "other";
	audience?: string;
	recipient?: string;
	destination?: string;
	issuer?: string;
	/** Offsets from now, in seconds, for the assertion's conditions and subject confirmation. */
	notBeforeSeconds?: number;
	notOnOrAfterSeconds?: number;
}

const escapeXml = (s: string) =>
	s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

function person(login: string) {
	const [local = "", domain = ""] = login.trim().split("@");
	const [name = "", ...groups] = local.split("+");
	return { email: `${name}@${domain}`, name: name.replace(/[._]/g, " "), groups };
}

function attribute(name: string, values: string[]) {
	const shown = values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`);
	return `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${shown.join("")}</saml:Attribute>`;
}

/** Starts the IdP on `port` (0: a free one) in this process; stops with the returned `stop`. */
export async function startSamlIdp(port = 0) {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const year = new Date(Date.now() + 365 * 86_400_000);
	const [own, other] = await Promise.all([
		selfSignedCertificate("Portico local IdP", year),
		selfSignedCertificate("Someone else", year),
	]);
	const entity = (identity: typeof own) =>
		samlify.IdentityProvider({
			entityID: `${url}/metadata`,
			privateKey: identity.privateKeyPem,
			signingCert: identity.certificatePem,
			nameIDFormat: [NAMEID_EMAIL],
			singleSignOnService: [{ Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", Location: `${url}/sso` }],
		});
	const idp = entity(own);
	const otherIdp = entity(other);

	async function buildResponse(options: ResponseOptions) {
		const wantsAssertion = options.sign === "assertion" || options.sign === "both";
		const signResponse = options.sign === "response" || options.sign === "both";
		// samlify signs the assertion when the SP's metadata asks for it, and the message when told to.
		const metadata =
			options.sign === undefined
				? options.spMetadata
				: options.spMetadata.replace(/WantAssertionsSigned="(true|false)"/, `WantAssertionsSigned="${wantsAssertion}"`);
		const sp = samlify.ServiceProvider({ metadata, wantMessageSigned: signResponse });
		const acs = sp.entityMeta.getAssertionConsumerService("post") as string;
		const who = person(options.login);
		const now = Date.now();
		const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
		const id = `_${crypto.randomUUID()}`;
		const inResponseTo = options.inResponseTo ? ` InResponseTo="${escapeXml(options.inResponseTo)}"` : "";
		const issuer = escapeXml(options.issuer ?? `${url}/metadata`);
		const notOnOrAfter = at(options.notOnOrAfterSeconds ?? 300);
		const xml =
			`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${at(0)}" Destination="${escapeXml(options.destination ?? acs)}"${inResponseTo}>` +
			`<saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
			`<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_${crypto.randomUUID()}" Version="2.0" IssueInstant="${at(0)}">` +
			`<saml:Issuer>${issuer}</saml:Issuer>` +
			`<saml:Subject><saml:NameID Format="${NAMEID_EMAIL}">${escapeXml(who.email)}</saml:NameID>` +
			`<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeXml(options.recipient ?? acs)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
			`<saml:Conditions NotBefore="${at(options.notBeforeSeconds ?? -5)}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escapeXml(options.audience ?? sp.entityMeta.getEntityID())}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
			`<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
			`<saml:AttributeStatement>${attribute("email", [who.email])}${attribute("name", [who.name])}${who.groups.length ? attribute("groups", who.groups) : ""}</saml:AttributeStatement>` +
			"</saml:Assertion></samlp:Response>";
		const signer = options.key === "other" ? otherIdp : idp;
		const built = await signer.createLoginResponse(
			sp,
			{ extract: {} },
			"post",
			{ email: who.email },
			{
				customTagReplacement: () => ({ id, context: xml }),
			},
		);
		return { samlResponse: built.context, acs };
	}

	async function spMetadataFor(samlRequest: string) {
		const request = inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
		const entityId = /<(?:saml2?:)?Issuer[^>]*>([^<]+)</.exec(request)?.[1];
		const id = /\sID="([^"]+)"/.exec(request)?.[1];
		if (!entityId || !id) throw new Error("Not an AuthnRequest.");
		// Portico's entity ID is the URL of its metadata.
		const response = await fetch(entityId);
		if (!response.ok) throw new Error(`The SP's metadata at ${entityId} answered ${response.status}.`);
		return { spMetadata: await response.text(), id };
	}

	const page = (body: string) =>
		`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Local SAML IdP</title></head><body style="font-family:system-ui;max-width:28rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`;

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const here = new URL(req.url ?? "/", url);
		const body = await new Promise<string>((resolve) => {
			let data = "";
			req.on("data", (chunk) => {
				data += chunk;
			});
			req.on("end", () => resolve(data));
		});
		const send = (status: number, type: string, text: string) => {
			res.writeHead(status, { "content-type": type });
			res.end(text);
		};
		if (req.method === "GET" && here.pathname === "/metadata")
			return send(200, "application/samlmetadata+xml", idp.getMetadata());
		if (req.method === "GET" && here.pathname === "/sso") {
			const samlRequest = here.searchParams.get("SAMLRequest") ?? "";
			const relayState = here.searchParams.get("RelayState") ?? "";
			await spMetadataFor(samlRequest);
			return send(
				200,
				"text/html",
				page(
					`<h1>Local SAML IdP</h1><form method="post" action="/sso/login"><input type="hidden" name="SAMLRequest" value="${escapeXml(samlRequest)}"><input type="hidden" name="RelayState" value="${escapeXml(relayState)}"><label>Login <input name="login" autofocus></label> <label>Password <input name="password" type="password"></label> <button>Sign in</button></form>`,
				),
			);
		}
		if (req.method === "POST" && here.pathname === "/sso/login") {
			const form = new URLSearchParams(body);
			const { spMetadata, id } = await spMetadataFor(form.get("SAMLRequest") ?? "");
			const { samlResponse, acs } = await buildResponse({
				spMetadata,
				login: form.get("login") ?? "",
				inResponseTo: id,
			});
			return send(
				200,
				"text/html",
				page(
					`<form method="post" action="${escapeXml(acs)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><input type="hidden" name="RelayState" value="${escapeXml(form.get("RelayState") ?? "")}"><p>Signed in. <button>Continue</button></p></form><script>document.forms[0].submit()</script>`,
				),
			);
		}
		if (req.method === "POST" && here.pathname === "/test/response")
			return send(200, "application/json", JSON.stringify(await buildResponse(JSON.parse(body) as ResponseOptions)));
		send(404, "text/plain", "Not found");
	}

	server.on("request", (req, res) => {
		handle(req, res).catch((error: Error) => {
			res.writeHead(400, { "content-type": "text/plain" });
			res.end(error.stack);
		});
	});
	return {
		url,
		metadataUrl: `${url}/metadata`,
		certificatePem: own.certificatePem,
		otherCertificatePem: other.certificatePem,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

// SAML 2.0 single sign-on, the service provider's side (Web Browser SSO profile): our metadata, the
// AuthnRequest sent with the HTTP-Redirect binding, the identity provider's metadata read by URL or
// upload, and the Response posted back (HTTP-POST binding) checked in full — signatures through
// xml-signature.ts over the very elements read here, then issuer, Destination, InResponseTo (a request
// we sent, or an IdP-initiated response only where the admin allowed it), the bearer confirmation's
// Recipient and NotOnOrAfter, the Conditions' NotBefore/NotOnOrAfter (60 s of clock skew) and Audience.
// Each failure is an `SsoFailure` with a stable reason and our own explanation.
import { SsoFailure } from "./oidc.ts";
import {
	type CertificateInfo,
	certificateKey,
	child,
	childElements,
	countElements,
	DSIG_NS,
	parseXml,
	readCertificate,
	textOf,
	verifyEnvelopedSignature,
	type XmlElement,
	XmlRefused,
} from "./xml-signature.ts";

const PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
const ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const SKEW_MS = 60_000;
/** A Response larger than this is not a sign-in (Entra's with hundreds of groups stay far below). */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** Attribute names the big providers use for email, display name and groups (Entra's claim URIs). */
const EMAIL_ATTRIBUTES = [
	"email",
	"mail",
	"Email",
	"emailaddress",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
	"urn:oid:0.9.2342.19200300.100.1.3",
];
const NAME_ATTRIBUTES = [
	"name",
	"displayName",
	"http://schemas.microsoft.com/identity/claims/displayname",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
	"urn:oid:2.16.840.1.113730.3.1.241",
];
export const DEFAULT_GROUPS_ATTRIBUTE = "groups";

export interface SpUrls {
	entityId: string;
	acs: string;
}

/** The organization's service-provider addresses: on the apex, stable whatever its hostname becomes. */
export function samlSpUrls(apexOrigin: string, orgId: string): SpUrls {
	return { entityId: `${apexOrigin}/sso/saml/${orgId}/metadata`, acs: `${apexOrigin}/sso/saml/${orgId}/acs` };
}

const escapeXml = (s: string) =>
	s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

/** Our SP metadata, for the admin to upload to their IdP (or for the IdP to read from the entity ID). */
export function spMetadataXml(urls: SpUrls, wantAssertionsSigned: boolean): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${METADATA_NS}" entityID="${escapeXml(urls.entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="${wantAssertionsSigned}" protocolSupportEnumeration="${PROTOCOL_NS}">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="${POST_BINDING}" Location="${escapeXml(urls.acs)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}

function base64(bytes: Uint8Array): string {
	let text = "";
	for (const b of bytes) text += String.fromCharCode(b);
	return btoa(text);
}

/** The AuthnRequest as an HTTP-Redirect URL (DEFLATE, base64, query string; unsigned, as SAML allows). */
export async function authnRequestUrl(
	idpSsoUrl: string,
	urls: SpUrls,
	request: { id: string; nowMs: number; relayState: string },
): Promise<URL> {
	const xml =
		`<samlp:AuthnRequest xmlns:samlp="${PROTOCOL_NS}" xmlns:saml="${ASSERTION_NS}" ID="${request.id}" Version="2.0" ` +
		`IssueInstant="${new Date(request.nowMs).toISOString()}" Destination="${escapeXml(idpSsoUrl)}" ` +
		`AssertionConsumerServiceURL="${escapeXml(urls.acs)}" ProtocolBinding="${POST_BINDING}">` +
		`<saml:Issuer>${escapeXml(urls.entityId)}</saml:Issuer>` +
		`<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
		"</samlp:AuthnRequest>";
	const deflated = new Blob([xml]).stream().pipeThrough(new CompressionStream("deflate-raw"));
	const bytes = new Uint8Array(await new Response(deflated).arrayBuffer());
	const url = new URL(idpSsoUrl);
	url.searchParams.set("SAMLRequest", base64(bytes));
	if (request.relayState) url.searchParams.set("RelayState", request.relayState);
	return url;
}

export interface IdpMetadata {
	entityId: string;
	ssoUrl: string;
	certificates: CertificateInfo[];
}

/** Reads the IdP's metadata document: its entity ID, HTTP-Redirect SSO URL and signing certificates. */
export async function parseIdpMetadata(xml: string): Promise<IdpMetadata> {
	let root: XmlElement;
	try {
		root = parseXml(xml);
	} catch {
		throw new SsoFailure("metadata_invalid", "This is not an XML metadata document.");
	}
	const entities =
		root.localName === "EntitiesDescriptor" ? childElements(root, METADATA_NS, "EntityDescriptor") : [root];
	const entity = entities.find(
		(e) =>
			e.namespaceURI === METADATA_NS && e.localName === "EntityDescriptor" && child(e, METADATA_NS, "IDPSSODescriptor"),
	);
	const descriptor = entity && child(entity, METADATA_NS, "IDPSSODescriptor");
	if (!entity || !descriptor)
		throw new SsoFailure("metadata_invalid", "The metadata describes no identity provider (no IDPSSODescriptor).");
	const sso = childElements(descriptor, METADATA_NS, "SingleSignOnService").find(
		(s) => s.getAttribute("Binding") === REDIRECT_BINDING,
	);
	if (!sso?.getAttribute("Location"))
		throw new SsoFailure("metadata_invalid", "The metadata has no single sign-on URL for the HTTP-Redirect binding.");
	const certificates: CertificateInfo[] = [];
	for (const key of childElements(descriptor, METADATA_NS, "KeyDescriptor")) {
		if ((key.getAttribute("use") ?? "signing") !== "signing") continue;
		const keyInfo = child(key, DSIG_NS, "KeyInfo");
		for (const data of keyInfo ? childElements(keyInfo, DSIG_NS, "X509Data") : [])
			for (const cert of childElements(data, DSIG_NS, "X509Certificate")) {
				const info = await readCertificate(textOf(cert));
				if (info && !certificates.some((c) => c.fingerprint === info.fingerprint)) certificates.push(info);
			}
	}
	if (certificates.length === 0) throw new SsoFailure("metadata_invalid", "The metadata has no signing certificate.");
	return { entityId: entity.getAttribute("entityID") ?? "", ssoUrl: sso.getAttribute("Location") ?? "", certificates };
}

export interface SamlConnection {
	idpEntityId: string;
	certificates: { der: string }[];
	/** Which signature must be there and valid: on the assertion, or on the whole response. */
	signed: "assertion" | "response";
	allowIdpInitiated: boolean;
	/** The attribute holding the person's groups (default "groups"). */
	groupsAttribute: string | null;
}

export interface SamlIdentity {
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
	groups: string[];
}

export interface CheckedAssertion {
	assertionId: string;
	/** Until when the assertion could be replayed: its ID is remembered that long. */
	validUntil: number;
	identity: SamlIdentity;
}

/** The InResponseTo a posted Response claims, read before anything is trusted (to find our request). */
export function claimedInResponseTo(samlResponse: string): string | null {
	try {
		const root = parseXml(decodeBase64Text(samlResponse));
		return root.getAttribute("InResponseTo") || null;
	} catch {
		return null;
	}
}

function decodeBase64Text(value: string): string {
	const bytes = Uint8Array.from(atob(value.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
	return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

const refuse = (reason: string, explanation: string): never => {
	throw new SsoFailure(reason, explanation);
};

function instant(value: string | null): number | null {
	if (!value) return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : ms;
}

/**
 * Checks a posted SAMLResponse for this connection. `requestId` is the AuthnRequest the response
 * claims to answer, already taken once from our records (null: the IdP started this sign-in).
 */
export async function checkSamlResponse(
	samlResponse: string,
	connection: SamlConnection,
	urls: SpUrls,
	requestId: string | null,
	nowMs: number,
): Promise<CheckedAssertion> {
	let root: XmlElement;
	try {
		root = parseXml(decodeBase64Text(samlResponse));
	} catch (error) {
		return refuse(
			"response_malformed",
			error instanceof XmlRefused && error.message === "duplicate_id"
				? "The identity provider's answer repeats an ID, which a genuine answer never does."
				: "The identity provider's answer could not be read.",
		);
	}
	if (root.namespaceURI !== PROTOCOL_NS || root.localName !== "Response")
		refuse("response_malformed", "The identity provider's answer is not a SAML Response.");
	const status = child(root, PROTOCOL_NS, "Status");
	const code = status && child(status, PROTOCOL_NS, "StatusCode");
	if (code?.getAttribute("Value") !== SUCCESS) refuse("provider_refused", "The identity provider did not sign you in.");
	if (countElements(root, ASSERTION_NS, "EncryptedAssertion") > 0)
		refuse(
			"assertion_encrypted",
			"The identity provider encrypted the assertion; switch assertion encryption off for Portico.",
		);
	// Exactly one assertion in the whole document, directly in the Response: a second one (hidden in an
	// extension, an Object or a wrapper) is the signature-wrapping attack's hiding place.
	const assertions = childElements(root, ASSERTION_NS, "Assertion");
	const assertion = assertions[0];
	if (assertions.length !== 1 || !assertion || countElements(root, ASSERTION_NS, "Assertion") !== 1)
		return refuse("assertion_count", "The identity provider's answer must hold exactly one assertion.");

	const keys = await Promise.all(connection.certificates.map((c) => certificateKey(c.der)));
	const [responseSignature, assertionSignature] = await Promise.all([
		verifyEnvelopedSignature(root, keys),
		verifyEnvelopedSignature(assertion, keys),
	]);
	if (responseSignature === "invalid" || assertionSignature === "invalid")
		refuse(
			"signature_invalid",
			"The answer's signature does not match any of the certificates configured for your identity provider.",
		);
	const required = connection.signed === "assertion" ? assertionSignature : responseSignature;
	if (required !== "valid")
		refuse(
			"signature_missing",
			connection.signed === "assertion"
				? "The identity provider did not sign the assertion. Set it to sign the assertion (or choose \u201cresponse\u201d here)."
				: "The identity provider did not sign the response. Set it to sign the response (or choose \u201cassertion\u201d here).",
		);

	// Everything below is read from the elements whose signatures were just checked.
	const responseIssuer = child(root, ASSERTION_NS, "Issuer");
	if (
		textOf(child(assertion, ASSERTION_NS, "Issuer")) !== connection.idpEntityId ||
		(responseIssuer && textOf(responseIssuer) !== connection.idpEntityId)
	)
		refuse("issuer_mismatch", "The answer comes from a different identity provider than the one configured.");
	if (root.getAttribute("Destination") !== urls.acs)
		refuse("destination_mismatch", "The answer was addressed to another service, not this organization's Portico.");
	const inResponseTo = root.getAttribute("InResponseTo") || null;
	if (requestId === null ? inResponseTo !== null || !connection.allowIdpInitiated : inResponseTo !== requestId)
		refuse(
			requestId === null && inResponseTo === null ? "idp_initiated_refused" : "in_response_to_mismatch",
			requestId === null && inResponseTo === null
				? "Sign-ins started at the identity provider are not allowed for this organization. Start from the sign-in page."
				: "This answer does not belong to a sign-in started here. Start again from the sign-in page.",
		);

	const subject = child(assertion, ASSERTION_NS, "Subject");
	const nameId = subject && child(subject, ASSERTION_NS, "NameID");
	if (!subject || !nameId || !textOf(nameId)) return refuse("subject_missing", "The assertion names nobody.");
	const bearer = childElements(subject, ASSERTION_NS, "SubjectConfirmation").find(
		(s) => s.getAttribute("Method") === BEARER,
	);
	const data = bearer && child(bearer, ASSERTION_NS, "SubjectConfirmationData");
	if (!data) return refuse("confirmation_missing", "The assertion has no bearer confirmation.");
	if (data.getAttribute("Recipient") !== urls.acs)
		refuse("recipient_mismatch", "The assertion was meant for another service, not this organization's Portico.");
	if ((data.getAttribute("InResponseTo") || null) !== inResponseTo)
		refuse("in_response_to_mismatch", "This answer does not belong to a sign-in started here.");
	const confirmUntil = instant(data.getAttribute("NotOnOrAfter"));
	if (confirmUntil === null || nowMs >= confirmUntil + SKEW_MS)
		refuse("expired", "The identity provider's answer has expired. Check the clocks, then sign in again.");

	const conditions = child(assertion, ASSERTION_NS, "Conditions") ?? null;
	if (!conditions) return refuse("conditions_missing", "The assertion has no conditions (validity and audience).");
	const notBefore = instant(conditions.getAttribute("NotBefore"));
	const notOnOrAfter = instant(conditions.getAttribute("NotOnOrAfter"));
	if (notBefore !== null && nowMs < notBefore - SKEW_MS)
		refuse("not_yet_valid", "The identity provider's answer is not valid yet. Check the clocks, then sign in again.");
	if (notOnOrAfter !== null && nowMs >= notOnOrAfter + SKEW_MS)
		refuse("expired", "The identity provider's answer has expired. Check the clocks, then sign in again.");
	const restrictions = childElements(conditions, ASSERTION_NS, "AudienceRestriction");
	if (
		restrictions.length === 0 ||
		!restrictions.every((r) => childElements(r, ASSERTION_NS, "Audience").some((a) => textOf(a) === urls.entityId))
	)
		refuse("audience_mismatch", "The assertion is meant for another audience than this organization's Portico.");

	const attributes = new Map<string, string[]>();
	for (const statement of childElements(assertion, ASSERTION_NS, "AttributeStatement"))
		for (const attribute of childElements(statement, ASSERTION_NS, "Attribute"))
			attributes.set(
				attribute.getAttribute("Name") ?? "",
				childElements(attribute, ASSERTION_NS, "AttributeValue").map(textOf),
			);
	const first = (names: string[]) => names.map((n) => attributes.get(n)?.[0]).find(Boolean) ?? null;
	const nameIdText = textOf(nameId);
	const email = first(EMAIL_ATTRIBUTES) ?? (nameIdText.includes("@") ? nameIdText : null);
	return {
		assertionId: assertion.getAttribute("ID") ?? "",
		validUntil: Math.max(confirmUntil ?? 0, notOnOrAfter ?? 0) + SKEW_MS,
		identity: {
			subject: nameIdText,
			email: email?.toLowerCase() ?? null,
			// The organization's own IdP vouches for addresses in the organization's verified domains.
			emailVerified: Boolean(email),
			name: first(NAME_ATTRIBUTES),
			groups: attributes.get(connection.groupsAttribute || DEFAULT_GROUPS_ATTRIBUTE) ?? [],
		},
	};
}

/** The IdP metadata URL the admin entered: https (http only outside production), no credentials or fragment. */
export function checkMetadataUrl(input: string, production: boolean): string | null {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return null;
	}
	if (url.username || url.password || url.hash) return null;
	if (url.protocol !== "https:" && !(url.protocol === "http:" && !production)) return null;
	return url.href;
}

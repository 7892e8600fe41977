// XML signatures on SAML messages — the one file that touches XML-DSig. The cryptography is
// `xmldsigjs` (PeculiarVentures, WebCrypto-based, so it runs in workerd as is: canonicalization,
// digests, the signature value), over a DOM from `@xmldom/xmldom`. What a library cannot decide for us
// is *which* element a signature vouches for, which is where signature wrapping lives; so before the
// library runs, the shape is pinned down here:
// - the document has no DTD and every ID in it is unique;
// - a signature is the direct child of the element it signs, with exactly one Reference whose URI is
//   that element's own ID, only the enveloped-signature and exclusive-c14n transforms, SHA-2 digests
//   and RSA/ECDSA with SHA-2, and no ds:Object (nothing else can be signed in its place);
// - the key is one of the organization's configured certificates, never the document's KeyInfo.
// The caller then reads the element it passed in — the one the signature was checked over.
import { DOMParser, XMLSerializer, type Element as XmlElement } from "@xmldom/xmldom";
import * as pkijs from "pkijs";
import { setNodeDependencies } from "xml-core";
import { SignedXml, X509Certificate } from "xmldsigjs";
import * as xpath from "xpath";
import { toHex } from "../lib/crypto.ts";

// The DOM and XPath implementations xml-core uses where the platform has none (workerd has no DOMParser).
setNodeDependencies({ DOMParser, XMLSerializer, xpath });

export type { XmlElement };

export const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const TRANSFORMS = new Set(["http://www.w3.org/2000/09/xmldsig#enveloped-signature", EXC_C14N]);
const DIGESTS = new Set([
	"http://www.w3.org/2001/04/xmlenc#sha256",
	"http://www.w3.org/2001/04/xmldsig-more#sha384",
	"http://www.w3.org/2001/04/xmlenc#sha512",
]);
const SIGNATURE_METHODS = new Set([
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
]);

export class XmlRefused extends Error {}

/** Parses a document: no DTD (no entities), well-formed, every ID attribute unique. */
export function parseXml(text: string) {
	if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRefused("dtd");
	let doc: ReturnType<DOMParser["parseFromString"]>;
	try {
		doc = new DOMParser({
			onError: (level) => {
				if (level !== "warning") throw new XmlRefused("malformed");
			},
		}).parseFromString(text, "application/xml");
	} catch {
		throw new XmlRefused("malformed");
	}
	const root = doc.documentElement;
	if (!root) throw new XmlRefused("malformed");
	const ids = new Set<string>();
	for (const el of descendants(root)) {
		for (const name of ["ID", "Id", "id"]) {
			const value = el.getAttribute(name);
			if (value === null) continue;
			if (ids.has(value)) throw new XmlRefused("duplicate_id");
			ids.add(value);
		}
	}
	return root;
}

function* descendants(el: XmlElement): Generator<XmlElement> {
	yield el;
	for (const child of childElements(el)) yield* descendants(child);
}

/** The element's element children, optionally only those with this namespace and local name. */
export function childElements(el: XmlElement, ns?: string, localName?: string): XmlElement[] {
	const found: XmlElement[] = [];
	for (let node = el.firstChild; node; node = node.nextSibling) {
		if (node.nodeType !== 1) continue;
		const child = node as XmlElement;
		if (ns === undefined || (child.namespaceURI === ns && child.localName === localName)) found.push(child);
	}
	return found;
}

export function child(el: XmlElement, ns: string, localName: string): XmlElement | null {
	return childElements(el, ns, localName)[0] ?? null;
}

/** Every element with this name anywhere under (and including) the root. */
export function countElements(root: XmlElement, ns: string, localName: string): number {
	let n = 0;
	for (const el of descendants(root)) if (el.namespaceURI === ns && el.localName === localName) n++;
	return n;
}

/** All of an element's text, comments and all split points joined (a comment cannot cut a value short). */
export function textOf(el: XmlElement | null): string {
	return (el?.textContent ?? "").trim();
}

function algorithmOf(parent: XmlElement | null, localName: string): string | null {
	const el = parent && child(parent, DSIG_NS, localName);
	return el?.getAttribute("Algorithm") ?? null;
}

/**
 * The signature directly inside `target`, checked against the configured keys: "absent" when there is
 * none, "valid" when it signs exactly `target` with one of `keys`, "invalid" for anything else.
 */
export async function verifyEnvelopedSignature(
	target: XmlElement,
	keys: CryptoKey[],
): Promise<"absent" | "valid" | "invalid"> {
	const signatures = childElements(target, DSIG_NS, "Signature");
	if (signatures.length === 0) return "absent";
	const signature = signatures[0];
	const id = target.getAttribute("ID");
	if (signatures.length > 1 || !signature || !id) return "invalid";
	const signedInfo = child(signature, DSIG_NS, "SignedInfo");
	const references = signedInfo ? childElements(signedInfo, DSIG_NS, "Reference") : [];
	const reference = references[0];
	if (!signedInfo || references.length !== 1 || !reference) return "invalid";
	if (childElements(signature, DSIG_NS, "Object").length > 0) return "invalid";
	if (algorithmOf(signedInfo, "CanonicalizationMethod") !== EXC_C14N) return "invalid";
	if (!SIGNATURE_METHODS.has(algorithmOf(signedInfo, "SignatureMethod") ?? "")) return "invalid";
	if (reference.getAttribute("URI") !== `#${id}`) return "invalid";
	if (!DIGESTS.has(algorithmOf(reference, "DigestMethod") ?? "")) return "invalid";
	const transforms = child(reference, DSIG_NS, "Transforms");
	const used = transforms ? childElements(transforms) : [];
	if (used.some((t) => t.namespaceURI !== DSIG_NS || !TRANSFORMS.has(t.getAttribute("Algorithm") ?? "")))
		return "invalid";
	for (const key of keys) {
		try {
			const signed = new SignedXml(target.ownerDocument as unknown as Document);
			signed.LoadXml(signature as unknown as Element);
			if (await signed.Verify(key)) return "valid";
		} catch {
			// A digest that does not match, a malformed value: not valid with this key.
		}
	}
	return "invalid";
}

export interface CertificateInfo {
	/** Base64 DER, as in metadata. */
	der: string;
	subject: string;
	notAfter: number;
	/** SHA-256 of the DER, hex, for display and for notices about this certificate. */
	fingerprint: string;
}

/** Reads a certificate given as PEM or bare base64 DER; null when it is not one. */
export async function readCertificate(text: string): Promise<CertificateInfo | null> {
	const der = text
		.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "")
		.replace(/\s+/g, "")
		.trim();
	if (!der || !/^[A-Za-z0-9+/]+=*$/.test(der)) return null;
	try {
		const bytes = Uint8Array.from(atob(der), (ch) => ch.charCodeAt(0));
		const certificate = pkijs.Certificate.fromBER(bytes);
		const subject = certificate.subject.typesAndValues
			.map(
				(tv) => `${tv.type === "2.5.4.3" ? "CN" : tv.type === "2.5.4.10" ? "O" : tv.type}=${tv.value.valueBlock.value}`,
			)
			.join(", ");
		return {
			der,
			subject,
			notAfter: certificate.notAfter.value.getTime(),
			fingerprint: toHex(await crypto.subtle.digest("SHA-256", bytes)),
		};
	} catch {
		return null;
	}
}

/** The public key of a configured certificate, for `verifyEnvelopedSignature`. */
export function certificateKey(der: string): Promise<CryptoKey> {
	const bytes = Uint8Array.from(atob(der), (ch) => ch.charCodeAt(0));
	return new X509Certificate(bytes).exportKey();
}

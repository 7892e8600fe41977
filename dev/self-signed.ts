// Self-signed X.509 certificates for the local SAML identity provider and for tests that need a
// certificate with a chosen expiry. WebCrypto and pkijs only, so it runs in Node and in workerd alike.
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const RSA = {
	name: "RSASSA-PKCS1-v1_5",
	hash: "SHA-256",
	publicExponent: new Uint8Array([1, 0, 1]),
	modulusLength: 2048,
};

function pem(label: string, der: ArrayBuffer): string {
	let text = "";
	for (const b of new Uint8Array(der)) text += String.fromCharCode(b);
	const lines = btoa(text).match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** A new RSA key and a certificate for it, valid from a day ago until `notAfter`. */
export async function selfSignedCertificate(commonName: string, notAfter: Date) {
	const keys = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
	const certificate = new pkijs.Certificate();
	certificate.version = 2;
	certificate.serialNumber = new asn1js.Integer({ value: Date.now() % 1_000_000_000 });
	const name = () =>
		new pkijs.AttributeTypeAndValue({ type: "2.5.4.3", value: new asn1js.Utf8String({ value: commonName }) });
	certificate.issuer.typesAndValues.push(name());
	certificate.subject.typesAndValues.push(name());
	certificate.notBefore.value = new Date(Date.now() - 86_400_000);
	certificate.notAfter.value = notAfter;
	await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
	await certificate.sign(keys.privateKey, "SHA-256");
	const der = certificate.toSchema(true).toBER(false);
	return {
		certificatePem: pem("CERTIFICATE", der),
		privateKeyPem: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)),
	};
}

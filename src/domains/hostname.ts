// Which hostnames an organization may claim: real DNS names in ASCII (international names in punycode),
// never an IP address, localhost, a wildcard or the vendor's own domain.
export type HostnameCheck = { ok: true; hostname: string } | { ok: false; message: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function checkHostname(input: string, portalDomain: string): HostnameCheck {
	const hostname = input.trim().toLowerCase().replace(/\.$/, "");
	if (!hostname) return { ok: false, message: "Enter a hostname such as portal.example.com." };
	if (/[^\x21-\x7e]/.test(hostname)) {
		return { ok: false, message: "Write international names in punycode (xn--…), as your DNS provider shows them." };
	}
	if (hostname.includes("*")) return { ok: false, message: "Wildcards cannot be used: enter one hostname." };
	if (/[/:@?#]/.test(hostname)) return { ok: false, message: "Enter only the hostname, without https:// or a path." };
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes("[")) {
		return { ok: false, message: "An IP address cannot be a portal domain: enter a hostname." };
	}
	if (hostname === "localhost" || hostname.endsWith(".localhost")) {
		return { ok: false, message: "localhost cannot be a portal domain." };
	}
	if (hostname.length > 253) return { ok: false, message: "A hostname can be at most 253 characters." };
	const labels = hostname.split(".");
	if (labels.length < 2) return { ok: false, message: "Enter a full hostname such as portal.example.com." };
	if (labels.some((l) => l.length > 63))
		return { ok: false, message: "Each part of a hostname can be at most 63 characters." };
	if (!labels.every((l) => LABEL.test(l))) {
		return {
			ok: false,
			message: "Use letters, digits and hyphens between the dots, not starting or ending with a hyphen.",
		};
	}
	if (/^\d+$/.test(labels.at(-1) ?? "")) return { ok: false, message: "That is not a domain name." };
	const vendor = portalDomain.toLowerCase();
	if (hostname === vendor || hostname.endsWith(`.${vendor}`)) {
		return { ok: false, message: `Addresses under ${vendor} are the portal's own; use a domain of yours.` };
	}
	return { ok: true, hostname };
}

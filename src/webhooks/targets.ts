// Where a webhook may be sent (SSRF): checked when an endpoint is saved and again before every delivery,
// on the URL and on every address its hostname resolves to. Refused: credentials in the URL, schemes
// other than https (http too in development), ports other than the defaults (8000–9999 too in
// development), the vendor's own hosts, and any address that is not public — loopback, private,
// link-local (the cloud metadata service), carrier-grade NAT, multicast, reserved, IPv4 inside IPv6.
// Development may reach a receiver on this machine's loopback address, on a development port only.

export interface TargetRules {
	development: boolean;
	/** The portal's own domain: neither it nor its subdomains receive webhooks. */
	portalDomain: string;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; problem: string };

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"]);

function ipv4Parts(text: string): number[] | null {
	const parts = text.split(".");
	if (parts.length !== 4) return null;
	const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
	return nums.every((n) => n >= 0 && n <= 255) ? nums : null;
}

function privateV4([a = 0, b = 0, c = 0]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0 && (c === 0 || c === 2)) ||
		(a === 198 && (b === 18 || b === 19)) ||
		(a === 198 && b === 51 && c === 100) ||
		(a === 203 && b === 0 && c === 113) ||
		a >= 224
	);
}

/** The 8 groups of an IPv6 address, or null. */
function ipv6Groups(text: string): number[] | null {
	let t = text.replace(/^\[|\]$/g, "").toLowerCase();
	if (!t.includes(":")) return null;
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t)?.[1];
	if (v4) {
		const p = ipv4Parts(v4);
		if (!p) return null;
		t = t.replace(
			v4,
			`${((p[0] ?? 0) * 256 + (p[1] ?? 0)).toString(16)}:${((p[2] ?? 0) * 256 + (p[3] ?? 0)).toString(16)}`,
		);
	}
	const halves = t.split("::");
	if (halves.length > 2) return null;
	const head = halves[0] ? halves[0].split(":") : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
	const nums = groups.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
	return nums.every((n) => !Number.isNaN(n)) ? nums : null;
}

/** Whether the address is loopback (for the development exception). */
export function isLoopback(address: string): boolean {
	const v4 = ipv4Parts(address);
	if (v4) return v4[0] === 127;
	const v6 = ipv6Groups(address);
	return v6?.slice(0, 7).every((g) => g === 0) === true && v6[7] === 1;
}

/** Whether an IP address is anything but a public unicast address. */
export function isForbiddenAddress(address: string): boolean {
	const v4 = ipv4Parts(address);
	if (v4) return privateV4(v4);
	const g = ipv6Groups(address);
	if (!g) return true;
	const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
	if ([g0, g1, g2, g3, g4].every((x) => x === 0) && (g5 === 0 || g5 === 0xffff)) {
		// ::, ::1, IPv4-compatible and IPv4-mapped: judged as the IPv4 address inside (or refused).
		if (g5 === 0xffff) return privateV4([g6 >> 8, g6 & 255, g7 >> 8, g7 & 255]);
		return true;
	}
	if (g0 === 0x64 && g1 === 0xff9b) return privateV4([g6 >> 8, g6 & 255, g7 >> 8, g7 & 255]); // NAT64
	return (
		(g0 & 0xfe00) === 0xfc00 || // unique local
		(g0 & 0xffc0) === 0xfe80 || // link-local
		(g0 & 0xff00) === 0xff00 || // multicast
		(g0 === 0x2001 && g1 === 0x0db8) || // documentation
		g0 === 0x2002 || // 6to4 wraps IPv4
		(g0 === 0x2001 && g1 === 0) // Teredo
	);
}

const DEVELOPMENT_PORTS = { from: 8000, to: 9999 };

function portAllowed(url: URL, rules: TargetRules): boolean {
	if (url.port === "") return true;
	const port = Number(url.port);
	return (
		port === 443 || port === 80 || (rules.development && port >= DEVELOPMENT_PORTS.from && port <= DEVELOPMENT_PORTS.to)
	);
}

/** The URL alone: scheme, credentials, port, and a hostname that is not ours nor a forbidden address. */
export function checkTargetUrl(raw: string, rules: TargetRules): TargetCheck {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		return { ok: false, problem: "Enter a full URL, such as https://example.com/webhooks." };
	}
	if (url.protocol !== "https:" && !(rules.development && url.protocol === "http:"))
		return { ok: false, problem: "The URL must start with https://." };
	if (url.username || url.password)
		return { ok: false, problem: "Put no user name or password in the URL: verify our signature instead." };
	if (!portAllowed(url, rules))
		return { ok: false, problem: "Use the standard port (443): other ports are not allowed." };
	const host = url.hostname.toLowerCase().replace(/\.$/, "");
	const portal = rules.portalDomain.toLowerCase();
	if (host === portal || host.endsWith(`.${portal}`) || METADATA_HOSTS.has(host))
		return { ok: false, problem: "This address cannot receive webhooks." };
	const literal = ipv4Parts(host) || ipv6Groups(host) ? host.replace(/^\[|\]$/g, "") : null;
	if (literal) return addressAllowed(literal, url, rules) ? { ok: true, url } : refusedAddress();
	if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || !host.includes("."))
		return refusedAddress();
	return { ok: true, url };
}

function addressAllowed(address: string, url: URL, rules: TargetRules): boolean {
	if (!isForbiddenAddress(address)) return true;
	// Development: a receiver on this machine, on a development port.
	return rules.development && isLoopback(address) && url.port !== "" && Number(url.port) >= DEVELOPMENT_PORTS.from;
}

const refusedAddress = (): TargetCheck => ({
	ok: false,
	problem: "This address is not on the public internet: webhooks go to public addresses only.",
});

export interface AddressResolver {
	/** The A or AAAA records of a name (an empty list when there are none). */
	lookup(name: string, type: "A" | "AAAA"): Promise<string[]>;
}

/** The URL and every address its hostname resolves to (a name with no address is refused too). */
export async function checkTarget(raw: string, rules: TargetRules, resolver: AddressResolver): Promise<TargetCheck> {
	const checked = checkTargetUrl(raw, rules);
	if (!checked.ok) return checked;
	const host = checked.url.hostname.replace(/^\[|\]$/g, "");
	if (ipv4Parts(host) || ipv6Groups(host)) return checked;
	let addresses: string[];
	try {
		const [a, aaaa] = await Promise.all([resolver.lookup(host, "A"), resolver.lookup(host, "AAAA")]);
		addresses = [...a, ...aaaa];
	} catch {
		return { ok: false, problem: "The hostname could not be looked up. Try again in a moment." };
	}
	if (addresses.length === 0) return { ok: false, problem: "The hostname has no address." };
	if (addresses.some((address) => !addressAllowed(address, checked.url, rules))) return refusedAddress();
	return checked;
}

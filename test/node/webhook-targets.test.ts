// Where webhooks may go (SSRF): the URL's scheme, credentials, port and host, and every address its
// name resolves to — in production rules and in development's (a loopback receiver on a development
// port only). The resolver answers at its interface, as DNS-over-HTTPS would.
import { describe, expect, it } from "vitest";
import { checkTarget, checkTargetUrl, isForbiddenAddress } from "../../src/webhooks/targets.ts";

const production = { development: false, portalDomain: "portico.example" };
const development = { development: true, portalDomain: "localhost" };

const resolver = (records: Record<string, string[]>) => ({
	lookup: async (name: string, type: "A" | "AAAA") => records[`${type} ${name}`] ?? [],
});

describe("webhook targets", () => {
	it("refuses every address that is not public unicast", () => {
		for (const address of [
			"127.0.0.1",
			"127.8.9.10",
			"10.0.0.1",
			"172.16.5.4",
			"192.168.1.1",
			"169.254.169.254",
			"100.64.0.1",
			"0.0.0.0",
			"224.0.0.1",
			"255.255.255.255",
			"::1",
			"::",
			"::ffff:127.0.0.1",
			"::ffff:7f00:1",
			"64:ff9b::a00:1",
			"fd00::1",
			"fe80::1",
			"ff02::1",
			"2001:db8::1",
		])
			expect(isForbiddenAddress(address), address).toBe(true);
		for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
			expect(isForbiddenAddress(address), address).toBe(false);
	});

	it("refuses URLs by scheme, credentials, port and host", () => {
		const refused = [
			"http://hooks.example.com/in",
			"https://user:pass@hooks.example.com/in",
			"https://hooks.example.com:8443/in",
			"https://127.0.0.1/in",
			"https://[::1]/in",
			"https://169.254.169.254/latest/meta-data",
			"https://10.0.0.1/in",
			"https://localhost/in",
			"https://metadata.google.internal/",
			"https://acme.portico.example/in",
			"https://portico.example/in",
			"https://intranet/in",
			"not a url",
		];
		for (const url of refused) expect(checkTargetUrl(url, production).ok, url).toBe(false);
		expect(checkTargetUrl("https://hooks.example.com/in", production).ok).toBe(true);
		expect(checkTargetUrl("https://hooks.example.com:443/in", production).ok).toBe(true);
	});

	it("lets development reach a loopback receiver on a development port, nothing else private", () => {
		expect(checkTargetUrl("http://127.0.0.1:9100/hooks", development).ok).toBe(true);
		// localhost is the development portal's own domain.
		expect(checkTargetUrl("http://localhost:9100/hooks", development).ok).toBe(false);
		expect(checkTargetUrl("http://127.0.0.1:22/hooks", development).ok).toBe(false);
		expect(checkTargetUrl("http://10.0.0.1:9100/hooks", development).ok).toBe(false);
		expect(checkTargetUrl("http://169.254.169.254:8080/", development).ok).toBe(false);
		expect(checkTargetUrl("http://127.0.0.1:9100/hooks", production).ok).toBe(false);
	});

	it("refuses a hostname that resolves to a forbidden address, or to none", async () => {
		const dns = resolver({
			"A hooks.example.com": ["93.184.216.34"],
			"A rebind.example.com": ["93.184.216.34"],
			"AAAA rebind.example.com": ["::1"],
			"A loopback.example.com": ["127.0.0.1"],
		});
		expect((await checkTarget("https://hooks.example.com/in", production, dns)).ok).toBe(true);
		expect((await checkTarget("https://loopback.example.com/in", production, dns)).ok).toBe(false);
		expect((await checkTarget("https://rebind.example.com/in", production, dns)).ok).toBe(false);
		expect((await checkTarget("https://nowhere.example.com/in", production, dns)).ok).toBe(false);
		const failing = { lookup: async () => Promise.reject(new Error("DNS down")) };
		const down = await checkTarget("https://hooks.example.com/in", production, failing);
		expect(down).toEqual({ ok: false, problem: "The hostname could not be looked up. Try again in a moment." });
	});
});

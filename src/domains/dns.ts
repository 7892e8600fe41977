// DNS lookups over HTTPS (the JSON API Cloudflare and Google serve). The resolver is injectable: the
// endpoint comes from configuration, so development and browser tests use the stack's local resolver
// and Worker tests answer at the fetch boundary — nothing here needs the internet to be tested.
import * as z from "zod";

export interface DnsResolver {
	/** The records' data; TXT strings unquoted and joined, CNAME targets without the final dot. */
	lookup(name: string, type: "TXT" | "CNAME" | "A" | "AAAA"): Promise<string[]>;
}

export const DEFAULT_DOH_ENDPOINT = "https://cloudflare-dns.com/dns-query";

const answerSchema = z.object({
	Status: z.number(),
	Answer: z.array(z.object({ type: z.number(), data: z.string() })).optional(),
});

const TYPE_CODES = { TXT: 16, CNAME: 5, A: 1, AAAA: 28 } as const;

function unquote(data: string): string {
	const parts = data.match(/"((?:[^"\\]|\\.)*)"/g);
	return parts ? parts.map((p) => p.slice(1, -1).replace(/\\(.)/g, "$1")).join("") : data;
}

export function dohResolver(endpoint: string, fetcher: typeof fetch = fetch): DnsResolver {
	return {
		async lookup(name, type) {
			const url = `${endpoint}?name=${encodeURIComponent(name)}&type=${type}`;
			const response = await fetcher(url, { headers: { accept: "application/dns-json" } });
			if (!response.ok) throw new Error(`DNS-over-HTTPS answered ${response.status}`);
			const parsed = answerSchema.safeParse(await response.json());
			if (!parsed.success) throw new Error("DNS-over-HTTPS answer not understood");
			// Status 3 (NXDOMAIN) and an empty answer both mean: no such record.
			return (parsed.data.Answer ?? [])
				.filter((a) => a.type === TYPE_CODES[type])
				.map((a) => (type === "TXT" ? unquote(a.data) : a.data.replace(/\.$/, "").toLowerCase()));
			// A and AAAA answers are addresses; a CNAME on the way is followed by the resolver itself.
		},
	};
}

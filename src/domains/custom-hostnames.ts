// TLS for custom domains. In production Cloudflare for SaaS issues a certificate for each custom
// hostname of the zone; the API call sits behind this interface, and development uses a local stand-in
// (wrangler dev serves plain http, so there is no certificate to get).
import * as z from "zod";
import type { Bindings } from "../env.ts";

export interface CustomHostnames {
	/** Registers the hostname for TLS; returns the provider's id for it. */
	create(hostname: string): Promise<string>;
	remove(providerId: string): Promise<void>;
}

export const localCustomHostnames: CustomHostnames = {
	create: async (hostname) => `local:${hostname}`,
	remove: async () => {},
};

const createdSchema = z.object({ success: z.boolean(), result: z.object({ id: z.string() }).optional() });

export function cloudflareCustomHostnames(
	token: string,
	zoneId: string,
	fetcher: typeof fetch = fetch,
): CustomHostnames {
	const base = `https://api.cloudflare.com/client/v4/zones/${encodeURIComponent(zoneId)}/custom_hostnames`;
	const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
	return {
		async create(hostname) {
			const response = await fetcher(base, {
				method: "POST",
				headers,
				body: JSON.stringify({ hostname, ssl: { method: "http", type: "dv" } }),
			});
			const parsed = createdSchema.safeParse(await response.json().catch(() => null));
			if (!response.ok || !parsed.success || !parsed.data.result) {
				throw new Error(`Cloudflare custom hostname not created (${response.status})`);
			}
			return parsed.data.result.id;
		},
		async remove(providerId) {
			if (providerId.startsWith("local:")) return;
			const response = await fetcher(`${base}/${encodeURIComponent(providerId)}`, { method: "DELETE", headers });
			if (!response.ok && response.status !== 404)
				throw new Error(`Cloudflare custom hostname not removed (${response.status})`);
		},
	};
}

/** Cloudflare for SaaS when configured; the local stand-in only outside production (never silently there). */
export function customHostnamesFor(bindings: Bindings): CustomHostnames {
	if (bindings.CF_API_TOKEN && bindings.CF_ZONE_ID) {
		return cloudflareCustomHostnames(bindings.CF_API_TOKEN, bindings.CF_ZONE_ID);
	}
	if ((bindings.ENVIRONMENT ?? "production") === "production") {
		throw new Error("CF_API_TOKEN and CF_ZONE_ID are required in production (custom hostnames)");
	}
	return localCustomHostnames;
}

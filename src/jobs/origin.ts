// The portal address of an organization, for links in notices sent by background jobs.
import type { Bindings } from "../env.ts";

export function portalOrigin(bindings: Bindings, slug: string, customDomain: string | null = null): string {
	const production = bindings.ENVIRONMENT === "production";
	const host = customDomain ?? `${slug}.${bindings.PORTAL_DOMAIN}`;
	return `${production ? "https" : "http"}://${host}${bindings.PORTAL_PORT ? `:${bindings.PORTAL_PORT}` : ""}`;
}

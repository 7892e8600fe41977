// Host → which site a request is for. Pure, so it is tested on its own.
import type { SiteLookup } from "../db/site.ts";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** `null` means the host is nobody's: answer a 404 that reveals nothing. */
export function lookupForHost(hostname: string, portalDomain: string): SiteLookup | null {
	const host = hostname.toLowerCase().replace(/\.$/, "");
	if (host === portalDomain) return { kind: "apex" };
	if (host.endsWith(`.${portalDomain}`)) {
		const label = host.slice(0, -(portalDomain.length + 1));
		return SLUG_PATTERN.test(label) ? { kind: "slug", slug: label } : null;
	}
	return HOSTNAME.test(host) ? { kind: "domain", hostname: host } : null;
}

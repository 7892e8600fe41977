// The address the organization's people should use: its verified custom domain when it has one, else
// the host of this request. Links in emails and the hosts that email links are bound to use it.
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

export function portalAddress(c: Context<AppEnv>): { origin: string; host: string } {
	const url = new URL(c.req.url);
	const site = c.get("site");
	const custom = site?.kind === "tenant" ? site.org.customDomain : null;
	const host = custom ? `${custom}${url.port ? `:${url.port}` : ""}` : url.host;
	return { host, origin: `${url.protocol}//${host}` };
}

/** The vendor's apex (sign-up, OAuth callbacks, the operator console) as seen from this request. */
export function apexOrigin(c: Context<AppEnv>): string {
	const url = new URL(c.req.url);
	return `${url.protocol}//${c.get("config").PORTAL_DOMAIN}${url.port ? `:${url.port}` : ""}`;
}

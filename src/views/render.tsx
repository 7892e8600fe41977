// One way to answer with a page: the whole layout for a normal request or a history restore, only
// the fragment for an htmx partial request (htmx 4 sends HX-Request-Type: partial).
import type { Context } from "hono";
import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { AppEnv } from "../context.ts";
import { type Brand, brandOf, PORTICO_BRAND } from "./brand.ts";
import { Layout } from "./layout.tsx";

export function siteBrand(c: Context<AppEnv>): Brand {
	const site = c.get("site");
	if (site?.kind !== "tenant") return PORTICO_BRAND;
	return brandOf(site.org);
}

/** An address on the vendor's own site (the apex), from any tenant host. */
function apexUrl(c: Context<AppEnv>, path: string): string {
	const url = new URL(c.req.url);
	const domain = c.get("config")?.PORTAL_DOMAIN ?? url.hostname;
	return `${url.protocol}//${domain}${url.port ? `:${url.port}` : ""}${path}`;
}

export function isPartial(c: Context<AppEnv>): boolean {
	return c.req.header("hx-request") === "true" && c.req.header("hx-request-type") === "partial";
}

export function renderPage(
	c: Context<AppEnv>,
	page: { title: string; body: JSX.Element; status?: number; description?: string },
) {
	c.header("vary", "HX-Request, HX-Request-Type");
	const status = (page.status ?? 200) as 200;
	if (isPartial(c)) return c.html(page.body, status);
	const viewer = c.get("viewer");
	const site = c.get("site");
	return c.html(
		<>
			{raw("<!doctype html>")}
			<Layout
				title={page.title}
				description={page.description}
				brand={siteBrand(c)}
				nonce={c.get("cspNonce")}
				currentPath={new URL(c.req.url).pathname}
				viewer={
					viewer?.membership && !viewer.mfaPending && site?.kind === "tenant"
						? {
								name: viewer.name,
								email: viewer.email,
								permissions: viewer.membership.permissions,
								currentOrgId: site.org.id,
								organizations: viewer.organizations,
								unread: viewer.unread,
								avatarUrl: viewer.avatarUrl,
								createOrgHref: apexUrl(c, "/sign-up"),
								viewAs: viewer.viewAs,
							}
						: null
				}
			>
				{page.body}
			</Layout>
		</>,
		status,
	);
}

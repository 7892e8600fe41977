import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { can } from "../auth/permissions.ts";
import { ASSETS } from "../generated/assets.ts";
import { type Brand, brandCss } from "./brand.ts";
import { Bell } from "./components/bell.tsx";
import { NavList } from "./components/nav-list.tsx";
import { OrgSwitcher } from "./components/org-switcher.tsx";
import { UserMenu } from "./components/user-menu.tsx";
import { PORTAL_SECTIONS } from "./nav.ts";

export interface LayoutProps {
	title: string;
	/** The page's summary for search engines and link previews (a default names the portal). */
	description?: string | undefined;
	brand: Brand;
	nonce: string;
	currentPath: string;
	/** Signed-in member on a tenant host; null shows no navigation. */
	viewer: {
		name: string;
		email: string;
		permissions: readonly string[];
		currentOrgId: string;
		organizations: { id: string; slug: string; name: string }[];
		unread: number | null;
		avatarUrl: string | null;
		/** Sign-up on the vendor's site, for "Create an organization". */
		createOrgHref: string;
		/** An operator's read-only view of this member's portal. */
		viewAs: { operatorLabel: string } | null;
	} | null;
	children: Child;
}

export function Layout({ title, description, brand, nonce, currentPath, viewer, children }: LayoutProps) {
	const sections = viewer ? PORTAL_SECTIONS.filter((s) => can(viewer, s.permission)) : [];
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${title} · ${brand.name}`}</title>
				<meta
					name="description"
					content={
						description ??
						`${title} in ${brand.name}'s self-service portal: plan and invoices, team, usage, API keys and support.`
					}
				/>
				{brand.faviconUrl ? (
					<link rel="icon" href={brand.faviconUrl} />
				) : (
					<link rel="icon" href={ASSETS.icon} type="image/svg+xml" />
				)}
				<link rel="stylesheet" href={ASSETS.css} />
				<style nonce={nonce}>{raw(brandCss(brand))}</style>
				<script src={ASSETS.htmx} defer />
				<script src={ASSETS.tour} defer />
				<script src={ASSETS.copy} defer />
				<script src={ASSETS.confirm} defer />
				<script src={ASSETS.menus} defer />
			</head>
			<body>
				<a class="skip-link" href="#main">
					Skip to content
				</a>
				<header class="site-header">
					<a class="brand" href="/">
						{brand.logoUrl ? <img src={brand.logoUrl} alt="" width="32" height="32" /> : null}
						<span>{brand.name}</span>
					</a>
					{sections.length > 0 ? (
						// A menu on phones; on wider screens the list is always shown (the summary is hidden).
						<details class="nav-menu">
							<summary>Menu</summary>
							<NavList label="Portal" items={sections} currentPath={currentPath} />
						</details>
					) : null}
					{viewer ? (
						<div class="account">
							<Bell unread={viewer.unread} />
							<OrgSwitcher
								currentOrgId={viewer.currentOrgId}
								organizations={viewer.organizations}
								createHref={viewer.createOrgHref}
							/>
							<UserMenu
								name={viewer.name}
								email={viewer.email}
								avatarUrl={viewer.avatarUrl}
								currentPath={currentPath}
							/>
						</div>
					) : null}
				</header>
				{viewer?.viewAs ? (
					<p class="view-as-banner" role="status">
						Read-only view as {viewer.name}, opened by {viewer.viewAs.operatorLabel}. Nothing can be changed; it ends
						after 30 minutes or when you sign out.
					</p>
				) : null}
				<main id="main" tabindex={-1}>
					{children}
				</main>
				<footer class="site-footer">
					{brand.supportEmail || brand.helpLinks.length > 0 ? (
						<ul class="footer-links">
							{brand.supportEmail ? (
								<li>
									<a href={`mailto:${brand.supportEmail}`}>{brand.supportEmail}</a>
								</li>
							) : null}
							{brand.helpLinks.map((l) => (
								<li>
									<a href={l.url} rel="noopener">
										{l.label}
									</a>
								</li>
							))}
						</ul>
					) : null}
					<p>{brand.name === "Portico" ? "Portico" : `${brand.name} portal · powered by Portico`}</p>
				</footer>
			</body>
		</html>
	);
}

// The operator console's frame: its own navigation above each console page.

import type { Child } from "hono/jsx";
import { CredentialFields } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { NavList } from "../../components/nav-list.tsx";

const OPS_SECTIONS = [
	{ href: "/ops", label: "Metrics" },
	{ href: "/ops/tickets", label: "Tickets" },
	{ href: "/ops/articles", label: "Knowledge base" },
	{ href: "/ops/tenants", label: "Organizations" },
	{ href: "/ops/retention", label: "Retention offers" },
	{ href: "/ops/audit", label: "Operator log" },
];

export function OpsShell({
	operatorName,
	currentPath,
	children,
}: {
	operatorName: string;
	currentPath: string;
	children: Child;
}) {
	return (
		<div class="ops">
			<div class="ops-bar">
				<NavList label="Operator console" items={OPS_SECTIONS} currentPath={currentPath} />
				<form method="post" action="/ops/sign-out" class="ops-who">
					<span>{operatorName}</span>
					<button type="submit" class="link-button">
						Sign out
					</button>
				</form>
			</div>
			{children}
		</div>
	);
}

export function OpsSignInForm({
	email,
	errors = {},
	formError,
	notice,
}: {
	email?: string;
	errors?: Record<string, string>;
	formError?: string | undefined;
	notice?: string | undefined;
}) {
	return (
		<section class="panel narrow" aria-labelledby="ops-sign-in-title">
			<h1 id="ops-sign-in-title">Operator console</h1>
			<p class="muted">For the vendor's staff. Customers sign in on their organization's portal.</p>
			<Notice text={notice} />
			<Alert text={formError} />
			<form method="post" action="/ops/sign-in" novalidate>
				<CredentialFields email={email} errors={errors} />
				<button type="submit" class="button primary">
					Sign in
				</button>
			</form>
		</section>
	);
}

// The operator console's frame: its own navigation above each console page.
import type { Child } from "hono/jsx";
import { Field } from "../components/field.tsx";

const OPS_SECTIONS = [
	{ href: "/ops", label: "Metrics" },
	{ href: "/ops/tickets", label: "Tickets" },
	{ href: "/ops/articles", label: "Knowledge base" },
	{ href: "/ops/tenants", label: "Organizations" },
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
				<nav aria-label="Operator console">
					<ul>
						{OPS_SECTIONS.map((s) => (
							<li>
								<a href={s.href} aria-current={s.href === currentPath ? "page" : undefined}>
									{s.label}
								</a>
							</li>
						))}
					</ul>
				</nav>
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
			{notice ? (
				<p class="notice" role="status">
					{notice}
				</p>
			) : null}
			{formError ? (
				<p class="alert" role="alert">
					{formError}
				</p>
			) : null}
			<form method="post" action="/ops/sign-in" novalidate>
				<Field
					name="email"
					label="Email"
					type="email"
					value={email}
					error={errors.email}
					autocomplete="username"
					required
				/>
				<Field
					name="password"
					label="Password"
					type="password"
					error={errors.password}
					autocomplete="current-password"
					required
				/>
				<button type="submit" class="button primary">
					Sign in
				</button>
			</form>
		</section>
	);
}

// Every state-changing route either writes an audit event (named here) or says why it does not. A new
// POST route missing from this table fails the build, and each named action must be written by that
// route: inside its own registration, or in the code it calls (its file's helpers outside any route, and
// the modules it imports, two levels deep — never another route's handler).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";

const AUDITED: Record<string, string[] | { none: string }> = {
	"POST /sign-in": ["auth.sign_in", "auth.sign_in_failed", "auth.sign_in_locked"],
	"POST /sign-in/mfa": ["auth.sign_in", "auth.mfa_failed", "auth.mfa_recovery_code_used"],
	"POST /sign-out": ["auth.sign_out"],
	"POST /sign-in/link": { none: "only sends an email; the sign-in it leads to is audited" },
	"POST /sign-in/link/confirm": ["auth.sign_in"],
	"POST /forgot-password": { none: "only sends an email; the reset is audited" },
	"POST /reset-password": ["auth.password_reset"],
	"POST /verify-email": ["auth.email_verified"],
	"POST /confirm-email": ["auth.email_changed"],
	"POST /account/confirm": { none: "re-authentication for step-up; the action it unlocks is audited" },
	"POST /account/password": ["auth.password_changed"],
	"POST /account/email": ["auth.email_change_requested"],
	"POST /account/verify-email": { none: "only sends an email; verification is audited (auth.email_verified)" },
	"POST /account/sessions/:id/revoke": ["auth.session_revoked"],
	"POST /account/sessions/revoke-others": ["auth.signed_out_everywhere"],
	"POST /switch": ["auth.switched_organization"],
	"POST /account/mfa": ["auth.mfa_enabled"],
	"POST /account/mfa/recovery-codes": ["auth.mfa_recovery_codes_regenerated"],
	"POST /account/mfa/disable": ["auth.mfa_disabled"],
	"POST /settings/security": ["organization.mfa_requirement_changed"],
	"POST /team/invitations": ["team.invited"],
	"POST /team/invitations/:id/resend": ["team.invitation_resent"],
	"POST /team/invitations/:id/revoke": ["team.invitation_revoked"],
	"POST /team/members/:id/role": ["team.role_changed"],
	"POST /team/members/:id/remove": ["team.member_removed"],
	"POST /team/leave": ["team.member_left"],
	"POST /team/invite-link": ["team.invite_link_enabled"],
	"POST /team/invite-link/disable": ["team.invite_link_disabled"],
	"POST /team/members/:id/nominate-owner": ["team.ownership_nominated"],
	"POST /team/ownership/accept": ["team.ownership_transferred"],
	"POST /team/ownership/cancel": ["team.ownership_nomination_cancelled"],
	"POST /team/roles": ["role.created"],
	"POST /team/roles/:id": ["role.updated"],
	"POST /team/roles/:id/delete": ["role.deleted"],
	"POST /invitation/accept": ["team.invitation_accepted"],
	"POST /join": ["team.invited"],
	"POST /notifications/:id/read": { none: "personal inbox state, not an organization change" },
	"POST /notifications/read-all": { none: "personal inbox state, not an organization change" },
	"POST /account/notifications": { none: "personal notification preferences" },
	"POST /onboarding/tour/done": { none: "personal onboarding state" },
	"POST /onboarding/checklist/dismiss": { none: "personal onboarding state" },
	"POST /settings": ["organization.settings_changed"],
	"POST /settings/logo": ["organization.logo_changed"],
	"POST /settings/logo/remove": ["organization.logo_removed"],
	"POST /settings/favicon": ["organization.favicon_changed"],
	"POST /settings/favicon/remove": ["organization.favicon_removed"],
	"POST /settings/branding": ["organization.branding_changed"],
	"POST /settings/domains": ["domain.added"],
	"POST /sign-in/sso": {
		none: "sends the browser to the identity provider; the sign-in or its failure is audited on the callback",
	},
	"POST /settings/sso/domains": ["sso.domain_added"],
	"POST /settings/sso/domains/:id/check": ["sso.domain_verified", "sso.domain_check_failed"],
	"POST /settings/sso/domains/:id/remove": ["sso.domain_removed"],
	"POST /settings/sso/oidc": ["sso.connection_saved"],
	"POST /settings/sso/saml": ["sso.connection_saved"],
	"POST /sso/saml/:orgId/acs": [
		"sso.sign_in",
		"sso.sign_in_failed",
		"sso.member_provisioned",
		"sso.test_succeeded",
		"sso.test_failed",
	],
	"POST /settings/sso/test": {
		none: "sends the admin to the identity provider; the test's outcome is audited on the callback",
	},
	"POST /settings/directory/tokens": ["directory.token_created"],
	"POST /settings/directory/tokens/:id/revoke": ["directory.token_revoked"],
	"POST /scim/v2/Users": ["directory.user_provisioned"],
	"PUT /scim/v2/Users/:id": ["directory.user_updated", "directory.user_deactivated", "directory.user_reactivated"],
	"PATCH /scim/v2/Users/:id": ["directory.user_updated", "directory.user_deactivated", "directory.user_reactivated"],
	"DELETE /scim/v2/Users/:id": ["directory.user_removed"],
	"POST /scim/v2/Groups": ["directory.group_created"],
	"PUT /scim/v2/Groups/:id": ["directory.group_updated"],
	"PATCH /scim/v2/Groups/:id": ["directory.group_updated"],
	"DELETE /scim/v2/Groups/:id": ["directory.group_deleted"],
	"POST /settings/directory/groups/:id/role": ["directory.group_role_mapped"],
	"POST /settings/webhooks": ["webhooks.endpoint_created"],
	"POST /settings/webhooks/:id": ["webhooks.endpoint_updated"],
	"POST /settings/webhooks/:id/rotate": ["webhooks.secret_rotated"],
	"POST /settings/webhooks/:id/test": ["webhooks.test_sent"],
	"POST /settings/webhooks/:id/deliveries/:delivery/replay": ["webhooks.delivery_replayed"],
	"POST /settings/webhooks/:id/replay-failed": ["webhooks.deliveries_replayed"],
	"POST /settings/webhooks/:id/delete": ["webhooks.endpoint_deleted"],
	"POST /settings/sso/enabled": ["sso.enabled", "sso.disabled"],
	"POST /settings/sso/required": ["sso.required", "sso.not_required"],
	"POST /settings/domains/:id{dom_[0-9a-z]{26}}/check": ["domain.verified", "domain.disabled", "domain.check_failed"],
	"POST /settings/domains/:id{dom_[0-9a-z]{26}}/remove": ["domain.removed"],
	"POST /settings/domains/email": ["organization.mail_domain_changed"],
	"POST /settings/domains/email/check": ["organization.mail_domain_verified", "organization.mail_domain_check_failed"],
	"POST /settings/export": ["export.requested"],
	"POST /account/export": ["export.requested"],
	"POST /settings/danger/delete": ["organization.deletion_scheduled"],
	"POST /settings/danger/restore": ["organization.restored"],
	"POST /account/profile": ["user.profile_changed"],
	"POST /account/avatar": ["user.avatar_changed"],
	"POST /account/delete": ["user.deleted"],
	"POST /billing/change": ["billing.plan_upgraded", "billing.downgrade_scheduled"],
	"POST /billing/downgrade/cancel": ["billing.downgrade_cancelled"],
	"POST /billing/checkout": ["billing.checkout_started"],
	"POST /billing/portal": { none: "opens Stripe's portal; the changes made there arrive by webhook and are audited" },
	"POST /billing/cancel": ["billing.cancellation_scheduled"],
	"POST /billing/cancel/reason": ["billing.cancellation_scheduled"],
	"POST /billing/retention/accept": ["billing.retention_offer_accepted"],
	"POST /billing/resume": ["billing.resumed"],
	"POST /keys": ["keys.created"],
	"POST /keys/:id/rotate": ["keys.rotated"],
	"POST /keys/:id/revoke": ["keys.revoked"],
	"POST /keys/:id": ["keys.updated"],
	"POST /audit/verify": ["audit.verified"],
	"POST /help/articles/:slug/vote": { none: "feedback on the vendor's article; the counters are the record" },
	"POST /support/tickets": ["ticket.created"],
	"POST /support/tickets/:id/reply": ["ticket.replied"],
	"POST /support/tickets/:id/resolve": ["ticket.resolved"],
	"POST /support/tickets/:id/reopen": ["ticket.reopened"],
	// Apex
	"POST /webhooks/stripe": ["billing.subscription_changed", "billing.payment_failed"],
	"POST /api/v1/keys/verify": { none: "a read for the vendor's backend; counted as usage, not an organization change" },
	"POST /api/v1/usage": { none: "usage reports are data, kept as raw events and rollups" },
	"POST /sign-up": { none: "only sends an email; the organization is created (and audited) from its link" },
	"POST /sign-up/confirm": ["organization.created"],
	// Operator console: the operator log, and the organization's audit log for what touches one
	"POST /ops/sign-in": ["operator.sign_in_failed"],
	"POST /ops/mfa": ["operator.signed_in", "operator.mfa_enrolled", "operator.mfa_failed"],
	"POST /ops/sign-out": ["operator.signed_out"],
	"POST /ops/tickets/:orgId/:id/reply": [
		"ticket.replied_by_support",
		"ticket.internal_note_added",
		"ticket.status_changed",
	],
	"POST /ops/articles": ["kb.article_created"],
	"POST /ops/articles/:id": ["kb.article_updated"],
	"POST /ops/articles/:id/delete": ["kb.article_deleted"],
	"POST /ops/tenants/:orgId/suspend": ["organization.suspended"],
	"POST /ops/retention/:reason": ["operator.retention_offer_saved"],
	"POST /ops/tenants/:orgId/restore": ["organization.unsuspended"],
	"POST /ops/tenants/:orgId/view-as": ["operator.view_as_started"],
	// The move itself runs in the jobs consumer, which writes organization.database_moved when it is done.
	"POST /ops/tenants/:orgId/database": ["organization.database_move_started"],
	"POST /ops/tenants/:orgId/database/cancel": ["organization.database_move_cancelled"],
};

const SRC = new URL("../../src", import.meta.url).pathname;
const REGISTRATION = /\b(\w+Routes)\.(get|post|put|patch|delete)\(\s*["`]([^"`]+)["`]/g;

/** The end of the call whose "(" is at `open`: parentheses balanced, strings and comments skipped. */
function callEnd(source: string, open: number): number {
	let depth = 0;
	for (let i = open; i < source.length; i++) {
		const ch = source[i];
		if (ch === '"' || ch === "`") {
			for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === "\\") i++;
		} else if (ch === "/" && source[i + 1] === "/") {
			i = source.indexOf("\n", i);
		} else if (ch === "/" && source[i + 1] === "*") {
			i = source.indexOf("*/", i) + 1;
		} else if (ch === "(") depth++;
		else if (ch === ")" && --depth === 0) return i + 1;
	}
	return source.length;
}

interface RouteFile {
	/** "METHOD /path" → the text of its registration call. */
	handlers: Map<string, string>;
	/** Everything outside the registrations and the imports: the file's helpers. */
	shared: string;
	/** Each relative import: the module and the names taken from it. */
	imports: { path: string; names: string[] }[];
}

const files = new Map<string, RouteFile>();
let mounts: Map<string, string[]> | undefined;
function parse(path: string): RouteFile {
	const cached = files.get(path);
	if (cached) return cached;
	const source = readFileSync(path, "utf8");
	const handlers = new Map<string, string>();
	let shared = "";
	let last = 0;
	for (const match of source.matchAll(REGISTRATION)) {
		if ((match.index ?? 0) < last) continue;
		const open = source.indexOf("(", match.index);
		const end = callEnd(source, open);
		mounts ??= mountPrefixes();
		for (const prefix of mounts.get(match[1] ?? "") ?? ["/"]) {
			const path = match[3] === "/" ? prefix : `${prefix === "/" ? "" : prefix}${match[3]}`;
			const key = `${match[2]?.toUpperCase()} ${path}`;
			handlers.set(key, `${handlers.get(key) ?? ""}${source.slice(match.index, end)}`);
		}
		shared += source.slice(last, match.index);
		last = end;
	}
	shared += source.slice(last);
	const imports = [...source.matchAll(/^import (?:type )?\{?([^;]*?)\}? from "(\.{1,2}\/[^"]+)";/gms)]
		.map((m) => ({
			path: resolve(dirname(path), m[2] ?? ""),
			names: (m[1] ?? "").split(",").map(
				(n) =>
					n
						.replace(/^type /, "")
						.split(" as ")
						.pop()
						?.trim() ?? "",
			),
		}))
		.filter((i) => existsSync(i.path));
	shared = shared.replace(/^import [^;]*;$/gms, "");
	const file = { handlers, shared, imports };
	files.set(path, file);
	return file;
}

/** What a module contributes to its importers: its helpers, never its own routes' handlers. */
function reachable(path: string, depth: number, seen = new Set<string>()): string {
	if (seen.has(path) || depth < 0) return "";
	seen.add(path);
	const file = parse(path);
	return [file.shared, ...file.imports.map((i) => reachable(i.path, depth - 1, seen))].join("\n");
}

/** Where each route module is mounted: `.route("/team", team)` chains from app.ts down, aliases followed. */
function mountPrefixes(): Map<string, string[]> {
	const parents = new Map<string, { owner: string; prefix: string }[]>();
	const add = (child: string, owner: string, prefix: string) =>
		parents.set(child, [...(parents.get(child) ?? []), { owner, prefix }]);
	for (const path of [join(SRC, "app.ts"), ...routeFiles(join(SRC, "routes"))]) {
		const source = readFileSync(path, "utf8");
		for (const m of source.matchAll(/(?:export )?const (\w+)\s*=\s*([\s\S]*?);\n/g)) {
			const [, owner = "", body = ""] = m;
			if (/^\w+$/.test(body.trim())) add(body.trim(), owner, "/");
			for (const r of body.matchAll(/\.route\("([^"]*)",\s*(\w+)\)/g)) add(r[2] ?? "", owner, r[1] ?? "/");
		}
		for (const m of source.matchAll(/^(\w+)\.route\("([^"]*)",\s*(\w+)\);/gm)) add(m[3] ?? "", m[1] ?? "", m[2] ?? "/");
		for (const m of source.matchAll(/export \{ (\w+) as (\w+) \}/g)) add(m[1] ?? "", m[2] ?? "", "/");
	}
	const merge = (a: string, b: string) => (b === "/" ? a || "/" : `${a === "/" ? "" : a}${b}`);
	const resolveName = (name: string, seen: Set<string>): string[] => {
		const ups = parents.get(name);
		if (!ups || seen.has(name)) return ["/"];
		return ups.flatMap(({ owner, prefix }) =>
			resolveName(owner, new Set([...seen, name])).map((p) => merge(p, prefix)),
		);
	};
	const out = new Map<string, string[]>();
	for (const name of parents.keys()) out.set(name, [...new Set(resolveName(name, new Set()))]);
	return out;
}

function routeFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? routeFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
	});
}

/** The code that runs for each route: its registration plus what its file and imports provide. */
function codeByRoute(): Map<string, string> {
	const out = new Map<string, string>();
	for (const path of routeFiles(join(SRC, "routes"))) {
		const file = parse(path);
		for (const [route, handler] of file.handlers) {
			// A route runs the modules its handler or its file's helpers name, not every module the file imports.
			const own = `${handler}\n${file.shared}`;
			const used = file.imports.filter((i) => i.names.some((n) => n && new RegExp(`\\b${n}\\b`).test(own)));
			const context = [own, ...used.map((i) => reachable(i.path, 2))].join("\n");
			out.set(route, `${out.get(route) ?? ""}\n${context}`);
		}
	}
	return out;
}

/** The code for one route; a registration in a loop (`/settings/${slot}`) stands for each path it makes. */
function codeFor(code: Map<string, string>, route: string): string | undefined {
	const exact = code.get(route);
	if (exact !== undefined) return exact;
	const found = [...code.entries()].filter(([key]) => {
		if (!key.includes("${")) return false;
		const pattern = key.replace(/[.*+?^()|[\]\\]/g, "\\$&").replace(/\$\{[^}]+\}/g, "[^/]+");
		return new RegExp(`^${pattern}$`).test(route);
	});
	return found.length ? found.map(([, text]) => text).join("\n") : undefined;
}

function sourceText(dir: string): string {
	return readdirSync(dir)
		.map((name) => join(dir, name))
		.map((path) => (statSync(path).isDirectory() ? sourceText(path) : readFileSync(path, "utf8")))
		.join("\n");
}

describe("audit completeness", () => {
	it("lists every state-changing route with the audit events it writes, each of which exists in the code", () => {
		const app = createApp();
		const routes = [...app.routers.tenant.routes, ...app.routers.apex.routes]
			.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method))
			.map((r) => `${r.method} ${r.path}`);
		const missing = [...new Set(routes)].filter((r) => !(r in AUDITED));
		expect(missing, "state-changing routes without an audit decision").toEqual([]);
		const source = sourceText(new URL("../../src", import.meta.url).pathname);
		const actions = Object.values(AUDITED).flatMap((v) => (Array.isArray(v) ? v : []));
		const unknown = actions.filter((a) => !source.includes(`"${a}"`) && !source.includes(`? "${a}"`));
		expect(unknown, "audit actions named here but never written").toEqual([]);
	});

	it("finds each route's audit actions in the code that route runs, not merely somewhere in src", () => {
		const code = codeByRoute();
		const unplaced = Object.entries(AUDITED)
			.filter((entry): entry is [string, string[]] => Array.isArray(entry[1]))
			.flatMap(([route, actions]) => {
				const text = codeFor(code, route);
				if (text === undefined) return [`${route}: no registration found in src/routes`];
				return actions.filter((a) => !text.includes(`"${a}"`)).map((a) => `${route}: ${a}`);
			});
		expect(unplaced).toEqual([]);
	});

	it("notices an action renamed in one route's handler (the check itself can fail)", () => {
		const code = codeByRoute();
		const join = code.get("POST /join") ?? "";
		expect(join).toContain('"team.invited"');
		// The same file's invitation handler is not part of /join's code.
		expect(code.get("POST /join")).not.toContain('"team.invitation_accepted"');
	});
});

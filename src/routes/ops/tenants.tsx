// Console: the organization directory, one organization (members, usage, activity), suspend and
// restore, and "view as" a member — read-only, 30 minutes, recorded in that organization's audit log.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { issueLoginTicket } from "../../auth/handoff.ts";
import type { AppEnv } from "../../context.ts";
import { listAuditEvents } from "../../db/audit.ts";
import { systemAccess } from "../../db/system.ts";
import { loadUsagePeriod } from "../../db/usage.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { currentOperator, operatorLabel } from "../../ops/session.ts";
import { setSuspended, startViewAs } from "../../ops/verbs.ts";
import { metricUsage, periodFor } from "../../usage/dashboard.ts";
import { ConfirmAction } from "../../views/components/confirm-action.tsx";
import { OpsDirectory, OpsTenant } from "../../views/pages/ops/tenants.tsx";
import { isPartial, renderPage } from "../../views/render.tsx";
import { VIEW_AS_MS } from "../identity/sign-in-flow.ts";
import { consoleFormatter, consoleTenant, operatorUnitOf, opsPage, orgIdParam, recordConsoleRead } from "./shared.tsx";

export const opsTenantRoutes = new Hono<AppEnv>();

const orgParam = z.object({ orgId: z.string().regex(orgIdParam, { error: "No such organization." }) });

const DIRECTORY_LIMIT = 100;

opsTenantRoutes.get(
	"/tenants",
	validate(
		"query",
		z.object({ q: z.string().trim().max(100, { error: "Search with fewer characters." }).default("") }),
	),
	async (c) => {
		const format = consoleFormatter();
		const { q } = c.req.valid("query");
		const orgs = await systemAccess(c.get("db")).console.listOrganizations({ search: q, limit: DIRECTORY_LIMIT + 1 });
		return opsPage(c, {
			title: "Organizations",
			body: (
				<OpsDirectory
					search={q}
					more={orgs.length > DIRECTORY_LIMIT}
					rows={orgs.slice(0, DIRECTORY_LIMIT).map((o) => ({
						id: o.id,
						name: o.name,
						slug: o.slug,
						plan: o.planName ?? "None",
						status: o.status,
						members: o.members,
						lastActive: o.lastActiveAt ? format(o.lastActiveAt) : "Never",
					}))}
				/>
			),
		});
	},
);

async function detailOf(c: Context<AppEnv>, orgId: string) {
	const found = await systemAccess(c.get("db")).console.findOrganization(orgId);
	if (!found) throw new AppError("not_found", "No such organization.");
	return found;
}

const NOTICES: Record<string, string> = {
	suspended: "The organization is suspended.",
	restored: "The organization is active again.",
	moving: "The move has started. This page shows when it is done.",
	moved: "The organization's data is in its new database.",
	"move-cancelled": "The move was cancelled; the organization stays where it was.",
};

opsTenantRoutes.get("/tenants/:orgId", validate("param", orgParam), async (c) => {
	const { org, members } = await detailOf(c, c.req.valid("param").orgId);
	const tenant = consoleTenant(c, org);
	await recordConsoleRead(c, "operator.organization_viewed", org.id);
	const nowMs = Date.now();
	const period = periodFor(null, nowMs);
	const [usage, activity] = await Promise.all([
		loadUsagePeriod(c.get("db"), tenant, period.startMs, period.endMs, nowMs),
		listAuditEvents(tenant, 20),
	]);
	const plan = usage.plans.find((p) => p.id === org.planId);
	const format = consoleFormatter();
	return opsPage(c, {
		title: org.name,
		body: (
			<OpsTenant
				id={org.id}
				name={org.name}
				slug={org.slug}
				plan={org.planName ?? "None"}
				status={org.status}
				subscriptionStatus={org.subscriptionStatus}
				created={format(org.createdAt)}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				members={members.map((m) => ({
					userId: m.userId,
					name: m.name,
					email: m.email,
					role: m.role,
					lastActive: m.lastActiveAt ? format(m.lastActiveAt) : "Never",
				}))}
				usage={metricUsage(plan?.limits ?? {}, usage, period, nowMs).map((u) => ({
					label: u.label,
					used: u.used.toLocaleString("en-US"),
					limit: u.limit === null ? "no limit" : u.limit.toLocaleString("en-US"),
				}))}
				activity={activity.map((e) => ({ when: format(e.createdAt), action: e.action, actor: e.actorLabel }))}
				tier={org.isolationTier}
				movingSince={org.databaseMovingAt ? format(org.databaseMovingAt) : null}
			/>
		),
	});
});

opsTenantRoutes.get("/tenants/:orgId/suspend", validate("param", orgParam), async (c) => {
	const { org } = await detailOf(c, c.req.valid("param").orgId);
	const confirm = (
		<ConfirmAction
			title={`Suspend ${org.name}?`}
			consequences={[
				`Everyone who opens ${org.name}'s portal sees a "suspended" page until it is restored; nobody can sign in.`,
				"Its API keys stop verifying. Nothing is deleted.",
				"Recorded in its audit log and the operator log.",
			]}
			action={`/ops/tenants/${org.id}/suspend`}
			submit={`Suspend ${org.name}`}
			cancelHref={`/ops/tenants/${org.id}`}
		/>
	);
	// The dialog gets the confirmation alone; the page without JavaScript has the console around it.
	return isPartial(c)
		? renderPage(c, { title: `Suspend ${org.name}?`, body: confirm })
		: opsPage(c, { title: `Suspend ${org.name}?`, body: confirm });
});

for (const [path, suspend] of [
	["suspend", true],
	["restore", false],
] as const) {
	opsTenantRoutes.post(`/tenants/:orgId/${path}`, validate("param", orgParam), async (c) => {
		const { org } = await detailOf(c, c.req.valid("param").orgId);
		await setSuspended(operatorUnitOf(c, org), org, suspend);
		return redirectTo(c, `/ops/tenants/${org.id}?notice=${suspend ? "suspended" : "restored"}`);
	});
}

opsTenantRoutes.post(
	"/tenants/:orgId/view-as",
	validate("param", orgParam),
	validate("form", z.strictObject({ userId: z.string().regex(/^usr_[0-9a-z]{26}$/, { error: "Choose a member." }) })),
	async (c) => {
		const { org, members } = await detailOf(c, c.req.valid("param").orgId);
		if (org.status !== "active") throw new AppError("conflict", "Only an active organization's portal can be viewed.");
		const member = members.find((m) => m.userId === c.req.valid("form").userId);
		if (!member) throw new AppError("not_found", "That person is not a member of this organization.");
		const url = new URL(c.req.url);
		const host = `${org.slug}.${url.host}`;
		const operator = currentOperator(c);
		const ticket = await issueLoginTicket(c, {
			userId: member.userId,
			orgId: org.id,
			host,
			mfaVerified: true,
			viewAs: { operatorId: operator.id, operatorLabel: operatorLabel(operator) },
		});
		await startViewAs(operatorUnitOf(c, org), member, VIEW_AS_MS / 60_000, ticket.insert);
		return redirectTo(c, `${url.protocol}//${host}/sign-in/ticket?token=${ticket.token}`);
	},
);

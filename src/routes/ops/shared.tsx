// What every console route uses: the page frame, the operator as an audit actor, and one
// organization's tenant data opened by the system side (the console is cross-tenant by design).
import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { OperatorUnit } from "../../audit/unit.ts";
import type { AppEnv } from "../../context.ts";
import type { AuditActor } from "../../db/audit.ts";
import { openTenantDatabase } from "../../db/client.ts";
import { operatorAuditInsert } from "../../db/operators.ts";
import { tenantData } from "../../db/tenant-data.ts";
import { CONSOLE_ZONE, dateFormats } from "../../lib/dates.ts";
import { log } from "../../lib/log.ts";
import { currentOperator, operatorLabel } from "../../ops/session.ts";
import { OpsShell } from "../../views/pages/ops/shell.tsx";
import { renderPage } from "../../views/render.tsx";

export function opsPage(c: Context<AppEnv>, page: { title: string; body: JSX.Element; status?: number }) {
	const operator = currentOperator(c);
	return renderPage(c, {
		title: page.title,
		status: page.status ?? 200,
		body: (
			<OpsShell operatorName={operator.name} currentPath={new URL(c.req.url).pathname}>
				{page.body}
			</OpsShell>
		),
	});
}

export function operatorActor(c: Context<AppEnv>): AuditActor & { type: "operator"; id: string } {
	const operator = currentOperator(c);
	return {
		type: "operator",
		id: operator.id,
		label: operatorLabel(operator),
		ip: c.req.header("cf-connecting-ip") ?? null,
		userAgent: c.req.header("user-agent") ?? null,
	};
}

export function consoleTenant(
	c: Context<AppEnv>,
	org: {
		id: string;
		isolationTier: "shared" | "dedicated";
		databaseUrl: string | null;
		databaseAuthToken: string | null;
	},
) {
	return tenantData({ orgId: org.id, db: openTenantDatabase(c.get("db"), c.get("dbConfig"), org) });
}

/** The operator's unit of work on one organization (see src/audit/unit.ts). */
export function operatorUnitOf(c: Context<AppEnv>, org: Parameters<typeof consoleTenant>[1]): OperatorUnit {
	return {
		db: c.get("db"),
		tenant: consoleTenant(c, org),
		actor: operatorActor(c),
		bindings: c.env,
		dbConfig: c.get("dbConfig"),
		requestId: c.get("requestId"),
	};
}

export function consoleFormatter(locale = "en-US") {
	const f = dateFormats({ ...CONSOLE_ZONE, locale });
	return (ms: number) => `${f.dateTime(ms)} UTC`;
}

export const orgIdParam = /^org_[0-9a-z]{26}$/;

/** Operators reading an organization's data leave a trace in the operator log (the page still loads if it fails). */
export async function recordConsoleRead(
	c: Context<AppEnv>,
	action: string,
	orgId: string,
	target?: { type: string; id: string },
) {
	const actor = operatorActor(c);
	await operatorAuditInsert(c.get("db"), {
		operator: actor,
		action,
		orgId,
		...(target ? { target } : {}),
		ip: actor.ip ?? null,
	}).catch((error: unknown) => log("warn", "operator read not logged", { requestId: c.get("requestId"), error }));
}

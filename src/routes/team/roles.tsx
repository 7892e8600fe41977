// Custom roles (`roles:manage`): built from the permission vocabulary, never granting more than the
// person creating or editing them holds; a role in use cannot be deleted.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import {
	countPendingInvitationsForRole,
	countRoleMembers,
	deleteRoleWrites,
	findCustomRole,
	insertRole,
	rolesQuery,
	updateRole,
} from "../../db/team.ts";
import { AppError } from "../../lib/errors.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { showRefusalsOn } from "../../middleware/refusals.ts";
import { canGrant, permissionListSchema, roleKey, roleNameSchema } from "../../team/rules.ts";
import { RolesPage } from "../../views/pages/team/roles.tsx";
import { renderPage } from "../../views/render.tsx";

export const roleRoutes = new Hono<AppEnv>();
const refusals = showRefusalsOn((c, message) => rolesPage(c, { form: message }, 422));
roleRoutes.use("*", requirePermission("roles:manage"), refusals);

const NOTICES: Record<string, string> = { created: "Role created.", saved: "Role saved.", deleted: "Role deleted." };

async function rolesPage(c: Context<AppEnv>, errors: Record<string, string> = {}, status = 200) {
	const { org } = tenantOf(c);
	const roles = await rolesQuery(c.get("db"), org.id);
	// A refused new role keeps what was typed: its name and ticked permissions.
	const form = status === 200 || c.req.method !== "POST" ? {} : await c.req.parseBody({ all: true }).catch(() => ({}));
	const typed = form as Record<string, unknown>;
	const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => typeof x === "string");
	const values =
		new URL(c.req.url).pathname === "/team/roles" && typeof typed.name === "string"
			? { name: typed.name, permissions: list(typed.permissions) as string[] }
			: undefined;
	return renderPage(c, {
		title: "Roles",
		status,
		body: (
			<RolesPage
				roles={roles}
				grantable={me(c).membership.permissions}
				errors={errors}
				values={values}
				notice={NOTICES[c.req.query("notice") ?? ""]}
			/>
		),
	});
}

// Checkbox groups arrive as repeated fields; `permissions` is always read as a list.
const roleFormSchema = z.strictObject({
	name: roleNameSchema,
	permissions: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), permissionListSchema),
});

function roleForm(onError: (c: Context<AppEnv>, errors: Record<string, string>) => Response | Promise<Response>) {
	return validateOr("form", roleFormSchema, (c, failure) => onError(c, failure.errors));
}

function refuseEscalation(viewer: ReturnType<typeof me>, permissions: string[]) {
	if (!canGrant(viewer.membership.permissions, permissions)) {
		throw new AppError("forbidden", "A role cannot include permissions you do not have yourself.");
	}
}

roleRoutes.get("/", (c) => rolesPage(c));

roleRoutes.post(
	"/",
	roleForm((c, errors) => rolesPage(c, errors, 422)),
	async (c) => {
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		const db = c.get("db");
		const { name, permissions } = c.req.valid("form");
		refuseEscalation(viewer, permissions);
		const role = insertRole(db, org.id, {
			name,
			key: `${roleKey(name)}-${crypto.getRandomValues(new Uint16Array(1))[0]}`,
			permissions,
		});
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: "role.created", target: { type: "role", id: role.id }, metadata: { name, permissions } },
			{
				control: [role.query],
			},
		);
		return redirectTo(c, "/team/roles?notice=created");
	},
);

const roleParam = validate(
	"param",
	z.object({ id: z.string().regex(/^rol_[0-9a-z_]{5,40}$/, { error: "Unknown role." }) }),
);

async function customRole(c: Context<AppEnv>, roleId: string) {
	const role = await findCustomRole(c.get("db"), tenantOf(c).org.id, roleId);
	// Built-in roles and other organizations' roles are not editable here: both are simply not found.
	if (!role) throw new AppError("not_found", "That role does not exist or cannot be changed.");
	return role;
}

roleRoutes.post(
	"/:id",
	roleParam,
	roleForm((c, errors) => rolesPage(c, errors, 422)),
	async (c) => {
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		const db = c.get("db");
		const role = await customRole(c, c.req.valid("param").id);
		const { name, permissions } = c.req.valid("form");
		refuseEscalation(viewer, [...permissions, ...role.permissions]);
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{
				action: "role.updated",
				target: { type: "role", id: role.id },
				metadata: { before: { name: role.name, permissions: role.permissions }, after: { name, permissions } },
			},
			{ control: [updateRole(db, org.id, role.id, { name, permissions })] },
		);
		return redirectTo(c, "/team/roles?notice=saved");
	},
);

roleRoutes.post("/:id/delete", roleParam, async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const role = await customRole(c, c.req.valid("param").id);
	const inUse = await countRoleMembers(db, org.id, role.id);
	if (inUse > 0) {
		throw new AppError(
			"conflict",
			`${inUse} member${inUse === 1 ? " has" : "s have"} the role ${role.name}. Give them another role first.`,
		);
	}
	const invited = await countPendingInvitationsForRole(db, org.id, role.id, Date.now());
	if (invited > 0) {
		throw new AppError(
			"conflict",
			`${invited} pending invitation${invited === 1 ? " uses" : "s use"} the role ${role.name}. Revoke them first.`,
		);
	}
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "role.deleted", target: { type: "role", id: role.id }, metadata: { name: role.name } },
		{
			control: deleteRoleWrites(db, org.id, role.id),
		},
	);
	return redirectTo(c, "/team/roles?notice=deleted");
});

// Custom roles (`roles:manage`): built from the permission vocabulary, never granting more than the
// person creating or editing them holds; a role in use cannot be deleted.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { rolesQuery } from "../../db/team.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { me, orgOf, redirectTo, requirePermission } from "../../middleware/guards.ts";
import { showRefusalsOn } from "../../middleware/refusals.ts";
import { unitOf } from "../../middleware/unit.ts";
import { createRole, deleteRole, editRole } from "../../team/roles.ts";
import { permissionListSchema, roleNameSchema } from "../../team/rules.ts";
import { RolesPage } from "../../views/pages/team/roles.tsx";
import { renderPage } from "../../views/render.tsx";

export const roleRoutes = new Hono<AppEnv>();
const refusals = showRefusalsOn((c, message) => rolesPage(c, { form: message }, 422));
roleRoutes.use("*", requirePermission("roles:manage"), refusals);

const NOTICES: Record<string, string> = { created: "Role created.", saved: "Role saved.", deleted: "Role deleted." };

async function rolesPage(c: Context<AppEnv>, errors: Record<string, string> = {}, status = 200) {
	const roles = await rolesQuery(orgOf(c));
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

roleRoutes.get("/", (c) => rolesPage(c));

roleRoutes.post(
	"/",
	roleForm((c, errors) => rolesPage(c, errors, 422)),
	async (c) => {
		await createRole(unitOf(c), c.req.valid("form"));
		return redirectTo(c, "/team/roles?notice=created");
	},
);

const roleParam = validate(
	"param",
	z.object({ id: z.string().regex(/^rol_[0-9a-z_]{5,40}$/, { error: "Unknown role." }) }),
);

roleRoutes.post(
	"/:id",
	roleParam,
	roleForm((c, errors) => rolesPage(c, errors, 422)),
	async (c) => {
		await editRole(unitOf(c), c.req.valid("param").id, c.req.valid("form"));
		return redirectTo(c, "/team/roles?notice=saved");
	},
);

roleRoutes.post("/:id/delete", roleParam, async (c) => {
	await deleteRole(unitOf(c), c.req.valid("param").id, Date.now());
	return redirectTo(c, "/team/roles?notice=deleted");
});

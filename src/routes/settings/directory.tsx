// Directory sync setup (`sso:manage`, Owners by default), on a paid plan: the SCIM base URL, tokens
// (created and shown once, revoked) and the log of the identity provider's latest requests.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { listScimRequests, listScimTokens } from "../../db/directory.ts";
import { groupsForPortal } from "../../db/directory-groups.ts";
import { rolesQuery } from "../../db/team.ts";
import { AppError } from "../../lib/errors.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { me, orgOf, redirectTo, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { mapGroupRole } from "../../scim/mapping.ts";
import { createScimToken, revokeDirectoryToken } from "../../scim/tokens.ts";
import { canGrant, isOwnerRole } from "../../team/rules.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { DirectoryPage, type DirectoryPageProps } from "../../views/pages/settings/directory.tsx";
import { renderPage } from "../../views/render.tsx";

export const directorySettingsRoutes = new Hono<AppEnv>();
directorySettingsRoutes.use("*", requirePermission("sso:manage"));
directorySettingsRoutes.use("*", async (c, next) => {
	if (c.req.method !== "GET" && tenantOf(c).org.planKey === "free")
		throw new AppError("payment_required", "Directory sync comes with the paid plans. Upgrade on the Billing page.");
	await next();
});

const NOTICES: Record<string, string> = {
	revoked: "Token revoked. It stopped working now.",
	mapped: "Group role saved. Its members' roles changed with it.",
};

async function directoryPage(
	c: Context<AppEnv>,
	extra: Pick<DirectoryPageProps, "newToken" | "errors"> = {},
	status = 200,
) {
	const org = orgOf(c);
	const [tokens, requests, groups, roleRows] = await org.db.batch([
		listScimTokens(org),
		listScimRequests(org),
		groupsForPortal(org),
		rolesQuery(org),
	]);
	const by = me(c).membership;
	// The roles a group can give: never Owner, and only what the admin could grant by hand.
	const mappable = roleRows.filter((r) => !isOwnerRole(r.id) && canGrant(by.permissions, r.permissions));
	return renderPage(c, {
		title: "Directory sync",
		status,
		body: (
			<DirectoryPage
				paid={tenantOf(c).org.planKey !== "free"}
				baseUrl={`${portalAddress(c).origin}/scim/v2`}
				tokens={tokens}
				requests={requests}
				groups={groups}
				roles={mappable.map((r) => ({ id: r.id, name: r.name }))}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				{...extra}
			/>
		),
	});
}

directorySettingsRoutes.get("/", (c) => directoryPage(c));

const tokenForm = z.object({
	name: z.string().trim().min(1, { error: "Name the token, for example after the identity provider." }).max(100),
});

directorySettingsRoutes.post(
	"/tokens",
	validateOr("form", tokenForm, (c, failure) => directoryPage(c, { errors: failure.errors }, 422)),
	async (c) => {
		const { name } = c.req.valid("form");
		const token = await createScimToken(unitOf(c), name);
		// A page holding a secret must not be stored anywhere.
		c.header("cache-control", "no-store");
		return directoryPage(c, { newToken: { name, token } });
	},
);

directorySettingsRoutes.post(
	"/tokens/:id/revoke",
	validate("param", z.object({ id: z.string().regex(/^sct_[0-9a-z]{26}$/, { error: "No such token." }) })),
	async (c) => {
		await revokeDirectoryToken(unitOf(c), c.req.valid("param").id, Date.now());
		return redirectTo(c, "/settings/directory?notice=revoked");
	},
);

directorySettingsRoutes.post(
	"/groups/:id/role",
	validate("param", z.object({ id: z.string().regex(/^dgr_[0-9a-z]{26}$/, { error: "No such group." }) })),
	validate(
		"form",
		z.object({
			roleId: z.union([z.literal(""), z.string().regex(/^rol_[0-9a-z_]{1,40}$/, { error: "Choose a role." })]),
		}),
	),
	async (c) => {
		const roleId = c.req.valid("form").roleId;
		await mapGroupRole(unitOf(c), c.req.valid("param").id, roleId === "" ? null : roleId, Date.now());
		return redirectTo(c, "/settings/directory?notice=mapped#directory-groups");
	},
);

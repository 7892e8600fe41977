// SCIM Groups (RFC 7644 §3) at /scim/v2/Groups: the directory's groups of the organization, whose
// mapping to roles the admin sets at /settings/directory.
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { groupFilter } from "../db/directory-filter.ts";
import { listDirectoryGroups } from "../db/directory-groups.ts";
import {
	changeGroup,
	createGroup,
	groupInput,
	groupPatchToChange,
	groupResource,
	putToChange,
	removeGroup,
	visibleGroup,
} from "../scim/groups.ts";
import { body, listResponse, pageOf, project, readListQuery, scimJson, scimOf } from "../scim/http.ts";
import { patchInput } from "../scim/patch.ts";

export const scimGroupRoutes = new Hono<AppEnv>();

/** Whether the answer leaves members out: Entra and Okta ask so (`excludedAttributes=members`). */
function withMembers(query: { attributes?: string | undefined; excludedAttributes?: string | undefined }) {
	const names = (list?: string) => (list ?? "").split(",").map((a) => a.trim().toLowerCase().replace(/^.*:/, ""));
	if (query.attributes) return names(query.attributes).includes("members");
	return !names(query.excludedAttributes).includes("members");
}

scimGroupRoutes.get("/", async (c) => {
	const ctx = scimOf(c);
	const query = readListQuery(c);
	const { startIndex, count } = pageOf(query);
	const members = withMembers(query);
	const filter = query.filter ? groupFilter(query.filter) : undefined;
	const page = await listDirectoryGroups(ctx.org, { filter, startIndex, count, withMembers: members });
	return scimJson(
		c,
		listResponse(
			page.total,
			startIndex,
			page.groups.map((g) =>
				project(
					groupResource(ctx, g, members ? page.members.filter((m) => m.groupId === g.id) : null),
					query.attributes,
					query.excludedAttributes,
				),
			),
		),
	);
});

scimGroupRoutes.get("/:id", async (c) => {
	const ctx = scimOf(c);
	const query = readListQuery(c);
	const members = withMembers(query);
	const found = await visibleGroup(ctx, c.req.param("id"), members);
	return scimJson(
		c,
		project(
			groupResource(ctx, found.group, members ? found.members : null),
			query.attributes,
			query.excludedAttributes,
		),
	);
});

/** The group as it is now, after a write (members included, as RFC 7644 §3.5.1 answers). */
async function current(c: Parameters<typeof scimOf>[0], id: string, status: 200 | 201 = 200) {
	const ctx = scimOf(c);
	const found = await visibleGroup(ctx, id);
	return scimJson(c, groupResource(ctx, found.group, found.members), status);
}

scimGroupRoutes.post("/", async (c) => {
	const ctx = scimOf(c);
	const id = await createGroup(ctx, await body(c, groupInput));
	c.header("location", `${ctx.baseUrl}/Groups/${id}`);
	return current(c, id, 201);
});

scimGroupRoutes.put("/:id", async (c) => {
	const ctx = scimOf(c);
	const { group } = await visibleGroup(ctx, c.req.param("id"), false);
	await changeGroup(ctx, group, putToChange(await body(c, groupInput)));
	return current(c, group.id);
});

scimGroupRoutes.patch("/:id", async (c) => {
	const ctx = scimOf(c);
	const { group } = await visibleGroup(ctx, c.req.param("id"), false);
	const { Operations } = await body(c, patchInput);
	await changeGroup(ctx, group, groupPatchToChange(Operations));
	// Entra and Okta read nothing back from a PATCH: 204 spares sending every member again.
	return c.body(null, 204);
});

scimGroupRoutes.delete("/:id", async (c) => {
	const ctx = scimOf(c);
	const { group } = await visibleGroup(ctx, c.req.param("id"), false);
	await removeGroup(ctx, group);
	return c.body(null, 204);
});

// SCIM Users (RFC 7644 §3) at /scim/v2/Users: the organization's members as its directory sees them.
import { type Context, Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { findDirectoryUser, listDirectoryUsers } from "../db/directory.ts";
import { userFilter } from "../db/directory-filter.ts";
import { ScimError } from "../scim/errors.ts";
import { body, listResponse, pageOf, project, readListQuery, scimJson, scimOf } from "../scim/http.ts";
import { patchInput, patchToChange } from "../scim/patch.ts";
import {
	changeUser,
	createUser,
	displayNameOf,
	emailOf,
	removeUser,
	userInput,
	userResource,
	visible,
} from "../scim/users.ts";

export const scimUserRoutes = new Hono<AppEnv>();

scimUserRoutes.get("/", async (c) => {
	const ctx = scimOf(c);
	const query = readListQuery(c);
	const { startIndex, count } = pageOf(query);
	const filter = query.filter ? userFilter(query.filter) : undefined;
	const page = await listDirectoryUsers(ctx.org, { filter, startIndex, count, visibleOnly: true });
	return scimJson(
		c,
		listResponse(
			page.total,
			startIndex,
			page.users.map((u) => project(userResource(ctx, u), query.attributes, query.excludedAttributes)),
		),
	);
});

const idParam = (c: Context) => {
	const id = c.req.param("id") ?? "";
	if (!/^mem_[0-9a-z]{26}$/.test(id)) throw new ScimError(404, "There is no such user.");
	return id;
};

async function visibleUser(c: Context<AppEnv>) {
	const user = await findDirectoryUser(scimOf(c).org, idParam(c));
	if (!visible(user)) throw new ScimError(404, "There is no such user.");
	return user;
}

scimUserRoutes.get("/:id", async (c) => {
	const query = readListQuery(c);
	return scimJson(
		c,
		project(userResource(scimOf(c), await visibleUser(c)), query.attributes, query.excludedAttributes),
	);
});

scimUserRoutes.post("/", async (c) => {
	const ctx = scimOf(c);
	const created = await createUser(ctx, await body(c, userInput));
	c.header("location", `${ctx.baseUrl}/Users/${created.id}`);
	return scimJson(c, userResource(ctx, created), 201);
});

scimUserRoutes.put("/:id", async (c) => {
	const ctx = scimOf(c);
	const user = await visibleUser(c);
	const input = await body(c, userInput);
	const address = emailOf(input);
	const changed = await changeUser(ctx, user, {
		email: address,
		name: displayNameOf(input, user.name),
		externalId: input.externalId ?? null,
		active: input.active ?? true,
	});
	return scimJson(c, userResource(ctx, changed));
});

scimUserRoutes.patch("/:id", async (c) => {
	const ctx = scimOf(c);
	const user = await visibleUser(c);
	const { Operations } = await body(c, patchInput);
	const changed = await changeUser(ctx, user, patchToChange(user, Operations));
	return scimJson(c, userResource(ctx, changed));
});

scimUserRoutes.delete("/:id", async (c) => {
	await removeUser(scimOf(c), await visibleUser(c));
	return c.body(null, 204);
});

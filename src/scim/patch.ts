// PATCH on a User (RFC 7644 §3.5.2) turned into the change it asks for. Accepts what Okta and Microsoft
// Entra ID send: ops in any case ("Replace"), booleans as strings ("False"), a value object without a
// path ({"active": false}) or keyed by paths ({"name.givenName": "Ana"}), and the work email by its
// value filter (`emails[type eq "work"].value`).
import * as z from "zod";
import type { DirectoryUser } from "../db/directory.ts";
import { ScimError } from "./errors.ts";
import { scimBoolean, type UserChange } from "./users.ts";

export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export const patchInput = z.looseObject({
	Operations: z
		.array(
			z.looseObject({
				op: z
					.string()
					.transform((s) => s.toLowerCase())
					.pipe(z.enum(["add", "replace", "remove"], { error: "op is add, replace or remove." })),
				path: z.string().max(300).optional(),
				value: z.unknown().optional(),
			}),
		)
		.min(1, { error: "Operations is empty." })
		.max(100),
});

const text = (value: unknown, path: string): string => {
	if (typeof value !== "string" || value.trim() === "" || value.length > 320)
		throw new ScimError(400, `${path} must be a non-empty string.`, "invalidValue");
	return value.trim();
};

function bool(value: unknown): boolean {
	const parsed = scimBoolean.safeParse(value);
	if (!parsed.success) throw new ScimError(400, "active must be true or false.", "invalidValue");
	return parsed.data;
}

const WORK_EMAIL = /^emails(\[type eq "work"\])?(\.value)?$/i;

/** Applies one attribute (by its path) to the change being built. */
function apply(change: UserChange, names: { given: string; family: string }, path: string, value: unknown) {
	const key = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, "");
	const lower = key.toLowerCase();
	if (lower === "active") change.active = bool(value);
	else if (lower === "displayname" || lower === "name.formatted") change.name = text(value, key);
	else if (lower === "name.givenname") names.given = text(value, key);
	else if (lower === "name.familyname") names.family = text(value, key);
	else if (lower === "name" && typeof value === "object" && value !== null) {
		for (const [k, v] of Object.entries(value)) apply(change, names, `name.${k}`, v);
	} else if (lower === "username") change.email = text(value, key).toLowerCase();
	else if (lower === "externalid") change.externalId = text(value, key);
	else if (WORK_EMAIL.test(key)) {
		const address = Array.isArray(value)
			? (value.find((e) => e?.primary === true || e?.type === "work") ?? value[0])?.value
			: typeof value === "object" && value !== null
				? (value as { value?: unknown }).value
				: value;
		change.email = text(address, "emails").toLowerCase();
	} else if (lower.startsWith("urn:ietf:params:scim:schemas:extension:") || lower === "title" || lower === "roles") {
		// Enterprise attributes (department, manager…) and titles are not held: accepted and ignored.
	} else throw new ScimError(400, `"${key}" is not an attribute Portico holds.`, "invalidPath");
}

/** The change a list of PATCH operations asks of `user`. */
export function patchToChange(user: DirectoryUser, operations: z.infer<typeof patchInput>["Operations"]): UserChange {
	const change: UserChange = {};
	const [given = "", ...rest] = user.name.split(" ");
	const names = { given, family: rest.join(" ") };
	const before = { ...names };
	for (const operation of operations) {
		if (operation.op === "remove") {
			if (operation.path?.toLowerCase() === "externalid") change.externalId = null;
			else if (!operation.path) throw new ScimError(400, "remove needs a path.", "noTarget");
			else throw new ScimError(400, `"${operation.path}" cannot be removed.`, "mutability");
			continue;
		}
		if (operation.path) apply(change, names, operation.path, operation.value);
		else if (typeof operation.value === "object" && operation.value !== null && !Array.isArray(operation.value)) {
			for (const [path, value] of Object.entries(operation.value)) apply(change, names, path, value);
		} else throw new ScimError(400, "An operation without a path needs an object value.", "invalidValue");
	}
	if (change.name === undefined && (names.given !== before.given || names.family !== before.family))
		change.name = [names.given, names.family].filter(Boolean).join(" ");
	return change;
}

// A SCIM filter (RFC 7644 §3.4.2.2) on Users or Groups, compiled to one SQL condition: parsed by
// `scim2-parse-filter` (a maintained parser of the RFC's grammar), then each comparison mapped to the
// column it means. Attribute names are case-insensitive, as the RFC says; `userName` and emails compare
// case-insensitively (caseExact false), `externalId` and `id` exactly. An attribute or operator we do
// not hold is `invalidFilter`, never a silent "matches nothing".
import { type SQL, sql } from "drizzle-orm";
import { type Filter, parse } from "scim2-parse-filter";
import { ScimError } from "../scim/errors.ts";
import { directoryGroupMembers, directoryGroups, memberships, users } from "./schema.ts";

type Column = { sql: SQL; caseExact: boolean; kind: "text" | "active" };

const text = (column: SQL, caseExact: boolean): Column => ({ sql: column, caseExact, kind: "text" });

const USER_ATTRIBUTES: Record<string, Column> = {
	id: text(sql`${memberships.id}`, true),
	externalid: text(sql`${memberships.directoryExternalId}`, true),
	username: text(sql`${users.email}`, false),
	"emails.value": text(sql`${users.email}`, false),
	emails: text(sql`${users.email}`, false),
	displayname: text(sql`${users.name}`, false),
	"name.formatted": text(sql`${users.name}`, false),
	active: { sql: sql`${memberships.deprovisionedAt}`, caseExact: true, kind: "active" },
};

const GROUP_ATTRIBUTES: Record<string, Column> = {
	id: text(sql`${directoryGroups.id}`, true),
	externalid: text(sql`${directoryGroups.externalId}`, true),
	displayname: text(sql`${directoryGroups.displayName}`, false),
};

/** A group's members, inside the `exists` that asks for one of them (`members[value eq "…"]`). */
const MEMBER_ATTRIBUTES: Record<string, Column> = {
	value: text(sql`${directoryGroupMembers.membershipId}`, true),
};

interface Dialect {
	attributes: Record<string, Column>;
	/** The schema URN prefix an attribute may carry. */
	urn: RegExp;
	/** `attr[filter]` and `attr.sub op value` on multi-valued attributes. */
	multiValued: Record<string, (filter: Filter) => SQL>;
}

const ALWAYS = sql`1`;
const NEVER = sql`0`;

function escapeLike(value: string): string {
	return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function attribute(dialect: Dialect, path: string): Column {
	const column = dialect.attributes[path.toLowerCase().replace(dialect.urn, "")];
	if (!column) throw new ScimError(400, `Filtering on "${path}" is not supported.`, "invalidFilter");
	return column;
}

function comparison(op: string, column: Column, value: unknown): SQL {
	if (column.kind === "active") {
		const active = value === true || (typeof value === "string" && value.toLowerCase() === "true");
		if (op === "pr") return ALWAYS;
		if (op !== "eq" && op !== "ne") throw new ScimError(400, `"${op}" does not apply to active.`, "invalidFilter");
		const wantActive = op === "eq" ? active : !active;
		return wantActive ? sql`${column.sql} is null` : sql`${column.sql} is not null`;
	}
	if (op === "pr") return sql`(${column.sql} is not null and ${column.sql} <> '')`;
	if (typeof value !== "string")
		throw new ScimError(400, "Compare text attributes with a quoted string.", "invalidFilter");
	const left = column.caseExact ? column.sql : sql`lower(${column.sql})`;
	const right = column.caseExact ? value : value.toLowerCase();
	switch (op) {
		case "eq":
			return sql`${left} = ${right}`;
		case "ne":
			return sql`(${left} is null or ${left} <> ${right})`;
		case "co":
			return sql`${left} like ${`%${escapeLike(right)}%`} escape '\\'`;
		case "sw":
			return sql`${left} like ${`${escapeLike(right)}%`} escape '\\'`;
		case "ew":
			return sql`${left} like ${`%${escapeLike(right)}`} escape '\\'`;
		case "gt":
			return sql`${left} > ${right}`;
		case "ge":
			return sql`${left} >= ${right}`;
		case "lt":
			return sql`${left} < ${right}`;
		case "le":
			return sql`${left} <= ${right}`;
		default:
			throw new ScimError(400, `The operator "${op}" is not supported.`, "invalidFilter");
	}
}

/** `emails[type eq "work" and primary eq true]`: every member's one email is the work, primary one. */
function emailValueFilter(filter: Filter): SQL {
	switch (filter.op) {
		case "and":
			return sql`(${sql.join(filter.filters.map(emailValueFilter), sql` and `)})`;
		case "or":
			return sql`(${sql.join(filter.filters.map(emailValueFilter), sql` or `)})`;
		case "not":
			return sql`not (${emailValueFilter(filter.filter)})`;
		case "[]":
			throw new ScimError(400, "A filter inside a filter is not valid here.", "invalidFilter");
		default: {
			const path = filter.attrPath.toLowerCase();
			const value = "compValue" in filter ? filter.compValue : undefined;
			if (path === "type") return filter.op === "pr" || (filter.op === "eq" && value === "work") ? ALWAYS : NEVER;
			if (path === "primary") return filter.op === "pr" || (filter.op === "eq" && value === true) ? ALWAYS : NEVER;
			if (path === "value") return comparison(filter.op, attribute(USERS, "emails.value"), value);
			throw new ScimError(400, `Filtering emails on "${filter.attrPath}" is not supported.`, "invalidFilter");
		}
	}
}

function compile(dialect: Dialect, filter: Filter): SQL {
	switch (filter.op) {
		case "and":
			return sql`(${sql.join(
				filter.filters.map((f) => compile(dialect, f)),
				sql` and `,
			)})`;
		case "or":
			return sql`(${sql.join(
				filter.filters.map((f) => compile(dialect, f)),
				sql` or `,
			)})`;
		case "not":
			return sql`not (${compile(dialect, filter.filter)})`;
		case "[]": {
			const inner = dialect.multiValued[filter.attrPath.toLowerCase().replace(dialect.urn, "")];
			if (!inner) throw new ScimError(400, `Filtering on "${filter.attrPath}[…]" is not supported.`, "invalidFilter");
			return inner(filter.valFilter);
		}
		default: {
			// `members.value eq "…"` is `members[value eq "…"]`.
			const [head, sub] = filter.attrPath.toLowerCase().replace(dialect.urn, "").split(".");
			const inner = head ? dialect.multiValued[head] : undefined;
			if (inner && sub) return inner({ ...filter, attrPath: sub });
			return comparison(
				filter.op,
				attribute(dialect, filter.attrPath),
				"compValue" in filter ? filter.compValue : undefined,
			);
		}
	}
}

const USERS: Dialect = {
	attributes: USER_ATTRIBUTES,
	urn: /^urn:ietf:params:scim:schemas:core:2\.0:user:/,
	multiValued: { emails: emailValueFilter },
};

const MEMBERS: Dialect = { attributes: MEMBER_ATTRIBUTES, urn: /^$/, multiValued: {} };

const GROUPS: Dialect = {
	attributes: GROUP_ATTRIBUTES,
	urn: /^urn:ietf:params:scim:schemas:core:2\.0:group:/,
	multiValued: {
		members: (filter) =>
			sql`exists (select 1 from ${directoryGroupMembers} where ${directoryGroupMembers.groupId} = ${directoryGroups.id} and ${compile(MEMBERS, filter)})`,
	},
};

function compileText(dialect: Dialect, text: string): SQL {
	let ast: Filter;
	try {
		ast = parse(text);
	} catch {
		throw new ScimError(400, "The filter is not valid SCIM filter syntax.", "invalidFilter");
	}
	return compile(dialect, ast);
}

/** The SQL condition for a Users `filter` parameter, or `invalidFilter`. */
export const userFilter = (text: string): SQL => compileText(USERS, text);

/** The SQL condition for a Groups `filter` parameter, or `invalidFilter`. */
export const groupFilter = (text: string): SQL => compileText(GROUPS, text);

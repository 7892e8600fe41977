// What the SCIM API says about itself (RFC 7643 §5–7): the features it supports, its resource types and
// the schemas of their attributes — what Okta and Entra ID read when an admin connects them.
import { SCIM_ERROR_SCHEMA } from "./errors.ts";
import { GROUP_SCHEMA } from "./groups.ts";
import { USER_SCHEMA } from "./users.ts";

const meta = (baseUrl: string, resourceType: string, path: string) => ({
	resourceType,
	location: `${baseUrl}${path}`,
});

export function serviceProviderConfig(baseUrl: string) {
	return {
		schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
		documentationUri: `${baseUrl.replace(/\/scim\/v2$/, "")}/settings/directory`,
		patch: { supported: true },
		bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
		filter: { supported: true, maxResults: 200 },
		changePassword: { supported: false },
		sort: { supported: false },
		etag: { supported: false },
		authenticationSchemes: [
			{
				type: "oauthbearertoken",
				name: "Bearer token",
				description: "A directory token created at Settings → Directory sync.",
				primary: true,
			},
		],
		meta: meta(baseUrl, "ServiceProviderConfig", "/ServiceProviderConfig"),
	};
}

export function resourceTypes(baseUrl: string) {
	return [
		{
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
			id: "User",
			name: "User",
			endpoint: "/Users",
			description: "A member of the organization",
			schema: USER_SCHEMA,
			meta: meta(baseUrl, "ResourceType", "/ResourceTypes/User"),
		},
		{
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
			id: "Group",
			name: "Group",
			endpoint: "/Groups",
			description: "A directory group, which may be mapped to a role in the portal",
			schema: GROUP_SCHEMA,
			meta: meta(baseUrl, "ResourceType", "/ResourceTypes/Group"),
		},
	];
}

const attribute = (name: string, extra: Record<string, unknown> = {}) => ({
	name,
	type: "string",
	multiValued: false,
	required: false,
	caseExact: false,
	mutability: "readWrite",
	returned: "default",
	uniqueness: "none",
	...extra,
});

export function schemas(baseUrl: string) {
	return [
		{
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
			id: USER_SCHEMA,
			name: "User",
			description: "A member of the organization",
			attributes: [
				attribute("userName", { required: true, uniqueness: "server", description: "The member's email address" }),
				attribute("externalId", { caseExact: true, description: "The member's id at the identity provider" }),
				attribute("displayName"),
				{
					...attribute("name", { type: "complex" }),
					subAttributes: [attribute("formatted"), attribute("givenName"), attribute("familyName")],
				},
				{
					...attribute("emails", { type: "complex", multiValued: true }),
					subAttributes: [attribute("value"), attribute("type"), attribute("primary", { type: "boolean" })],
				},
				attribute("active", { type: "boolean" }),
				{
					...attribute("roles", { type: "complex", multiValued: true, mutability: "readOnly" }),
					subAttributes: [attribute("value", { mutability: "readOnly" })],
				},
			],
			meta: meta(baseUrl, "Schema", `/Schemas/${USER_SCHEMA}`),
		},
		{
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
			id: GROUP_SCHEMA,
			name: "Group",
			description: "A directory group; its members are Users",
			attributes: [
				attribute("displayName", { required: true, uniqueness: "server" }),
				attribute("externalId", { caseExact: true }),
				{
					...attribute("members", { type: "complex", multiValued: true }),
					subAttributes: [
						attribute("value", { caseExact: true, mutability: "immutable" }),
						attribute("display", { mutability: "readOnly" }),
						attribute("type", { mutability: "immutable", canonicalValues: ["User"] }),
						attribute("$ref", { type: "reference", referenceTypes: ["User"], mutability: "immutable" }),
					],
				},
			],
			meta: meta(baseUrl, "Schema", `/Schemas/${GROUP_SCHEMA}`),
		},
		{
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
			id: SCIM_ERROR_SCHEMA,
			name: "Error",
			description: "The errors this API answers with",
			attributes: [attribute("status"), attribute("scimType"), attribute("detail")],
			meta: meta(baseUrl, "Schema", `/Schemas/${SCIM_ERROR_SCHEMA}`),
		},
	];
}

// SCIM errors (RFC 7644 §3.12): the status, the `scimType` an identity provider acts on, and a detail
// in our words. Never a stack or a database message.
export type ScimType =
	| "invalidFilter"
	| "invalidValue"
	| "invalidSyntax"
	| "invalidPath"
	| "noTarget"
	| "mutability"
	| "uniqueness"
	| "tooMany";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export class ScimError extends Error {
	constructor(
		readonly status: number,
		readonly detail: string,
		readonly scimType?: ScimType,
	) {
		super(detail);
	}

	body() {
		return {
			schemas: [SCIM_ERROR_SCHEMA],
			status: String(this.status),
			...(this.scimType ? { scimType: this.scimType } : {}),
			detail: this.detail,
		};
	}
}

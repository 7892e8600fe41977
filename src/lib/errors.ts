// One closed vocabulary of expected failures, mapped to HTTP in one place.
export type ErrorCode =
	| "not_found"
	| "forbidden"
	| "conflict"
	| "validation"
	| "limit_exceeded"
	| "payment_required"
	| "rate_limited"
	| "unauthorized"
	| "payload_too_large"
	| "unavailable";

export const STATUS_BY_CODE = {
	not_found: 404,
	forbidden: 403,
	conflict: 409,
	validation: 422,
	limit_exceeded: 429,
	payment_required: 402,
	rate_limited: 429,
	unauthorized: 401,
	payload_too_large: 413,
	unavailable: 503,
} as const satisfies Record<ErrorCode, number>;

export class AppError extends Error {
	readonly code: ErrorCode;
	/** Field → message, for validation errors that re-render a form. */
	readonly fields: Record<string, string> | undefined;

	constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
		super(message);
		this.name = "AppError";
		this.code = code;
		this.fields = fields;
	}

	get status(): (typeof STATUS_BY_CODE)[ErrorCode] {
		return STATUS_BY_CODE[this.code];
	}
}

/** True when the database could not be reached at all (as opposed to a query that failed). */
export function isDatabaseUnreachable(error: unknown): boolean {
	for (
		let e = error as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
		e;
		e = e.cause as typeof e
	) {
		if (e.name === "HttpServerError" || e.code === "SERVER_ERROR") return true;
		if (e.name === "TypeError" && /fetch|network|connect/i.test(e.message ?? "")) return true;
		if (/ECONNREFUSED|Network connection lost|connect(ion)? (refused|failed)/i.test(e.message ?? "")) return true;
	}
	return false;
}

function messagesOf(error: unknown): string {
	const parts: string[] = [];
	for (
		let e = error as { message?: string; cause?: unknown } | undefined;
		e && parts.length < 8;
		e = e.cause as typeof e
	) {
		parts.push(String(e.message ?? e));
	}
	return parts.join(" ");
}

/**
 * Why tenant data is briefly out of reach, when it is: the organization is moving between databases
 * (a trigger refused the write), or its database has not had this release's migrations yet.
 */
export function tenantDataUnavailable(error: unknown): "moving" | "unmigrated" | null {
	const text = messagesOf(error);
	if (text.includes("tenant_moving")) return "moving";
	if (/no such (table|column)/i.test(text)) return "unmigrated";
	return null;
}

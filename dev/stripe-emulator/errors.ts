export class StripeApiError extends Error {
	readonly status: number;
	readonly type: string;
	readonly code: string | undefined;
	readonly param: string | undefined;
	constructor(status: number, message: string, options: { type?: string; code?: string; param?: string } = {}) {
		super(message);
		this.status = status;
		this.type = options.type ?? "invalid_request_error";
		this.code = options.code;
		this.param = options.param;
	}
	toJSON() {
		return {
			error: {
				type: this.type,
				message: this.message,
				...(this.code ? { code: this.code } : {}),
				...(this.param ? { param: this.param } : {}),
			},
		};
	}
}

export function missing(param: string): StripeApiError {
	return new StripeApiError(400, `Missing required param: ${param}.`, { code: "parameter_missing", param });
}

export function notFound(kind: string, id: string): StripeApiError {
	return new StripeApiError(404, `No such ${kind}: '${id}'`, { code: "resource_missing", param: "id" });
}

/**
 * The parameters a route takes, nested as Stripe nests them: `true` for a value (or a free-form hash such
 * as `metadata`), an object for a hash with known keys, a one-element array for a list of such hashes.
 */
export type ParamSpec = { [key: string]: true | ParamSpec | [ParamSpec] };

function unknownParam(path: string): StripeApiError {
	return new StripeApiError(400, `Received unknown parameter: ${path}`, { code: "parameter_unknown", param: path });
}

function checkAgainst(value: unknown, spec: ParamSpec, path: string): void {
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new StripeApiError(400, `Invalid object: ${path} must be a hash`, { param: path });
	}
	for (const [key, inner] of Object.entries(value)) {
		const rule = spec[key];
		const at = path ? `${path}[${key}]` : key;
		if (rule === undefined) throw unknownParam(at);
		if (rule === true) continue;
		if (Array.isArray(rule)) {
			const items = Array.isArray(inner) ? inner : [];
			if (!Array.isArray(inner)) throw new StripeApiError(400, `Invalid array: ${at}`, { param: at });
			items.forEach((item, i) => {
				checkAgainst(item, rule[0], `${at}[${i}]`);
			});
		} else checkAgainst(inner, rule, at);
	}
}

/**
 * Keeps the emulator honest: a parameter it does not implement is an error, never silently ignored —
 * at any depth (`items[0][bogus]`), in POST bodies and query strings alike.
 */
export function onlyParams(params: Record<string, unknown>, allowed: string[] | ParamSpec): void {
	const spec: ParamSpec = Array.isArray(allowed) ? Object.fromEntries(allowed.map((k) => [k, true])) : allowed;
	checkAgainst(params, spec, "");
}

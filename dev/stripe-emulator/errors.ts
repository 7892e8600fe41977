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

/** Keeps the emulator honest: a parameter it does not implement is an error, never silently ignored. */
export function onlyParams(params: Record<string, unknown>, allowed: string[]): void {
	for (const key of Object.keys(params)) {
		if (!allowed.includes(key))
			throw new StripeApiError(400, `Received unknown parameter: ${key}`, { code: "parameter_unknown", param: key });
	}
}

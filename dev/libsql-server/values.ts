// Hrana values <-> libSQL engine values. Integers travel as decimal strings so all 64 bits survive
// JSON; the engine runs with safeIntegers so it hands us BigInt for INTEGER and number for REAL.

export type HranaValue =
	| { type: "null" }
	| { type: "integer"; value: string }
	| { type: "float"; value: number }
	| { type: "text"; value: string }
	| { type: "blob"; base64: string };

export type EngineValue = null | bigint | number | string | Buffer;

export class ProtocolError extends Error {
	readonly code: string;
	constructor(message: string, code = "PROTOCOL_ERROR") {
		super(message);
		this.code = code;
	}
}

/**
 * A protocol error sqld answers for the whole pipeline with HTTP 400 (the stream is closed): a request of
 * unknown type, a statement with both or neither of `sql` and `sql_id`, a duplicate `store_sql`, a
 * request after `close`.
 */
export class FatalProtocolError extends ProtocolError {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function decodeValue(value: unknown): EngineValue {
	if (typeof value !== "object" || value === null) {
		throw new ProtocolError("A value must be an object with a 'type'", "ARGS_INVALID");
	}
	const v = value as Record<string, unknown>;
	switch (v.type) {
		case "null":
			return null;
		case "integer": {
			if (typeof v.value !== "string" || !/^-?\d{1,20}$/.test(v.value)) {
				throw new ProtocolError("An integer value must be a decimal string", "ARGS_INVALID");
			}
			const n = BigInt(v.value);
			if (n < INT64_MIN || n > INT64_MAX) {
				throw new ProtocolError("An integer value must fit in 64 bits", "ARGS_INVALID");
			}
			return n;
		}
		case "float":
			if (typeof v.value !== "number" || !Number.isFinite(v.value)) {
				throw new ProtocolError("A float value must be a finite number", "ARGS_INVALID");
			}
			return v.value;
		case "text":
			if (typeof v.value !== "string") {
				throw new ProtocolError("A text value must be a string", "ARGS_INVALID");
			}
			// Turso keeps a NUL inside text; this engine binding cuts text at it on the way back, so it is
			// refused here rather than silently shortened (send it as a blob).
			if (v.value.includes("\u0000")) {
				throw new ProtocolError("A text value cannot contain NUL here: send it as a blob", "ARGS_INVALID");
			}
			return v.value;
		case "blob":
			if (typeof v.base64 !== "string") {
				throw new ProtocolError("A blob value must carry 'base64'", "ARGS_INVALID");
			}
			return Buffer.from(v.base64, "base64");
		default:
			throw new ProtocolError(`Unknown value type ${JSON.stringify(v.type)}`, "ARGS_INVALID");
	}
}

export function encodeValue(value: unknown): HranaValue {
	if (value === null || value === undefined) return { type: "null" };
	if (typeof value === "bigint") return { type: "integer", value: value.toString() };
	if (typeof value === "number") {
		// With safeIntegers on, a JS number only comes from a REAL column.
		return { type: "float", value };
	}
	if (typeof value === "string") return { type: "text", value };
	if (value instanceof Uint8Array) {
		return { type: "blob", base64: Buffer.from(value).toString("base64").replace(/=+$/, "") };
	}
	if (value instanceof ArrayBuffer) {
		return { type: "blob", base64: Buffer.from(value).toString("base64").replace(/=+$/, "") };
	}
	throw new ProtocolError(`Cannot encode a value of type ${typeof value}`, "INTERNAL");
}

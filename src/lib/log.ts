// Structured logs: one JSON line each, with the request id when there is one.
type Level = "debug" | "info" | "warn" | "error";

function describe(value: unknown): unknown {
	if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
	return value;
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
	const line = JSON.stringify({
		level,
		msg,
		time: new Date().toISOString(),
		...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, describe(v)])),
	});
	if (level === "error") console.error(line);
	else if (level === "warn") console.warn(line);
	else console.log(line);
}

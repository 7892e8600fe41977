// Reading a form body that may be malformed (a broken multipart boundary, a truncated upload): bad input
// is a 4xx with a message, never an internal error.
import type { Context } from "hono";
import { AppError } from "./errors.ts";

export async function formBody(c: Context, options: { all?: boolean } = {}): Promise<Record<string, unknown>> {
	try {
		return (await c.req.parseBody(options)) as Record<string, unknown>;
	} catch {
		throw new AppError("validation", "What you sent could not be read as a form. Reload the page and try again.");
	}
}

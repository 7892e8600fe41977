// Refusals stay on their page. A rule that refuses an action the person may try (the last Owner leaving,
// granting more than one holds, a role still in use, revoking a used key without its name, inviting
// before the email is verified) throws an AppError; from a form post, that re-renders the page the form
// is on with the message beside its forms (422), instead of the generic error card and its "go to the
// start page". Registered after the permission guard, so someone without the permission still gets 403.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { AppError, type ErrorCode } from "../lib/errors.ts";

const REFUSALS = new Set<ErrorCode>(["conflict", "forbidden", "validation", "limit_exceeded"]);

export function showRefusalsOn(page: (c: Context<AppEnv>, message: string) => Response | Promise<Response>) {
	return createMiddleware<AppEnv>(async (c, next) => {
		await next();
		const error = c.error;
		if (c.req.method !== "POST" || !(error instanceof AppError) || !REFUSALS.has(error.code)) return;
		// Handled here: a wider refusal middleware further out leaves this page alone.
		c.error = undefined;
		c.res = await page(c, error.message);
	});
}

// zod validation for a route input whose failure has no form to re-render (hidden fields, params,
// query strings): a 422 with the first message, never zod's internals.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError } from "./errors.ts";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
	return zValidator(target, schema, (result) => {
		if (!result.success) {
			throw new AppError("validation", result.error.issues[0]?.message ?? "That request is not valid.");
		}
	});
}

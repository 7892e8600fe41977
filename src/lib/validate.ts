// zod validation of route inputs. `validate` is for inputs whose failure has no form to re-render
// (hidden fields, params, query strings): a 422 with the first message, never zod's internals.
// `validateOr` is for forms: its failure handler gets the app's typed context, one message per field
// and the raw values sent, so the page can be re-rendered with them (no casts at the call site).
import { type Hook, zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../context.ts";
import { AppError } from "./errors.ts";
import { fieldErrors } from "./forms.ts";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
	return zValidator(target, schema, (result) => {
		if (!result.success) {
			throw new AppError("validation", result.error.issues[0]?.message ?? "That request is not valid.");
		}
	});
}

export interface InputFailure {
	/** One message per field (`form` for the whole form). */
	errors: Record<string, string>;
	/** What was sent, before validation: only ever read as strings to re-fill the form. */
	raw: Record<string, unknown>;
}

/** The raw value of a field as a string ("" when absent or not text), for re-filling a form. */
export function rawText(failure: InputFailure, field: string): string {
	const value = failure.raw[field];
	return typeof value === "string" ? value : "";
}

export function validateOr<T extends z.ZodType, Target extends keyof ValidationTargets>(
	target: Target,
	schema: T,
	onInvalid: (c: Context<AppEnv>, failure: InputFailure) => Response | Promise<Response>,
) {
	const hook: Hook<z.infer<T>, AppEnv, string, Target, object, T> = (result, c) =>
		result.success
			? undefined
			: onInvalid(c, {
					errors: fieldErrors(result.error),
					raw: (result.data ?? {}) as Record<string, unknown>,
				});
	return zValidator<T, Target, AppEnv, string, typeof hook>(target, schema, hook);
}

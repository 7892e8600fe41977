// Form validation helpers: zod issues → one message per field, for forms re-rendered with 422.
import type { z } from "zod";

type IssueList = Pick<z.core.$ZodError, "issues">;

export function fieldErrors(error: IssueList): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? "form");
		const message =
			issue.code === "unrecognized_keys"
				? `This form does not accept the field ${issue.keys.join(", ")}.`
				: issue.message;
		out[key] ??= message;
	}
	return out;
}

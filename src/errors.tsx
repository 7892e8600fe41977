// The one place errors become responses. Expected errors (AppError, Hono's HTTPException) keep their
// status and plain message; anything else is logged with the request id and answered generically.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./context.ts";
import { AppError, type ErrorCode, isDatabaseUnreachable, tenantDataUnavailable } from "./lib/errors.ts";
import { log } from "./lib/log.ts";
import { ERROR_COPY, ErrorPage, type ErrorStatus } from "./views/pages/error-page.tsx";
import { renderPage } from "./views/render.tsx";

const CODE_BY_STATUS: Record<number, ErrorCode> = {
	401: "unauthorized",
	402: "payment_required",
	403: "forbidden",
	404: "not_found",
	409: "conflict",
	413: "payload_too_large",
	422: "validation",
	429: "rate_limited",
	503: "unavailable",
};

function wantsJson(c: Context<AppEnv>): boolean {
	const path = new URL(c.req.url).pathname;
	return c.get("site")?.kind !== "tenant" && (path.startsWith("/api/") || path.startsWith("/webhooks/"));
}

function respond(c: Context<AppEnv>, status: ErrorStatus, code: string, message?: string) {
	const requestId = c.get("requestId") ?? "unknown";
	if (wantsJson(c)) {
		return c.json({ error: { code, message: message ?? ERROR_COPY[status].text, request_id: requestId } }, status);
	}
	return renderPage(c, {
		title: ERROR_COPY[status].title,
		status,
		body: <ErrorPage status={status} requestId={requestId} message={message} />,
	});
}

export function handleError(error: Error, c: Context<AppEnv>) {
	if (error instanceof AppError) {
		const status = (error.status in ERROR_COPY ? error.status : 400) as ErrorStatus;
		return respond(c, status, error.code, error.message);
	}
	if (error instanceof HTTPException && error.status < 500) {
		const status = (error.status in ERROR_COPY ? error.status : 400) as ErrorStatus;
		// Hono's own messages (CSRF, body limit) are not shown; our copy for the status is.
		return respond(c, status, CODE_BY_STATUS[status] ?? "validation");
	}
	const requestId = c.get("requestId");
	if (isDatabaseUnreachable(error)) {
		log("error", "database unreachable", { requestId, path: new URL(c.req.url).pathname, error });
		return respond(c, 503, "unavailable");
	}
	const unavailable = tenantDataUnavailable(error);
	if (unavailable) {
		// Seconds for a move; an unmigrated database is an operator's to fix (`npm run db:migrate`).
		const site = c.get("site");
		log(unavailable === "moving" ? "warn" : "error", `tenant data ${unavailable}`, {
			requestId,
			orgId: site?.kind === "tenant" ? site.org.id : undefined,
			path: new URL(c.req.url).pathname,
		});
		c.header("retry-after", unavailable === "moving" ? "10" : "60");
		return respond(
			c,
			503,
			"unavailable",
			unavailable === "moving"
				? "This portal is moving to new storage and takes no changes for a moment. Nothing was saved — try again in a few seconds."
				: undefined,
		);
	}
	log("error", "unhandled error", { requestId, method: c.req.method, path: new URL(c.req.url).pathname, error });
	return respond(c, 500, "internal");
}

export function handleNotFound(c: Context<AppEnv>) {
	return respond(c, 404, "not_found");
}

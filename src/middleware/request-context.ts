// First middleware: request id, timing, config and the database handle for this request.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { openDatabase } from "../db/client.ts";
import { readConfig } from "../env.ts";
import { randomToken } from "../lib/crypto.ts";

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
	const startedAt = Date.now();
	// A caller's id is kept only when it is a plain token, so logs cannot be forged through it.
	const incoming = c.req.header("x-request-id");
	const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : `req_${randomToken(12)}`;
	c.set("requestId", requestId);
	c.set("startedAt", startedAt);
	c.set("cspNonce", randomToken(16));
	const config = readConfig(c.env);
	c.set("config", config);
	const dbConfig = {
		url: config.DATABASE_URL,
		authToken: config.DATABASE_AUTH_TOKEN,
		statsTag: config.DB_STATS === "1" ? requestId : undefined,
	};
	c.set("dbConfig", dbConfig);
	c.set("db", openDatabase(dbConfig));
	await next();
	c.header("x-request-id", requestId);
	c.header("server-timing", `app;dur=${Date.now() - startedAt}`);
});

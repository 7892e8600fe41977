// HTTP front of the local libSQL server: routing, auth, body limits and counters.

import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Counters } from "./execute.ts";
import { parsePipelineBody, runPipeline } from "./pipeline.ts";
import { Databases, DEFAULT_NAMESPACE } from "./streams.ts";
import { ProtocolError } from "./values.ts";

export const VERSION = "portico-libsql-server 0.1.0 (hrana 2, json)";
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Round trips are counted per `x-stats-tag` (the Worker sends its request id) so tests can count one page. */
const MAX_TAGS = 10_000;

export interface ServerOptions {
	dataDir: string;
	authToken?: string;
	idleStreamTimeoutMs?: number;
}

interface Stats extends Counters {
	pipeline_requests: number;
	http_errors: number;
	/** Server time spent running pipelines (from parsed body to response), for benchmarks. */
	pipeline_ms_total: number;
}

/** Per tag: round trips, statements, and the bytes of the pipeline requests and responses (the SQL sent, the JSON back). */
interface TagStats {
	pipeline_requests: number;
	statements: number;
	request_bytes: number;
	response_bytes: number;
}

/** Answers, and says how many bytes the body was. */
function send(res: ServerResponse, status: number, body: unknown): number {
	const text = typeof body === "string" ? body : JSON.stringify(body);
	const bytes = Buffer.byteLength(text);
	res.writeHead(status, {
		"content-type": typeof body === "string" ? "text/plain" : "application/json",
		"content-length": bytes,
	});
	res.end(text);
	return bytes;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers["content-length"] ?? 0);
		if (declared > MAX_BODY_BYTES) {
			req.resume();
			resolve(null);
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		req.on("data", (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				req.removeAllListeners("data");
				req.resume();
				resolve(null);
				return;
			}
			chunks.push(chunk);
		});
		req.on("end", () => resolve(Buffer.concat(chunks)));
		req.on("error", reject);
	});
}

function authorized(req: IncomingMessage, token: string | undefined | null): boolean {
	if (!token) return true;
	const header = req.headers.authorization ?? "";
	const given = Buffer.from(header.replace(/^Bearer\s+/i, ""));
	const expected = Buffer.from(token);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `/v2/pipeline` → default database; `/db/<name>/v2/pipeline` → namespace `name`. */
function route(pathname: string): { namespace: string; rest: string } | null {
	const match = /^\/db\/([^/]+)(\/.*)?$/.exec(pathname);
	if (!match) return { namespace: DEFAULT_NAMESPACE, rest: pathname };
	const name = decodeURIComponent(match[1] ?? "");
	if (!Databases.validNamespace(name) || name === DEFAULT_NAMESPACE) return null;
	return { namespace: name, rest: match[2] ?? "/" };
}

/** `POST /_namespaces/<name>` `{"auth_token": "…"}` creates a database with its own token; DELETE drops it. */
async function manageNamespace(req: IncomingMessage, res: ServerResponse, databases: Databases, name: string) {
	if (!Databases.validNamespace(name) || name === DEFAULT_NAMESPACE) {
		return send(res, 400, { message: "Invalid database name", code: "NAMESPACE_INVALID" });
	}
	if (req.method === "DELETE") {
		return databases.deleteNamespace(name)
			? send(res, 200, { deleted: name })
			: send(res, 404, { message: "No such database", code: "NAMESPACE_NOT_FOUND" });
	}
	if (req.method !== "POST") return send(res, 405, { message: "Use POST or DELETE", code: "METHOD_NOT_ALLOWED" });
	const raw = await readBody(req);
	let token: unknown;
	try {
		token = (JSON.parse(raw?.toString("utf8") ?? "") as { auth_token?: unknown }).auth_token;
	} catch {
		token = undefined;
	}
	if (typeof token !== "string" || token.length < 16 || token.length > 512) {
		return send(res, 400, { message: "auth_token must be a string of 16 to 512 characters", code: "PROTOCOL_ERROR" });
	}
	if (!databases.createNamespace(name, token)) {
		return send(res, 409, { message: "A database with this name exists", code: "NAMESPACE_EXISTS" });
	}
	return send(res, 201, { created: name });
}

export function createLibsqlServer(options: ServerOptions): { server: Server; databases: Databases } {
	const databases = new Databases(options.dataDir, options.idleStreamTimeoutMs ?? 10_000);
	const stats: Stats & Pick<TagStats, "request_bytes" | "response_bytes"> = {
		pipeline_requests: 0,
		statements: 0,
		http_errors: 0,
		pipeline_ms_total: 0,
		request_bytes: 0,
		response_bytes: 0,
	};
	const emptyTag = (): TagStats => ({ pipeline_requests: 0, statements: 0, request_bytes: 0, response_bytes: 0 });
	const tags = new Map<string, TagStats>();

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
		const url = new URL(req.url ?? "/", "http://localhost");
		if (req.method === "GET" && url.pathname === "/health") return send(res, 200, "ok");
		if (req.method === "GET" && url.pathname === "/version") return send(res, 200, VERSION);
		const target = route(url.pathname);
		// A namespace created with its own token accepts that token only (as a Turso database does).
		const required =
			target && target.namespace !== DEFAULT_NAMESPACE ? databases.namespaceToken(target.namespace) : null;
		if (!authorized(req, required ?? options.authToken)) {
			stats.http_errors++;
			return send(res, 401, { message: "Missing or wrong auth token", code: "UNAUTHORIZED" });
		}
		const admin = /^\/_namespaces\/([^/]+)$/.exec(url.pathname);
		if (admin) return manageNamespace(req, res, databases, decodeURIComponent(admin[1] ?? ""));
		if (req.method === "GET" && url.pathname === "/_stats") {
			const tag = url.searchParams.get("tag");
			if (tag !== null) return send(res, 200, tags.get(tag) ?? emptyTag());
			// Every tag that starts with `prefix`: how many, their totals and the largest (benchmarks).
			const prefix = url.searchParams.get("prefix");
			if (prefix !== null) {
				const summary = { tags: 0, pipeline_requests: 0, statements: 0, max_pipeline_requests: 0, max_statements: 0 };
				for (const [name, entry] of tags) {
					if (!name.startsWith(prefix)) continue;
					summary.tags++;
					summary.pipeline_requests += entry.pipeline_requests;
					summary.statements += entry.statements;
					summary.max_pipeline_requests = Math.max(summary.max_pipeline_requests, entry.pipeline_requests);
					summary.max_statements = Math.max(summary.max_statements, entry.statements);
				}
				return send(res, 200, summary);
			}
			return send(res, 200, { ...stats, open_streams: databases.openStreams });
		}
		if (!target) return send(res, 404, { message: "Invalid database name", code: "NAMESPACE_INVALID" });
		if (req.method === "GET" && (target.rest === "/v2" || target.rest === "/")) return send(res, 200, "");
		if (target.rest !== "/v2/pipeline") {
			stats.http_errors++;
			return send(res, 404, { message: `No route for ${req.method} ${url.pathname}`, code: "NOT_FOUND" });
		}
		if (req.method !== "POST") return send(res, 405, { message: "Use POST", code: "METHOD_NOT_ALLOWED" });

		const raw = await readBody(req);
		if (raw === null) {
			stats.http_errors++;
			return send(res, 413, { message: `The body is larger than ${MAX_BODY_BYTES} bytes`, code: "BODY_TOO_LARGE" });
		}
		let body: ReturnType<typeof parsePipelineBody>;
		try {
			body = parsePipelineBody(JSON.parse(raw.toString("utf8")));
		} catch (error) {
			stats.http_errors++;
			const message = error instanceof ProtocolError ? error.message : "The body is not valid JSON";
			return send(res, 400, { message, code: "PROTOCOL_ERROR" });
		}
		stats.pipeline_requests++;
		const tag = req.headers["x-stats-tag"];
		const counters = { statements: 0 };
		const started = performance.now();
		let responseBytes = 0;
		try {
			const response = await runPipeline(databases, target.namespace, body, counters);
			responseBytes = send(res, 200, response);
		} catch (error) {
			stats.http_errors++;
			const message = error instanceof ProtocolError ? error.message : "Internal server error";
			const code = error instanceof ProtocolError ? error.code : "INTERNAL";
			responseBytes = send(res, 400, { message, code });
		} finally {
			stats.pipeline_ms_total += performance.now() - started;
			stats.statements += counters.statements;
			stats.request_bytes += raw.length;
			stats.response_bytes += responseBytes;
			if (typeof tag === "string" && tag.length <= 128) {
				const entry = tags.get(tag) ?? emptyTag();
				entry.pipeline_requests++;
				entry.statements += counters.statements;
				entry.request_bytes += raw.length;
				entry.response_bytes += responseBytes;
				tags.delete(tag);
				tags.set(tag, entry);
				if (tags.size > MAX_TAGS) tags.delete(tags.keys().next().value as string);
			}
		}
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error) => {
			console.error(JSON.stringify({ level: "error", msg: "request failed", error: String(error) }));
			if (!res.headersSent) send(res, 500, { message: "Internal server error", code: "INTERNAL" });
		});
	});
	server.keepAliveTimeout = 30_000;
	return { server, databases };
}

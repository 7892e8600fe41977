// Databases (one file per namespace), pooled engine connections, and Hrana streams with batons.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "libsql";
import { connectionFiles } from "./analyse.ts";
import type { Connection } from "./execute.ts";
import { ProtocolError } from "./values.ts";

const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const DEFAULT_NAMESPACE = "default";

export interface Stream {
	id: number;
	namespace: string;
	conn: Connection;
	baton: string | null;
	sqlTexts: Map<number, string>;
	timer: NodeJS.Timeout | null;
	/** Requests of one stream run one after another, even if a client sends them concurrently. */
	tail: Promise<unknown>;
}

export class Databases {
	readonly #dir: string;
	readonly #idle = new Map<string, Connection[]>();
	readonly #streams = new Map<string, Stream>();
	readonly #idleTimeoutMs: number;
	#nextStreamId = 1;

	constructor(dir: string, idleTimeoutMs: number) {
		this.#dir = dir;
		this.#idleTimeoutMs = idleTimeoutMs;
		mkdirSync(join(dir, "ns"), { recursive: true });
	}

	get openStreams(): number {
		return this.#streams.size;
	}

	static validNamespace(name: string): boolean {
		return NAMESPACE.test(name);
	}

	#path(namespace: string): string {
		return namespace === DEFAULT_NAMESPACE ? join(this.#dir, "default.db") : join(this.#dir, "ns", `${namespace}.db`);
	}

	#acquire(namespace: string): Connection {
		const pooled = this.#idle.get(namespace)?.pop();
		if (pooled) return pooled;
		// timeout 0: a locked database answers SQLITE_BUSY at once; we retry without blocking the loop.
		const conn = new Database(this.#path(namespace), { timeout: 0 });
		connectionFiles.set(conn, this.#path(namespace));
		conn.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
		return conn;
	}

	#release(namespace: string, conn: Connection): void {
		try {
			if (conn.inTransaction) conn.exec("ROLLBACK");
		} catch {
			conn.close();
			return;
		}
		const idle = this.#idle.get(namespace) ?? [];
		if (idle.length < 16) {
			idle.push(conn);
			this.#idle.set(namespace, idle);
		} else {
			conn.close();
		}
	}

	open(namespace: string): Stream {
		const stream: Stream = {
			id: this.#nextStreamId++,
			namespace,
			conn: this.#acquire(namespace),
			baton: null,
			sqlTexts: new Map(),
			timer: null,
			tail: Promise.resolve(),
		};
		return stream;
	}

	/** Looks up the stream a baton belongs to; a baton is good for exactly one request. */
	take(baton: string, namespace: string): Stream {
		const stream = this.#streams.get(baton);
		if (!stream || stream.namespace !== namespace) {
			throw new ProtocolError("Unknown or expired baton: the stream is closed", "STREAM_EXPIRED");
		}
		this.#streams.delete(baton);
		if (stream.timer) clearTimeout(stream.timer);
		stream.timer = null;
		stream.baton = null;
		return stream;
	}

	/** Hands out a fresh baton and arms the idle timer that closes (and rolls back) a forgotten stream. */
	park(stream: Stream): string {
		const baton = `${stream.id}.${randomBytes(18).toString("base64url")}`;
		stream.baton = baton;
		this.#streams.set(baton, stream);
		stream.timer = setTimeout(() => {
			if (this.#streams.get(baton) === stream) {
				this.#streams.delete(baton);
				this.close(stream);
			}
		}, this.#idleTimeoutMs);
		stream.timer.unref();
		return baton;
	}

	close(stream: Stream): void {
		if (stream.timer) clearTimeout(stream.timer);
		if (stream.baton) this.#streams.delete(stream.baton);
		stream.baton = null;
		this.#release(stream.namespace, stream.conn);
	}

	/**
	 * A database created the way Turso's Platform API creates one: with its own token, which is then
	 * the only credential its requests are accepted with. False when it exists already.
	 */
	createNamespace(name: string, token: string): boolean {
		if (existsSync(this.#path(name)) || existsSync(this.#tokenPath(name))) return false;
		writeFileSync(this.#tokenPath(name), token, { mode: 0o600 });
		new Database(this.#path(name)).close();
		return true;
	}

	deleteNamespace(name: string): boolean {
		for (const conn of this.#idle.get(name) ?? []) conn.close();
		this.#idle.delete(name);
		const existed = existsSync(this.#path(name));
		for (const suffix of ["", "-wal", "-shm"]) rmSync(`${this.#path(name)}${suffix}`, { force: true });
		rmSync(this.#tokenPath(name), { force: true });
		return existed;
	}

	/** The namespace's own token, when it was created with one. */
	namespaceToken(name: string): string | null {
		const path = this.#tokenPath(name);
		return existsSync(path) ? readFileSync(path, "utf8") : null;
	}

	#tokenPath(namespace: string): string {
		return join(this.#dir, "ns", `${namespace}.token`);
	}

	closeAll(): void {
		for (const stream of [...this.#streams.values()]) this.close(stream);
		for (const conns of this.#idle.values()) for (const conn of conns) conn.close();
		this.#idle.clear();
	}
}

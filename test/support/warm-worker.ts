// Loads the Worker before a file's tests: the first request imports the whole module graph into this
// file's isolate, seconds on a busy 2-core machine. That is setup, so it belongs to a hook with its own
// time allowance, not to whichever test happens to run first (which then failed on a loaded machine).
import { exports } from "cloudflare:workers";
import { beforeAll } from "vitest";

beforeAll(async () => {
	const res = await exports.default.fetch(new Request("http://localhost/favicon.ico"));
	await res.arrayBuffer();
}, 120_000);

// The password Worker (`wrangler.passwords.toml`): hashes and checks passwords for the portal Worker,
// which reaches it through the PASSWORDS service binding only (no route, no workers.dev address).
// Throttling, audit and every decision stay in the portal; this Worker only computes.
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { hashRequest, verifyRequest } from "./service.ts";

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export default {
	async fetch(request: Request): Promise<Response> {
		if (request.method !== "POST") return json({ error: "POST only" }, 405);
		const path = new URL(request.url).pathname;
		const body: unknown = await request.json().catch(() => null);
		if (path === "/hash") {
			const input = hashRequest.safeParse(body);
			if (!input.success) return json({ error: "send {password}" }, 400);
			return json({ hash: await hashPassword(input.data.password) });
		}
		if (path === "/verify") {
			const input = verifyRequest.safeParse(body);
			if (!input.success) return json({ error: "send {password, stored}" }, 400);
			return json({ ok: await verifyPassword(input.data.password, input.data.stored) });
		}
		return json({ error: "not found" }, 404);
	},
} satisfies ExportedHandler;

// Our Standard Webhooks signatures verified by the official `standardwebhooks` package and by `svix`'s
// verifier (the same scheme), including a delivery signed with two secrets during a rotation — and a
// changed body, a wrong secret and a stale timestamp refused by both (the check itself can fail).
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { newSigningSecret, webhookHeaders } from "../../src/webhooks/signing.ts";

const body = JSON.stringify({ type: "member.added", timestamp: "2026-12-03T10:00:00.000Z", data: { id: "mem_1" } });

function verifiers(secret: string) {
	return [new StandardWebhook(secret), new SvixWebhook(secret)];
}

const svixHeaders = (h: Record<string, string>) => ({
	"svix-id": h["webhook-id"] ?? "",
	"svix-timestamp": h["webhook-timestamp"] ?? "",
	"svix-signature": h["webhook-signature"] ?? "",
});

describe("webhook signatures", () => {
	it("are verified by standardwebhooks and svix", async () => {
		const secret = newSigningSecret();
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		const headers = await webhookHeaders([secret], "msg_1", Math.floor(Date.now() / 1000), body);
		const [standard, svix] = verifiers(secret);
		expect(() => standard?.verify(body, headers)).not.toThrow();
		expect(() => svix?.verify(body, svixHeaders(headers))).not.toThrow();
	});

	it("verify with either secret while a rotation overlaps", async () => {
		const old = newSigningSecret();
		const next = newSigningSecret();
		const headers = await webhookHeaders([next, old], "msg_2", Math.floor(Date.now() / 1000), body);
		expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
		for (const secret of [old, next]) {
			for (const verifier of verifiers(secret)) {
				const h = verifier instanceof SvixWebhook ? svixHeaders(headers) : headers;
				expect(() => verifier.verify(body, h)).not.toThrow();
			}
		}
	});

	it("fail for a changed body, another secret or a stale timestamp", async () => {
		const secret = newSigningSecret();
		const now = Math.floor(Date.now() / 1000);
		const headers = await webhookHeaders([secret], "msg_3", now, body);
		const stale = await webhookHeaders([secret], "msg_3", now - 3600, body);
		const [standard, svix] = verifiers(secret);
		expect(() => standard?.verify(`${body} `, headers)).toThrow();
		expect(() => svix?.verify(`${body} `, svixHeaders(headers))).toThrow();
		expect(() => new StandardWebhook(newSigningSecret()).verify(body, headers)).toThrow();
		expect(() => standard?.verify(body, stale)).toThrow();
		expect(() => svix?.verify(body, svixHeaders(stale))).toThrow();
	});
});

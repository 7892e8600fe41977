import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { users } from "../../src/db/schema.ts";
import { deliverMailBatch } from "../../src/mail/consumer.ts";
import { auditActions, createOrg, createUser, lastMailTo, linkIn, request, signIn, testDb } from "../support/worker.ts";

afterEach(() => vi.restoreAllMocks());

describe("the mail queue consumer", () => {
	it("delivers valid messages to the transport, drops malformed ones and retries failures", async () => {
		const to = `queued-${Date.now()}@example.test`;
		const good = {
			orgId: null,
			to,
			from: "Portico <no-reply@portico.localhost>",
			subject: "Queued",
			text: "hello",
			html: "<p>hello</p>",
		};
		const batch = createMessageBatch<unknown>("portico-mail", [
			{ id: "m1", timestamp: new Date(), attempts: 1, body: good },
			{ id: "m2", timestamp: new Date(), attempts: 1, body: { to: "nobody" } },
		]);
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const ctx = createExecutionContext();
		await deliverMailBatch(batch, env);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
		expect((await lastMailTo(to))?.subject).toBe("Queued");
		expect(errors).toHaveBeenCalled();

		// With the HTTP transport answering 500, the message is retried by the queue.
		vi.spyOn(console, "warn").mockImplementation(() => {});
		const realFetch = globalThis.fetch;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			return url.startsWith("https://api.resend.com/")
				? new Response("down", { status: 500 })
				: realFetch(input as RequestInfo, init);
		});
		const failing = createMessageBatch<unknown>("portico-mail", [
			{ id: "m3", timestamp: new Date(), attempts: 1, body: good },
		]);
		await deliverMailBatch(failing, { ...env, MAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_test" });
		const retried = await getQueueResult(failing, createExecutionContext());
		expect(retried.retryMessages.map((m) => m.msgId)).toEqual(["m3"]);
	});
});

describe("email verification", () => {
	it("verifies the address only when the emailed link's button is pressed", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		await testDb().update(users).set({ emailVerifiedAt: null }).where(eq(users.id, user.id));
		const cookie = await signIn(org, user.email);
		expect((await request(`${org.origin}/account/verify-email`, { method: "POST", cookie })).status).toBe(303);
		const link = linkIn((await lastMailTo(user.email))?.text, "/verify-email?token=");
		const opened = await request(link);
		expect(opened.text).toContain("Verify email");
		const verified = async () =>
			(await testDb().select().from(users).where(eq(users.id, user.id)))[0]?.emailVerifiedAt ?? null;
		expect(await verified()).toBeNull();
		const token = String(new URL(link).searchParams.get("token"));
		expect((await request(`${org.origin}/verify-email`, { form: { token } })).status).toBe(200);
		expect(await verified()).toEqual(expect.any(Number));
		expect((await request(`${org.origin}/verify-email`, { form: { token } })).status).toBe(400);
	});
});

describe("email change", () => {
	it("sends a link to the new address, changes on opening it and tells the old address", async () => {
		const org = await createOrg({ name: "Mailco" });
		const user = await createUser(org);
		const cookie = await signIn(org, user.email);
		const newEmail = `new-${user.email}`;
		const res = await request(`${org.origin}/account/email`, { form: { email: newEmail }, cookie });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/account?notice=email-sent");
		const link = linkIn((await lastMailTo(newEmail))?.text, "/confirm-email?token=");
		// Opening the link (a mail scanner does) changes nothing; its button does.
		const opened = await request(link, { cookie });
		expect(opened.status).toBe(200);
		expect(opened.text).toContain("Change my email");
		const [unchanged] = await testDb().select().from(users).where(eq(users.id, user.id));
		expect(unchanged?.email).toBe(user.email);
		const token = String(new URL(link).searchParams.get("token"));
		const confirm = await request(`${org.origin}/confirm-email`, { form: { token }, cookie });
		expect(confirm.status).toBe(200);
		const [row] = await testDb().select().from(users).where(eq(users.id, user.id));
		expect(row?.email).toBe(newEmail);
		expect((await lastMailTo(user.email))?.subject).toBe("Your Mailco email was changed");
		expect(await auditActions(org.id)).toEqual(
			expect.arrayContaining(["auth.email_change_requested", "auth.email_changed"]),
		);
		expect((await request(link, { cookie })).status).toBe(400);
		expect((await request(`${org.origin}/confirm-email`, { form: { token }, cookie })).status).toBe(400);
	});

	it("refuses an address another account uses, with the message beside the field", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const other = await createUser(org);
		const cookie = await signIn(org, user.email);
		const res = await request(`${org.origin}/account/email`, { form: { email: other.email }, cookie });
		expect(res.status).toBe(422);
		expect(res.text).toContain("Another account uses that address");
	});
});

describe("development mailbox", () => {
	it("shows sent mail with clickable links on the apex", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		await request(`${org.origin}/sign-in/link`, { form: { email: user.email } });
		const res = await request("http://localhost/dev/mail");
		expect(res.status).toBe(200);
		expect(res.text).toContain(`To ${user.email}`);
		expect(res.text).toMatch(/<a href="http:\/\/[^"]+\/sign-in\/link\?token=/);
	});
});

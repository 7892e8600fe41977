// Sign-in and sign-out on a tenant host.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { endSession, prepareSession } from "../auth/session.ts";
import { checkPasswordSignIn } from "../auth/sign-in.ts";
import type { AppEnv } from "../context.ts";
import { auditInsert, commitWithAudit } from "../db/audit.ts";
import { fieldErrors } from "../lib/forms.ts";
import { redirectTo, tenantOf } from "../middleware/guards.ts";
import { SignInForm } from "../views/pages/sign-in.tsx";
import { renderPage } from "../views/render.tsx";

export const authRoutes = new Hono<AppEnv>();

const signInSchema = z.object({
	email: z
		.string({ error: "Enter your email address." })
		.trim()
		.toLowerCase()
		.pipe(z.email({ error: "Enter a valid email address, like name@company.com." }).max(254)),
	password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(1024),
});

function actorOf(c: { req: { header(name: string): string | undefined } }, id: string | null, label: string) {
	return {
		type: "user" as const,
		id,
		label,
		ip: c.req.header("cf-connecting-ip") ?? null,
		userAgent: c.req.header("user-agent") ?? null,
	};
}

authRoutes.get("/sign-in", (c) => {
	const { org } = tenantOf(c);
	if (c.get("viewer")?.membership) return redirectTo(c, "/");
	return renderPage(c, { title: "Sign in", body: <SignInForm orgName={org.name} /> });
});

authRoutes.post(
	"/sign-in",
	zValidator("form", signInSchema, (result, hookContext) => {
		if (result.success) return;
		const c = hookContext as unknown as Context<AppEnv>;
		const { org } = tenantOf(c);
		const email = typeof result.data?.email === "string" ? result.data.email : "";
		return renderPage(c, {
			title: "Sign in",
			status: 422,
			body: <SignInForm orgName={org.name} email={email} errors={fieldErrors(result.error)} />,
		});
	}),
	async (c) => {
		const { org, tenant } = tenantOf(c);
		const { email, password } = c.req.valid("form");
		const db = c.get("db");
		const result = await checkPasswordSignIn(db, org.id, email, password);
		if (!result.ok) {
			await auditInsert(tenant, actorOf(c, result.userId, email), {
				action: "auth.sign_in_failed",
				metadata: { email, reason: result.reason },
			});
			return renderPage(c, {
				title: "Sign in",
				status: 401,
				body: (
					<SignInForm
						orgName={org.name}
						email={email}
						formError={
							result.reason === "not_member"
								? `This account is not a member of ${org.name}. Ask an owner or admin to invite you.`
								: "That email and password do not match. Check them and try again."
						}
					/>
				),
			});
		}
		const session = await prepareSession(c, result.userId, org.id);
		// The session and its audit event are one atomic batch.
		await commitWithAudit(
			db,
			tenant,
			actorOf(c, result.userId, result.name),
			{ action: "auth.sign_in", target: { type: "user", id: result.userId } },
			{ control: [session.insert] },
		);
		session.setSessionCookie();
		return redirectTo(c, "/");
	},
);

authRoutes.post("/sign-out", async (c) => {
	const { tenant } = tenantOf(c);
	const viewer = c.get("viewer");
	if (viewer) {
		await commitWithAudit(
			c.get("db"),
			tenant,
			actorOf(c, viewer.userId, viewer.name),
			{ action: "auth.sign_out", target: { type: "user", id: viewer.userId } },
			{ control: [endSession(c, viewer.sessionId)] },
		);
	}
	return redirectTo(c, "/sign-in");
});

// Sign-up on the apex: a new customer creates an organization and its Owner, then lands on the new
// portal's host already signed in (login ticket hand-off) with a verification email on its way.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { authEmails } from "../auth/emails.ts";
import { hashPassword } from "../auth/password.ts";
import { emailSchema, newPasswordSchema } from "../auth/password-policy.ts";
import { verifyPasswordThrottled } from "../auth/throttle.ts";
import { issueEmailToken, issueLoginTicket } from "../auth/tokens.ts";
import type { AppEnv } from "../context.ts";
import { auditInsert } from "../db/audit.ts";
import { createOrganizationWrites, isSlugTaken } from "../db/organizations.ts";
import { tenantData } from "../db/tenant-data.ts";
import { findUserByEmail, insertUser } from "../db/users.ts";
import { fieldErrors } from "../lib/forms.ts";
import { validate } from "../lib/validate.ts";
import { sendMail } from "../mail/send.ts";
import { redirectTo } from "../middleware/guards.ts";
import { slugSchema } from "../tenancy/slugs.ts";
import { PORTICO_BRAND } from "../views/brand.ts";
import { SignUpForm, SlugStatus } from "../views/pages/sign-up.tsx";
import { renderPage } from "../views/render.tsx";

export const signUpRoutes = new Hono<AppEnv>();

const signUpSchema = z.strictObject({
	orgName: z
		.string({ error: "Enter your organization's name." })
		.trim()
		.min(2, { error: "Enter your organization's name." })
		.max(80, { error: "Use at most 80 characters." }),
	slug: slugSchema,
	name: z
		.string({ error: "Enter your name." })
		.trim()
		.min(1, { error: "Enter your name." })
		.max(80, { error: "Use at most 80 characters." }),
	email: emailSchema,
	password: newPasswordSchema,
});

function form(
	c: Context<AppEnv>,
	values: Record<string, unknown> = {},
	errors: Record<string, string> = {},
	status = 200,
) {
	const safe = Object.fromEntries(
		Object.entries(values).filter(([k, v]) => k !== "password" && typeof v === "string"),
	) as Record<string, string>;
	return renderPage(c, {
		title: "Create your portal",
		status,
		body: <SignUpForm values={safe} errors={errors} portalDomain={c.get("config").PORTAL_DOMAIN} />,
	});
}

signUpRoutes.get("/sign-up", (c) => form(c));

signUpRoutes.get("/sign-up/slug", validate("query", z.object({ slug: z.string().max(64).default("") })), async (c) => {
	const parsed = slugSchema.safeParse(c.req.valid("query").slug);
	if (!parsed.success)
		return c.html(<SlugStatus ok={false} message={parsed.error.issues[0]?.message ?? "Not a valid address."} />);
	const taken = await isSlugTaken(c.get("db"), parsed.data);
	return c.html(
		<SlugStatus
			ok={!taken}
			message={taken ? "That address is taken." : `${parsed.data}.${c.get("config").PORTAL_DOMAIN} is available.`}
		/>,
	);
});

signUpRoutes.post(
	"/sign-up",
	zValidator("form", signUpSchema, (result, hookContext) =>
		result.success
			? undefined
			: form(
					hookContext as unknown as Context<AppEnv>,
					(result.data ?? {}) as Record<string, unknown>,
					fieldErrors(result.error),
					422,
				),
	),
	async (c) => {
		const input = c.req.valid("form");
		const db = c.get("db");
		if (await isSlugTaken(db, input.slug)) return form(c, input, { slug: "That address is taken." }, 422);

		// An existing Portico user may create another organization by proving their password.
		const existing = await findUserByEmail(db, input.email);
		// Behind the same lockout as sign-in: adding an organization is no way around it.
		const checked = existing
			? await verifyPasswordThrottled(db, {
					subject: existing.email,
					ip: c.req.header("cf-connecting-ip") ?? null,
					nowMs: Date.now(),
					password: input.password,
					hash: existing.passwordHash,
				})
			: "ok";
		if (checked === "locked")
			return form(c, input, { email: "Too many attempts for this email. Wait 15 minutes and try again." }, 429);
		if (checked === "wrong") {
			return form(
				c,
				input,
				{ email: "This email already has an account. Enter that account's password, or use another email." },
				422,
			);
		}
		const newUser = existing
			? null
			: insertUser(db, { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
		const userId = existing?.id ?? newUser?.id ?? "";
		const org = createOrganizationWrites(db, { name: input.orgName, slug: input.slug, ownerId: userId });

		const url = new URL(c.req.url);
		const host = `${input.slug}.${c.get("config").PORTAL_DOMAIN}${url.port ? `:${url.port}` : ""}`;
		const ticket = await issueLoginTicket(db, { userId, orgId: org.orgId, host, mfaVerified: false });
		const verify = existing?.emailVerifiedAt
			? null
			: await issueEmailToken(db, "verify_email", { userId, orgId: org.orgId, host });
		const tenant = tenantData({ orgId: org.orgId, db });
		try {
			await db.batch([
				...(newUser ? [newUser.query] : []),
				...org.writes,
				ticket.insert,
				...(verify ? [verify.insert] : []),
				auditInsert(
					tenant,
					{ type: "user", id: userId, label: input.name },
					{
						action: "organization.created",
						target: { type: "organization", id: org.orgId },
						metadata: { slug: input.slug },
					},
				),
			] as unknown as Parameters<typeof db.batch>[0]);
		} catch (error) {
			// Two sign-ups racing for one address: the unique index decides.
			if (String((error as Error).message).includes("UNIQUE"))
				return form(c, input, { slug: "That address is taken." }, 422);
			throw error;
		}
		if (verify) {
			const brand = { ...PORTICO_BRAND, name: input.orgName };
			await sendMail(c.env, db, {
				orgId: org.orgId,
				to: input.email,
				...authEmails.verifyEmail(brand, `${url.protocol}//${host}/verify-email?token=${verify.token}`),
			});
		}
		return redirectTo(c, `${url.protocol}//${host}/sign-in/ticket?token=${ticket.token}`);
	},
);

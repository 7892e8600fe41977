// Sign-up on the apex: a new customer asks for an organization, confirms it from the emailed link, and
// lands on the new portal's host already signed in (a login ticket bound to this browser). The form
// itself reveals nothing about which addresses have accounts, and checks no password.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { signUpEmails } from "../../auth/emails.ts";
import { issueLoginTicket } from "../../auth/handoff.ts";
import { emailSchema, newPasswordSchema } from "../../auth/password-policy.ts";
import { reserveActions } from "../../auth/throttle.ts";
import type { AppEnv } from "../../context.ts";
import { isSlugTaken } from "../../db/organizations.ts";
import { consumePendingSignup, insertPendingSignup, peekPendingSignup } from "../../db/signups.ts";
import { findUserByEmail } from "../../db/users.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { sendMail } from "../../mail/send.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { passwordsFor } from "../../passwords/service.ts";
import { textField } from "../../settings/fields.ts";
import { createSignedUpOrganization } from "../../tenancy/sign-up.ts";
import { slugSchema } from "../../tenancy/slugs.ts";
import { PORTICO_BRAND } from "../../views/brand.ts";
import { SignUpForm, SlugStatus } from "../../views/pages/identity/sign-up.tsx";
import { ConfirmLinkPage, MessagePage } from "../../views/pages/messages.tsx";
import { renderPage } from "../../views/render.tsx";

export const signUpRoutes = new Hono<AppEnv>();

const signUpSchema = z.strictObject({
	orgName: textField("your organization's name", 80).refine((v) => v.length >= 2, {
		error: "Enter your organization's name.",
	}),
	slug: slugSchema,
	name: textField("your name", 80),
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

signUpRoutes.get("/", (c) => form(c));

signUpRoutes.get("/slug", validate("query", z.object({ slug: z.string().max(64).default("") })), async (c) => {
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

const SIGNUP_LIMIT = { perAddress: 5, perIp: 30, windowMs: 60 * 60_000 };
const SIGNUP_LINK_MS = 24 * 60 * 60_000;

/**
 * The form answers the same for every address — new, already an account, or anything else — and
 * checks no password: what happens next is in the email to that address. A new address gets a link
 * that creates the account and the organization; an address with an account gets a link that adds the
 * organization to it (that person then signs in as always, with their own password and MFA).
 */
signUpRoutes.post(
	"/",
	validateOr("form", signUpSchema, (c, failure) => form(c, failure.raw, failure.errors, 422)),
	async (c) => {
		const input = c.req.valid("form");
		const db = c.get("db");
		const nowMs = Date.now();
		const ip = c.req.header("cf-connecting-ip") ?? null;
		if (!(await reserveActions(db, signUpQuota(input.email, ip), nowMs)))
			return form(c, input, { form: "Too many sign-ups from here or for this address. Try again in an hour." }, 429);
		if (await isSlugTaken(db, input.slug)) return form(c, input, { slug: "That address is taken." }, 422);

		// Hashed whatever the address, so the answer takes as long for an existing account as for a new one.
		const [passwordHash, existing] = await Promise.all([
			passwordsFor(c.env).hash(input.password),
			findUserByEmail(db, input.email),
		]);
		const token = randomToken(32);
		await insertPendingSignup(db, {
			tokenHash: await sha256Hex(token),
			email: input.email,
			name: input.name,
			orgName: input.orgName,
			slug: input.slug,
			passwordHash,
			expiresAt: nowMs + SIGNUP_LINK_MS,
		});
		const url = new URL(c.req.url);
		const link = `${url.origin}/sign-up/confirm?token=${token}`;
		const brand = { ...PORTICO_BRAND };
		await sendMail(c.env, db, {
			orgId: null,
			to: input.email,
			...(existing
				? signUpEmails.existingAccount(brand, input.orgName, link)
				: signUpEmails.newAccount(brand, input.orgName, link)),
		});
		return renderPage(c, {
			title: "Check your email",
			body: (
				<MessagePage title="Check your email">
					<p>
						We sent a link to {input.email}. Open it within 24 hours to create {input.orgName}'s portal. If it does not
						arrive in a few minutes, check the spam folder or sign up again.
					</p>
				</MessagePage>
			),
		});
	},
);

function signUpQuota(email: string, ip: string | null) {
	const { perAddress, perIp, windowMs } = SIGNUP_LIMIT;
	return [
		{ key: `signup:${email}`, limit: perAddress, windowMs },
		...(ip ? [{ key: `signup-ip:${ip}`, limit: perIp, windowMs }] : []),
	];
}

const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { error: "Not a valid link." }) });

function linkProblem(c: Context<AppEnv>) {
	return renderPage(c, {
		title: "Link not valid",
		status: 400,
		body: (
			<MessagePage title="This link no longer works" action={{ href: "/sign-up", label: "Sign up again" }}>
				<p>Sign-up links work once, for 24 hours. This one was already used, has expired or was changed.</p>
			</MessagePage>
		),
	});
}

// Opening the link shows a button: mail scanners follow links, and following one must change nothing.
signUpRoutes.get(
	"/confirm",
	validateOr("query", tokenSchema, (c) => linkProblem(c)),
	async (c) => {
		const { token } = c.req.valid("query");
		const pending = await peekPendingSignup(c.get("db"), await sha256Hex(token), Date.now());
		if (!pending) return linkProblem(c);
		return renderPage(c, {
			title: "Create your portal",
			body: (
				<ConfirmLinkPage
					title={`Create ${pending.orgName}'s portal`}
					text={`Your portal will be at ${pending.slug}.${c.get("config").PORTAL_DOMAIN}.`}
					action="/sign-up/confirm"
					token={token}
					button="Create the portal"
				/>
			),
		});
	},
);

signUpRoutes.post(
	"/confirm",
	validateOr("form", tokenSchema, (c) => linkProblem(c)),
	async (c) => {
		const db = c.get("db");
		const nowMs = Date.now();
		const pending = await consumePendingSignup(db, await sha256Hex(c.req.valid("form").token), nowMs);
		if (!pending) return linkProblem(c);
		const url = new URL(c.req.url);
		const host = `${pending.slug}.${c.get("config").PORTAL_DOMAIN}${url.port ? `:${url.port}` : ""}`;
		const handOff: { ticket?: Awaited<ReturnType<typeof issueLoginTicket>> } = {};
		const created = await createSignedUpOrganization(db, pending, nowMs, async ({ userId, orgId }) => {
			handOff.ticket = await issueLoginTicket(c, { userId, orgId, host, mfaVerified: false });
			return handOff.ticket;
		});
		if (!created) {
			// Someone took the address (or signed up with this email) since the form was sent.
			return renderPage(c, {
				title: "Address taken",
				status: 409,
				body: (
					<MessagePage
						title="That portal address was taken meanwhile"
						action={{ href: "/sign-up", label: "Sign up again" }}
					>
						<p>
							{pending.slug}.{c.get("config").PORTAL_DOMAIN} is no longer free. Choose another address.
						</p>
					</MessagePage>
				),
			});
		}
		const { ticket } = handOff;
		if (!ticket) return redirectTo(c, `${url.protocol}//${host}/sign-in?notice=organization-created`);
		return redirectTo(c, `${url.protocol}//${host}/sign-in/ticket?token=${ticket.token}`);
	},
);

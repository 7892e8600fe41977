// Login-ticket hand-offs between hosts (organization switch, confirmed sign-up, OAuth callback on the
// apex, operator view-as): start and complete on the receiving host, vouch on the issuing one. The
// protocol is in src/auth/handoff.ts.

import { type Context, Hono } from "hono";
import * as z from "zod";
import { completeTicket, startTicket, vouchForTicket } from "../../auth/handoff.ts";
import type { AppEnv } from "../../context.ts";
import { findMembership, findUserById } from "../../db/users.ts";
import { validateOr } from "../../lib/validate.ts";
import { redirectTo, tenantOf } from "../../middleware/guards.ts";
import { MessagePage } from "../../views/pages/messages.tsx";
import { renderPage } from "../../views/render.tsx";
import { linkProblem, tokenSchema } from "./links.tsx";
import { completeSignIn, startViewAs } from "./sign-in-flow.ts";

/** Tenant hosts: where a ticket starts and completes. */
export const ticketRoutes = new Hono<AppEnv>();

// ── Login tickets (OAuth callback, sign-up and organization switch hand-offs) ─────────────────

ticketRoutes.get(
	"/",
	validateOr("query", tokenSchema, (c) => linkProblem(c, "Sign-in")),
	async (c) => {
		const next = await startTicket(c, c.req.valid("query").token);
		return next ? redirectTo(c, next) : linkProblem(c, "Sign-in");
	},
);

ticketRoutes.get(
	"/complete",
	validateOr("query", tokenSchema, (c) => linkProblem(c, "Sign-in")),
	async (c) => {
		const { org } = tenantOf(c);
		const db = c.get("db");
		const row = await completeTicket(c, c.req.valid("query").token);
		const user = row && row.orgId === org.id ? await findUserById(db, row.userId) : null;
		if (!row || !user || !(await findMembership(db, user.id, org.id))) return linkProblem(c, "Sign-in");
		if (row.viewAsOperatorId) {
			return startViewAs(c, user.id, {
				operatorId: row.viewAsOperatorId,
				operatorLabel: row.viewAsOperatorLabel ?? "An operator",
			});
		}
		return completeSignIn(
			c,
			{ userId: user.id, name: user.name, email: user.email, mfaEnabled: user.mfaEnabled },
			row.signInMethod === "sso" ? "sso" : "ticket",
			row.mfaVerified,
		);
	},
);

/**
 * The issuing host's step of a hand-off (apex and tenant hosts alike): it vouches only for a ticket this
 * browser asked for. Anyone else gets the same page as for an unknown ticket.
 */
export const ticketVouchRoutes = new Hono<AppEnv>();

ticketVouchRoutes.get(
	"/vouch",
	validateOr("query", tokenSchema.extend({ nonce: z.string().regex(/^[0-9a-f]{64}$/) }), (c) => handOffProblem(c)),
	async (c) => {
		const { token, nonce } = c.req.valid("query");
		const next = await vouchForTicket(c, token, nonce);
		return next ? redirectTo(c, next) : handOffProblem(c);
	},
);

function handOffProblem(c: Context<AppEnv>) {
	return renderPage(c, {
		title: "Link not valid",
		status: 400,
		body: (
			<MessagePage title="This sign-in link no longer works">
				<p>
					A sign-in hand-off works once, within a minute, and only in the browser that started it. Start again from
					where you were.
				</p>
			</MessagePage>
		),
	});
}

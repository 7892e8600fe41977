// Signing in and out, email links, social sign-in, cross-host tickets and sign-up, by host.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { linkRoutes } from "./links.tsx";
import { apexOAuthRoutes, tenantOAuthRoutes } from "./oauth.tsx";
import { authRoutes } from "./sign-in.tsx";
import { signUpRoutes } from "./sign-up.tsx";
import { ssoCallbackRoutes, ssoStartRoutes } from "./sso.tsx";
import { ticketRoutes, ticketVouchRoutes } from "./tickets.tsx";

/** On a tenant host: each page carries its own paths (sign-in, links and OAuth share no prefix). */
export const tenantIdentity = new Hono<AppEnv>()
	.route("/", authRoutes)
	.route("/", linkRoutes)
	.route("/sign-in/ticket", ticketRoutes)
	.route("/sign-in/ticket", ticketVouchRoutes)
	.route("/", tenantOAuthRoutes)
	.route("/", ssoStartRoutes);

/** On the apex: sign-up, the vouching side of tickets, and the OAuth callbacks. */
export const apexIdentity = new Hono<AppEnv>()
	.route("/sign-up", signUpRoutes)
	.route("/sign-in/ticket", ticketVouchRoutes)
	.route("/", apexOAuthRoutes)
	.route("/", ssoCallbackRoutes);

// Login tickets: the hand-off that signs a person in on another host — an organization switch, a
// confirmed sign-up or an OAuth callback on the apex, an operator's view-as. A ticket completes only in
// the browser that asked for it (no login CSRF: a ticket link sent to someone else signs nobody in):
//
//   1. The issuing host stores the ticket with the hash of a hand-off cookie it keeps in this browser.
//   2. `GET /sign-in/ticket` on the receiving host sets a fresh nonce cookie there and sends the browser
//      back to the issuing host's `/sign-in/ticket/vouch` with the nonce's hash.
//   3. The issuing host binds the nonce to the ticket only if this browser holds its hand-off cookie.
//   4. `GET /sign-in/ticket/complete` on the receiving host uses the ticket up only with the bound nonce.
//
// Each step is one conditional UPDATE: a replay, another browser or a race finds nothing.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { bindLoginTicket, consumeLoginTicket, insertLoginTicket, peekLoginTicket } from "../db/tokens.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";

export const LOGIN_TICKET_MS = 60_000;
const HANDOFF_MAX_AGE_S = 24 * 60 * 60;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function cookieName(url: URL, name: string) {
	return url.protocol === "https:" ? `__Host-${name}` : name;
}

function cookieOptions(url: URL, maxAge: number) {
	return { path: "/", httpOnly: true, secure: url.protocol === "https:", sameSite: "Lax" as const, maxAge };
}

/** This browser's hand-off secret on this host: kept while it lasts, so tickets issued in two tabs both work. */
function handoffSecret(c: Context<AppEnv>): string {
	const url = new URL(c.req.url);
	const name = cookieName(url, "portico_handoff");
	const existing = getCookie(c, name);
	if (existing && TOKEN.test(existing)) return existing;
	const secret = randomToken(32);
	setCookie(c, name, secret, cookieOptions(url, HANDOFF_MAX_AGE_S));
	return secret;
}

export async function issueLoginTicket(
	c: Context<AppEnv>,
	input: {
		userId: string;
		orgId: string;
		host: string;
		mfaVerified: boolean;
		/** An operator's read-only view: the session it starts can never write. */
		viewAs?: { operatorId: string; operatorLabel: string };
		/** "sso" when the identity provider signed the person in. */
		signInMethod?: string;
	},
) {
	const token = randomToken(32);
	const { viewAs, ...rest } = input;
	const insert = insertLoginTicket(c.get("db"), {
		tokenHash: await sha256Hex(token),
		expiresAt: Date.now() + LOGIN_TICKET_MS,
		viewAsOperatorId: viewAs?.operatorId ?? null,
		viewAsOperatorLabel: viewAs?.operatorLabel ?? null,
		issuerHost: new URL(c.req.url).host,
		issuerBindingHash: await sha256Hex(handoffSecret(c)),
		...rest,
	});
	return { token, insert };
}

/** Step 2, on the receiving host: the URL of the issuing host's vouch step, or null for an unusable ticket. */
export async function startTicket(c: Context<AppEnv>, token: string): Promise<string | null> {
	const url = new URL(c.req.url);
	const ticket = await peekLoginTicket(c.get("db"), await sha256Hex(token), url.host, Date.now());
	if (!ticket?.issuerHost) return null;
	const nonce = randomToken(32);
	setCookie(c, cookieName(url, "portico_ticket"), nonce, cookieOptions(url, LOGIN_TICKET_MS / 1000));
	return `${url.protocol}//${ticket.issuerHost}/sign-in/ticket/vouch?token=${token}&nonce=${await sha256Hex(nonce)}`;
}

/** Step 3, on the issuing host: where to complete, or null when this browser did not ask for the ticket. */
export async function vouchForTicket(c: Context<AppEnv>, token: string, nonceHash: string): Promise<string | null> {
	const url = new URL(c.req.url);
	const secret = getCookie(c, cookieName(url, "portico_handoff"));
	if (!secret) return null;
	const host = await bindLoginTicket(c.get("db"), {
		tokenHash: await sha256Hex(token),
		issuerHost: url.host,
		issuerBindingHash: await sha256Hex(secret),
		nonceHash,
		nowMs: Date.now(),
	});
	return host ? `${url.protocol}//${host}/sign-in/ticket/complete?token=${token}` : null;
}

/** Step 4, on the receiving host: the ticket, used up, or null. */
export async function completeTicket(c: Context<AppEnv>, token: string) {
	const url = new URL(c.req.url);
	const name = cookieName(url, "portico_ticket");
	const nonce = getCookie(c, name);
	deleteCookie(c, name, { path: "/", secure: url.protocol === "https:" });
	if (!nonce) return null;
	return consumeLoginTicket(c.get("db"), {
		tokenHash: await sha256Hex(token),
		host: url.host,
		nonceHash: await sha256Hex(nonce),
		nowMs: Date.now(),
	});
}

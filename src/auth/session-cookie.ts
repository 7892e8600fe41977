// The session cookie: HttpOnly, SameSite=Lax, Secure with the __Host- prefix except on plain-http
// localhost, and no Domain attribute — so each host has its own session.
const HOUR = 60 * 60 * 1000;
/** A session ends after 12 hours without a request… */
export const SESSION_IDLE_MS = 12 * HOUR;
/** …and 7 days after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
/** Sensitive actions (email change, MFA changes) need a sign-in this recent. */
export const STEP_UP_MS = 10 * 60 * 1000;

export function sessionCookieName(url: URL): string {
	return url.protocol === "https:" ? "__Host-portico_session" : "portico_session";
}

export function sessionCookieOptions(url: URL, expiresAt: number) {
	return {
		path: "/",
		httpOnly: true,
		secure: url.protocol === "https:",
		sameSite: "Lax" as const,
		expires: new Date(expiresAt),
	};
}

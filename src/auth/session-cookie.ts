// The session cookie: HttpOnly, SameSite=Lax, Secure with the __Host- prefix except on plain-http
// localhost, and no Domain attribute — so each host has its own session.
export const SESSION_DAYS = 30;
export const SESSION_MS = SESSION_DAYS * 24 * 60 * 60 * 1000;

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

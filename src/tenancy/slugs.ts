// Organization slugs become hostnames: lowercase letters, digits and hyphens, and never a word the
// vendor needs for itself.
import * as z from "zod";
import { SLUG_PATTERN } from "./hosts.ts";

export const RESERVED_SLUGS = new Set([
	"www",
	"api",
	"app",
	"apps",
	"admin",
	"ops",
	"operator",
	"console",
	"portal",
	"portico",
	"mail",
	"email",
	"smtp",
	"help",
	"support",
	"docs",
	"status",
	"blog",
	"dev",
	"staging",
	"test",
	"demo",
	"auth",
	"login",
	"signin",
	"sign-in",
	"signup",
	"sign-up",
	"oauth",
	"sso",
	"billing",
	"pay",
	"static",
	"assets",
	"cdn",
	"files",
	"img",
	"images",
	"security",
	"abuse",
	"root",
	"system",
	"internal",
	"localhost",
	"example",
]);

export const slugSchema = z
	.string({ error: "Choose an address." })
	.trim()
	.toLowerCase()
	.min(2, { error: "Use at least 2 characters." })
	.max(32, { error: "Use at most 32 characters." })
	.regex(SLUG_PATTERN, { error: "Use lowercase letters, digits and hyphens; start and end with a letter or digit." })
	.refine((slug) => !RESERVED_SLUGS.has(slug), { error: "That address is reserved. Choose another." });

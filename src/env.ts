// Bindings and configuration, validated once per request with zod (config is an edge too).
import * as z from "zod";

export interface Bindings {
	PORTAL_DOMAIN: string;
	/** Development only: the port the portal is served on, for links built by background jobs. */
	PORTAL_PORT?: string;
	DATABASE_URL: string;
	DATABASE_AUTH_TOKEN?: string;
	ENVIRONMENT?: string;
	/** "1" makes the database client tag round trips with the request id (local server only). */
	DB_STATS?: string;
	/** "queue" sends mail through MAIL_QUEUE (retries); "inline" delivers during the request (tests). */
	MAIL_DELIVERY?: string;
	/** "outbox" (development, tests: shown at /dev/mail) or "resend" (production). */
	MAIL_TRANSPORT?: string;
	MAIL_FROM?: string;
	RESEND_API_KEY?: string;
	MAIL_QUEUE?: Queue<unknown>;
	/** Logos, avatars and data exports (R2). */
	FILES?: R2Bucket;
	EXPORT_QUEUE?: Queue<unknown>;
	/** "queue" builds exports in the background; "inline" builds them during the request (tests). */
	EXPORT_DELIVERY?: string;
	/** Secret for signed export download links. */
	EXPORT_SIGNING_KEY?: string;
	/** Seals identity providers' client secrets in the database (single sign-on). */
	SSO_SECRET_KEY?: string;
	/** The vendor's backend authenticates to /api/v1 with this secret. */
	VENDOR_API_SECRET?: string;
	USAGE_QUEUE?: Queue<unknown>;
	/** "queue" counts verifications through USAGE_QUEUE; "inline" writes them during the request (tests). */
	USAGE_DELIVERY?: string;
	/** Background jobs: one message per (organization, job), sent by the cron dispatchers. */
	JOBS_QUEUE?: Queue<unknown>;
	/** "queue" fans jobs out through JOBS_QUEUE; "inline" runs each message in the dispatching call (tests). */
	JOB_DELIVERY?: string;
	/**
	 * "queue" (default): a change that emits a webhook event sends its organization a jobs message at once,
	 * and each run schedules the next retry; "sweep": only the 5-minute dispatcher delivers (tests).
	 */
	WEBHOOK_DELIVERY?: string;
	STRIPE_SECRET_KEY?: string;
	STRIPE_WEBHOOK_SECRET?: string;
	/** Where the Stripe API is (the local emulator in development and tests); unset means api.stripe.com. */
	STRIPE_API_BASE?: string;
	GOOGLE_CLIENT_ID?: string;
	GOOGLE_CLIENT_SECRET?: string;
	GITHUB_CLIENT_ID?: string;
	GITHUB_CLIENT_SECRET?: string;
	MICROSOFT_TENANT?: string;
	MICROSOFT_CLIENT_ID?: string;
	MICROSOFT_CLIENT_SECRET?: string;
	/** The vendor's support team: told by email of each new ticket and each customer reply (optional). */
	SUPPORT_INBOX?: string;
	/** DNS-over-HTTPS JSON endpoint for domain checks (default Cloudflare's; the local stack runs its own). */
	DOH_ENDPOINT?: string;
	/** Where customers point their portal hostname's CNAME (default `domains.<PORTAL_DOMAIN>`). */
	CUSTOM_DOMAIN_TARGET?: string;
	/** Cloudflare for SaaS: custom hostnames (TLS certificates) are created in this zone with this token. */
	CF_API_TOKEN?: string;
	CF_ZONE_ID?: string;
	/** Turso's Platform API: dedicated databases are created in this organization and group. */
	TURSO_API_TOKEN?: string;
	TURSO_ORGANIZATION?: string;
	TURSO_GROUP?: string;
	/** The password Worker (scrypt off the page isolates); absent, passwords are hashed in this isolate. */
	PASSWORDS?: Fetcher;
}

const configSchema = z.object({
	PORTAL_DOMAIN: z
		.string()
		.min(1)
		.regex(/^[a-z0-9.-]+$/, "PORTAL_DOMAIN is a bare hostname such as portal.example.com"),
	DATABASE_URL: z.url(),
	DATABASE_AUTH_TOKEN: z.string().optional(),
	ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
	DB_STATS: z.enum(["0", "1"]).default("0"),
	MAIL_DELIVERY: z.enum(["queue", "inline"]).default("queue"),
	MAIL_TRANSPORT: z.enum(["outbox", "resend"]).default("resend"),
	SUPPORT_INBOX: z.email("SUPPORT_INBOX is an email address").optional(),
});

/**
 * What production cannot run without. Each stand-in (the local custom-hostname stand-in, the outbox,
 * the Stripe emulator, the round-trip tags) is refused there, so a deployment missing a secret fails
 * loudly in the logs instead of quietly handing out `local:` certificates or keeping mail in a table.
 */
const productionNeeds: [keyof Bindings, string][] = [
	["DATABASE_AUTH_TOKEN", "the Turso database token"],
	["STRIPE_SECRET_KEY", "the Stripe secret key"],
	["STRIPE_WEBHOOK_SECRET", "the Stripe webhook signing secret"],
	["CF_API_TOKEN", "a Cloudflare API token for custom hostnames (Cloudflare for SaaS)"],
	["CF_ZONE_ID", "the Cloudflare zone that holds the custom hostnames"],
	["RESEND_API_KEY", "the Resend API key for outbound email"],
	["EXPORT_SIGNING_KEY", "the key that signs export download links"],
	["SSO_SECRET_KEY", "the key that seals identity providers' client secrets"],
	["VENDOR_API_SECRET", "the secret the vendor's backend uses for /api/v1"],
];

export function productionProblems(bindings: Bindings): string[] {
	if ((bindings.ENVIRONMENT ?? "production") !== "production") return [];
	const problems = productionNeeds
		.filter(([name]) => !bindings[name])
		.map(([name, what]) => `${name} (${what}) is missing`);
	if (bindings.STRIPE_API_BASE) problems.push("STRIPE_API_BASE must be unset (production talks to api.stripe.com)");
	if (bindings.MAIL_TRANSPORT === "outbox") problems.push("MAIL_TRANSPORT=outbox keeps mail in the database");
	if (bindings.DB_STATS === "1") problems.push("DB_STATS=1 is for the local libSQL server only");
	for (const name of ["MAIL_DELIVERY", "JOB_DELIVERY", "EXPORT_DELIVERY", "USAGE_DELIVERY"] as const) {
		if (bindings[name] === "inline") problems.push(`${name}=inline is for tests`);
	}
	if (bindings.WEBHOOK_DELIVERY === "sweep") problems.push("WEBHOOK_DELIVERY=sweep is for tests");
	if (!/^(https|libsql):\/\//.test(bindings.DATABASE_URL ?? ""))
		problems.push("DATABASE_URL must be https:// or libsql://");
	return problems;
}

export type Config = z.infer<typeof configSchema>;

/** Parsed once per bindings object (the platform passes the same one to every request of an isolate). */
const parsedConfigs = new WeakMap<Bindings, Config>();

export function readConfig(bindings: Bindings): Config {
	const known = parsedConfigs.get(bindings);
	if (known) return known;
	const config = parseConfig(bindings);
	parsedConfigs.set(bindings, config);
	return config;
}

function parseConfig(bindings: Bindings): Config {
	const parsed = configSchema.safeParse(bindings);
	if (!parsed.success) {
		// A misconfigured deployment must fail loudly in the logs, but never show the details to a user.
		throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
	}
	const problems = productionProblems(bindings);
	if (problems.length > 0) throw new Error(`Invalid production configuration: ${problems.join("; ")}`);
	return parsed.data;
}

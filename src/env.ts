// Bindings and configuration, validated once per request with zod (config is an edge too).
import { z } from "zod";

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
	/** The vendor's backend authenticates to /api/v1 with this secret. */
	VENDOR_API_SECRET?: string;
	USAGE_QUEUE?: Queue<unknown>;
	/** "queue" counts verifications through USAGE_QUEUE; "inline" writes them during the request (tests). */
	USAGE_DELIVERY?: string;
	/** Background jobs: one message per (organization, job), sent by the cron dispatchers. */
	JOBS_QUEUE?: Queue<unknown>;
	/** "queue" fans jobs out through JOBS_QUEUE; "inline" runs each message in the dispatching call (tests). */
	JOB_DELIVERY?: string;
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

export type Config = z.infer<typeof configSchema>;

export function readConfig(bindings: Bindings): Config {
	const parsed = configSchema.safeParse(bindings);
	if (!parsed.success) {
		// A misconfigured deployment must fail loudly in the logs, but never show the details to a user.
		throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
	}
	return parsed.data;
}

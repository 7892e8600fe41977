declare namespace Cloudflare {
	interface Env {
		DATABASE_URL: string;
		PORTAL_DOMAIN: string;
		ENVIRONMENT: string;
		DB_STATS: string;
	}
}
declare namespace Cloudflare {
	interface GlobalProps {
		mainModule: typeof import("../src/index.ts");
	}
}
declare namespace Cloudflare {
	interface Env {
		STRIPE_API_BASE: string;
	}
}
declare namespace Cloudflare {
	interface Env {
		VENDOR_API_SECRET: string;
		FILES: R2Bucket;
		PASSWORDS: Fetcher;
	}
}

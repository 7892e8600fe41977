// Size budgets that do not depend on machine speed, checked by `npm test` after the dry-run build:
// the Worker bundle and the JavaScript a page makes the browser download (gzipped).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// The bundle includes the Stripe SDK (~45 KB gzipped), which the stack requires, and marked (~13 KB,
// the knowledge base's Markdown lexer). Workers accept 3 MB gzipped (10 MB paid): this budget is there
// to notice growth. Raised from 300 to 350 KiB with support, the operator console and white-label, and
// to 365 KiB with the background-job fan-out and the dedicated tier, whose Worker migrates the databases
// it creates (all migrations are bundled: ~6.5 KB gzipped), and to 385 KiB with single sign-on, whose ID
// tokens are verified by jose (JWS, JWKS and claims checks: ~11 KB gzipped, which the issue asks for
// rather than hand-written JOSE).
// Raised to 560 KiB with SAML: XML signatures are verified by xmldsigjs over pkijs/asn1js (X.509) with
// @xmldom/xmldom and xpath (~160 KB gzipped together), which the issue asks for instead of our own
// XML-DSig; still a fifth of the 3 MB limit.
// Lowered to 520 KiB (with directory sync and webhooks in it): zod is imported as a namespace
// (`import * as z from "zod"`, as Zod 4 recommends), so the ~40 locales it ships are tree-shaken (−67 KiB).
export const BUDGETS = { bundleGzipBytes: 520 * 1024, pageJsGzipBytes: 16 * 1024 };

const root = new URL("..", import.meta.url).pathname;

export function measureSizes() {
	const dist = join(root, ".wrangler", "dist");
	const bundle = readdirSync(dist).filter((f) => f.endsWith(".js"));
	const bundleGzipBytes = bundle.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length, 0);
	const assets = join(root, "public", "assets");
	// Every page loads the same scripts: the layout's (htmx). Nothing else ships to the browser.
	const pageJsGzipBytes = readdirSync(assets)
		.filter((f) => f.endsWith(".js"))
		.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
	return { bundleGzipBytes, pageJsGzipBytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const sizes = measureSizes();
	let failed = false;
	for (const [name, limit] of Object.entries(BUDGETS)) {
		const value = sizes[name as keyof typeof sizes];
		const ok = value <= limit;
		failed ||= !ok;
		console.log(
			`${ok ? "ok  " : "OVER"} ${name}: ${(value / 1024).toFixed(1)} KiB (budget ${(limit / 1024).toFixed(0)} KiB)`,
		);
	}
	if (failed) process.exit(1);
}

// The raw database client must not be importable outside src/db: the lint rule that enforces it is
// itself tested here, on probe files in a scratch copy of the layout, so breaking the rule fails the build.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "portico-lint-"));
copyFileSync(join(root, "biome.json"), join(scratch, "biome.json"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(path: string, source: string): string {
	const file = join(scratch, path);
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, source);
	try {
		execFileSync(join(root, "node_modules", ".bin", "biome"), ["lint", "--vcs-enabled=false", path], {
			cwd: scratch,
			encoding: "utf8",
			stdio: "pipe",
		});
		return "";
	} catch (error) {
		const e = error as { stdout?: string; stderr?: string };
		return `${e.stdout ?? ""}${e.stderr ?? ""}`;
	}
}

describe("database access boundaries", () => {
	it.each([
		["driver", 'import { drizzle } from "drizzle-orm/libsql/web";\nexport const x = drizzle;\n'],
		["client", 'import { createClient } from "@libsql/client/web";\nexport const x = createClient;\n'],
		["query builder", 'import { eq } from "drizzle-orm";\nexport const x = eq;\n'],
	])("refuses the %s import in a route", (name, source) => {
		expect(lint(`src/routes/${name.replace(" ", "-")}.ts`, source)).toContain("noRestrictedImports");
	});

	it("allows the driver inside src/db", () => {
		const out = lint(
			"src/db/example.ts",
			'import { createClient } from "@libsql/client/web";\nexport const x = createClient;\n',
		);
		expect(out).not.toContain("noRestrictedImports");
	});
});

describe("form bodies", () => {
	it("reads a raw form body only through formBody (a malformed one is a 4xx) or with its failure handled", async () => {
		const { readdirSync, readFileSync } = await import("node:fs");
		const offenders = readdirSync(join(root, "src/routes"), { recursive: true, encoding: "utf8" })
			.filter((name) => /\.tsx?$/.test(name))
			.map((name) => [name, readFileSync(join(root, "src/routes", name), "utf8")] as const)
			.filter(([, source]) => /parseBody\([^)]*\)(?!\s*\.catch)/.test(source))
			.map(([name]) => name);
		expect(offenders).toEqual([]);
	});
});

describe("one date formatter", () => {
	it("formats dates for pages only in src/lib/dates.ts (the viewer's locale and time zone)", async () => {
		const { readdirSync, readFileSync, statSync } = await import("node:fs");
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (/\.tsx?$/.test(name) && /new Intl\.DateTimeFormat\(/.test(readFileSync(path, "utf8")))
					offenders.push(path);
			}
		};
		for (const dir of ["src/routes", "src/views"]) walk(join(root, dir));
		expect(offenders.map((p) => p.slice(root.length))).toEqual([]);
	});
});

describe("service verbs own the transaction", () => {
	it("commits a change with its audit event only in a verb outside src/routes", async () => {
		const { readdirSync, readFileSync } = await import("node:fs");
		const routes = readdirSync(join(root, "src/routes"), { recursive: true, encoding: "utf8" }).filter((name) =>
			/\.tsx?$/.test(name),
		);
		const committing = routes.filter((name) =>
			/\b(commitWithAudit|auditInsert)\b/.test(readFileSync(join(root, "src/routes", name), "utf8")),
		);
		expect(routes.length).toBeGreaterThan(40);
		expect(committing).toEqual([]);
	});
});

describe("organization-owned rows", () => {
	it("are scoped only by the organization-bound accessor in the control-plane helpers", async () => {
		const { readFileSync } = await import("node:fs");
		const offenders = ["team.ts", "keys.ts", "domains.ts"].flatMap((name) => {
			const source = readFileSync(join(root, "src/db", name), "utf8");
			return [
				// An organization's condition written by hand, or a helper taking a bare organization id.
				// (`orgId: string | SQL` is the seat count's placeholder in prepared statements; the usage
				// consumer's counts carry each row's organization, as written by the verification API.)
				...[...source.matchAll(/eq\(\w+\.orgId,|\borgId: string(?! \| SQL)(?!; keyId)/g)].map(
					(m) => `${name}: ${m[0]}`,
				),
			];
		});
		expect(offenders).toEqual([]);
	});
});

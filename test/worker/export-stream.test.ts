// A large organization's export is streamed: the audit log is read a page at a time and the archive is
// uploaded in 5 MiB parts, so its size never sits in the Worker's memory — and it is whole when read back.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dataExports } from "../../src/db/schema.ts";
import { EXPORT_PAGE } from "../../src/exports/build.ts";
import { PART_BYTES } from "../../src/files/storage.ts";
import { createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";
import { unzip } from "../support/zip.ts";

const EVENTS = 4 * EXPORT_PAGE + 17;

describe("streamed organization export", () => {
	it("writes every audit event of a long history, in order, across several pages and upload parts", async () => {
		const org = await createOrg();
		const admin = await createUser(org, "admin");
		// Random metadata does not compress: the archive passes one upload part.
		await testDb().run(
			sql`insert into audit_events (id, org_id, actor_type, actor_label, action, metadata, created_at)
			    select printf('evt_s%06d', value), ${org.id}, 'system', 'Importer', 'test.imported',
			           json_object('noise', hex(randomblob(900))), 1700000000000 + value
			    from generate_series(1, ${EVENTS})`,
		);
		const cookie = await signIn(org, admin.email);
		expect((await request(`${org.origin}/settings/export`, { method: "POST", cookie })).status).toBe(303);
		const [record] = await testDb().select().from(dataExports).where(eq(dataExports.orgId, org.id));
		expect(record?.status).toBe("ready");
		expect(record?.sizeBytes).toBeGreaterThan(PART_BYTES);
		const stored = await env.FILES.get(record?.objectKey ?? "");
		const files = await unzip(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0)));
		const audit = JSON.parse(files["audit_log.json"] ?? "[]") as { id: string; orgId?: string }[];
		const imported = audit.filter((e) => e.id.startsWith("evt_s"));
		expect(imported).toHaveLength(EVENTS);
		expect(imported.map((e) => e.id)).toEqual([...imported.map((e) => e.id)].sort());
		expect(audit.every((e) => e.orgId === undefined)).toBe(true);
		const csv = (files["audit_log.csv"] ?? "").trimEnd().split("\r\n");
		expect(csv[0]?.split(",")).toContain("actorLabel");
		expect(csv.filter((line) => line.startsWith("evt_s"))).toHaveLength(EVENTS);
	});
});

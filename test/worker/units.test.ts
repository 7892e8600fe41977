import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, PBKDF2_MAX_ITERATIONS, verifyPassword } from "../../src/auth/password.ts";
import { can } from "../../src/auth/permissions.ts";
import { dosDateTime, ZipWriter } from "../../src/exports/zip.ts";
import { dateFormats } from "../../src/lib/dates.ts";
import { newId } from "../../src/lib/ids.ts";
import { lookupForHost } from "../../src/tenancy/hosts.ts";
import { unzip } from "../support/zip.ts";

describe("hosts", () => {
	it("maps apex, subdomains and custom domains, and refuses anything else", () => {
		expect(lookupForHost("portal.example", "portal.example")).toEqual({ kind: "apex" });
		expect(lookupForHost("ACME.portal.example", "portal.example")).toEqual({ kind: "slug", slug: "acme" });
		expect(lookupForHost("a.b.portal.example", "portal.example")).toBeNull();
		expect(lookupForHost("-x.portal.example", "portal.example")).toBeNull();
		expect(lookupForHost("portal.acme.com", "portal.example")).toEqual({ kind: "domain", hostname: "portal.acme.com" });
		expect(lookupForHost("10.0.0.1", "portal.example")).toBeNull();
		expect(lookupForHost("localhost", "portal.example")).toBeNull();
	});
});

describe("ids", () => {
	it("are prefixed, random and sort by creation time", () => {
		const early = newId("org", 1_700_000_000_000);
		const late = newId("org", 1_700_000_000_001);
		expect(early).toMatch(/^org_[0-9a-z]{26}$/);
		expect(early < late).toBe(true);
		expect(newId("usr")).not.toBe(newId("usr"));
	});
});

describe("passwords", () => {
	it("hash with scrypt, verify, and ask for a rehash of older formats", async () => {
		const hash = await hashPassword("s3cret pass phrase");
		expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(await verifyPassword("s3cret pass phrase", hash)).toBe(true);
		expect(await verifyPassword("s3cret pass phras", hash)).toBe(false);
		expect(needsRehash(hash)).toBe(false);
	});

	it("verify PBKDF2 hashes only up to the 100,000 iterations production Workers accept", async () => {
		expect(PBKDF2_MAX_ITERATIONS).toBeLessThanOrEqual(100_000);
		const salt = new Uint8Array(16);
		const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("legacy password"), "PBKDF2", false, [
			"deriveBits",
		]);
		const bits = await crypto.subtle.deriveBits(
			{ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 },
			key,
			256,
		);
		const b64 = (bytes: Uint8Array) =>
			btoa(String.fromCharCode(...bytes))
				.replaceAll("+", "-")
				.replaceAll("/", "_")
				.replace(/=+$/, "");
		const legacy = `pbkdf2-sha256$100000$${b64(salt)}$${b64(new Uint8Array(bits))}`;
		expect(await verifyPassword("legacy password", legacy)).toBe(true);
		expect(needsRehash(legacy)).toBe(true);
		// A stored hash that asks for more iterations than Workers allow is refused, not attempted.
		expect(await verifyPassword("legacy password", legacy.replace("$100000$", "$200000$"))).toBe(false);
	});
});

describe("permissions", () => {
	it("grants only what the role lists", () => {
		expect(can({ permissions: ["audit:read"] }, "audit:read")).toBe(true);
		expect(can({ permissions: ["audit:read"] }, "billing:manage")).toBe(false);
		expect(can(null, "org:read")).toBe(false);
	});
});

describe("zip", () => {
	it("streams compressed entries dated with the export's time, not 1980-01-01, that archive tools read back", async () => {
		const at = Date.UTC(2026, 11, 1, 20, 57, 43);
		const chunks: Uint8Array[] = [];
		const archive = new ZipWriter(async (bytes) => {
			chunks.push(bytes.slice());
		}, at);
		await archive.add("a.csv", "x");
		await archive.add(
			"big.json",
			(function* () {
				for (let i = 0; i < 2000; i++) yield `{"row":${i}}\n`;
			})(),
		);
		const size = await archive.finish();
		const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
		let offset = 0;
		for (const c of chunks) {
			bytes.set(c, offset);
			offset += c.length;
		}
		expect(size).toBe(bytes.length);
		const view = new DataView(bytes.buffer);
		const decode = (time: number, date: number) =>
			new Date(
				Date.UTC((date >> 9) + 1980, ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2),
			).toISOString();
		expect(decode(view.getUint16(10, true), view.getUint16(12, true))).toBe("2026-12-01T20:57:42.000Z");
		const central = view.getUint32(bytes.length - 6, true);
		expect(view.getUint32(central, true)).toBe(0x02014b50);
		expect(decode(view.getUint16(central + 12, true), view.getUint16(central + 14, true))).toBe(
			"2026-12-01T20:57:42.000Z",
		);
		const files = await unzip(bytes);
		expect(files["a.csv"]).toBe("x");
		expect(files["big.json"]?.split("\n")).toHaveLength(2001);
		// Compressed: 2,000 similar lines take far less than their 25 KB.
		expect(bytes.length).toBeLessThan(10_000);
		expect(dosDateTime(Date.UTC(1970, 0, 1)).date).toBe((0 << 9) | (1 << 5) | 1);
	});
});

describe("dates", () => {
	it("formats in the viewer's locale and time zone, and UTC day keys as that calendar day", () => {
		const late = Date.UTC(2026, 11, 1, 22, 30);
		const tokyo = dateFormats({ locale: "en-US", timeZone: "Asia/Tokyo" });
		expect(tokyo.date(late)).toBe("Dec 2, 2026");
		expect(tokyo.dateTime(late)).toMatch(/^Dec 2, 2026, 7:30\sAM$/);
		expect(tokyo.day("2026-12-01")).toBe("Dec 1, 2026");
		const german = dateFormats({ locale: "de-DE", timeZone: "UTC" });
		expect(german.date(late)).toBe("01.12.2026");
		expect(german.month(late)).toBe("Dezember 2026");
	});
});

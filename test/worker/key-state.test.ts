// The one key-state rule, at each boundary (the keys page, verification and ingestion all read it).
import { describe, expect, it } from "vitest";
import { keyState, keyWorks } from "../../src/keys/state.ts";

const NOW = 1_800_000_000_000;
const key = (over: Partial<{ revokedAt: number | null; expiresAt: number | null; graceUntil: number | null }>) => ({
	revokedAt: null,
	expiresAt: null,
	graceUntil: null,
	...over,
});

describe("keyState", () => {
	it("orders revoked over expired over rotation, and counts the boundary instant as past", () => {
		expect(keyState(key({}), NOW)).toBe("active");
		expect(keyState(key({ expiresAt: NOW + 1 }), NOW)).toBe("active");
		expect(keyState(key({ expiresAt: NOW }), NOW)).toBe("expired");
		expect(keyState(key({ graceUntil: NOW + 1 }), NOW)).toBe("rotating");
		expect(keyState(key({ graceUntil: NOW }), NOW)).toBe("rotated");
		expect(keyState(key({ graceUntil: NOW + 1, expiresAt: NOW - 1 }), NOW)).toBe("expired");
		expect(keyState(key({ revokedAt: NOW - 5, expiresAt: NOW - 1, graceUntil: NOW - 1 }), NOW)).toBe("revoked");
	});

	it("lets active and rotating keys authenticate, nothing else", () => {
		expect(["active", "rotating", "rotated", "expired", "revoked"].map((s) => keyWorks(s as never))).toEqual([
			true,
			true,
			false,
			false,
			false,
		]);
	});
});

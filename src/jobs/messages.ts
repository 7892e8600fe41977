// The jobs queue's messages. A cron trigger's dispatcher reads one page of the organizations that have
// work and sends one `tenant` message per organization; a full page also sends a `scan` message that
// reads the next page (so no invocation's round trips grow with the number of organizations).
import * as z from "zod";

export const TENANT_JOBS = ["usage", "seal", "reconcile", "domains", "daily", "webhooks"] as const;
export type TenantJobName = (typeof TENANT_JOBS)[number];

const job = z.enum(TENANT_JOBS);
const at = z.number().int().nonnegative();

export const jobMessageSchema = z.discriminatedUnion("kind", [
	z.object({ kind: z.literal("tenant"), job, orgId: z.string().min(1).max(64), nowMs: at }),
	z.object({
		kind: z.literal("scan"),
		job,
		nowMs: at,
		/** Where this page starts (opaque to all but the job's due query). */
		after: z.string().max(200),
		/** The usage job's slice of the event sequence, fixed by its first page. */
		range: z.object({ from: at, to: at }).optional(),
	}),
	/** An operator's "Move to a dedicated database" (or back), claimed at `claimAt` by the console. */
	z.object({
		kind: z.literal("move"),
		orgId: z.string().min(1).max(64),
		to: z.enum(["shared", "dedicated"]),
		claimAt: at,
		operator: z.object({ id: z.string().min(1).max(64), label: z.string().min(1).max(200) }),
	}),
]);

export type JobMessage = z.infer<typeof jobMessageSchema>;
export type TenantMessage = Extract<JobMessage, { kind: "tenant" }>;
export type ScanMessage = Extract<JobMessage, { kind: "scan" }>;
export type MoveMessage = Extract<JobMessage, { kind: "move" }>;

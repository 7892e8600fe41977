// Console: the vendor's retention offers, one per cancellation reason, with how often each was shown
// and accepted. Every change goes in the operator log.

import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { CANCEL_REASONS, type CancelReason } from "../../billing/service.ts";
import type { AppEnv } from "../../context.ts";
import { listPlans } from "../../db/billing.ts";
import { operatorAuditInsert } from "../../db/operators.ts";
import { deleteRetentionOffer, listRetentionOffers, saveRetentionOffer } from "../../db/retention.ts";
import { systemAccess } from "../../db/system.ts";
import { formBody } from "../../lib/form-body.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { OpsRetention } from "../../views/pages/ops/retention.tsx";
import { operatorActor, opsPage } from "./shared.tsx";

export const opsRetentionRoutes = new Hono<AppEnv>();

const WINDOW_MS = 90 * 86_400_000;

async function retentionPage(c: Context<AppEnv>, error?: string, status = 200) {
	const db = c.get("db");
	const [offers, stats, plans] = await Promise.all([
		listRetentionOffers(db),
		systemAccess(db).console.retentionStatsSince(Date.now() - WINDOW_MS),
		listPlans(db),
	]);
	const rows = (Object.entries(CANCEL_REASONS) as [CancelReason, string][]).map(([reason, label]) => {
		const offer = offers.find((o) => o.reason === reason);
		const stat = stats.find((s) => s.reason === reason);
		return {
			reason,
			label,
			kind: offer?.kind ?? ("none" as const),
			percentOff: offer?.percentOff ?? null,
			months: offer?.months ?? null,
			planId: offer?.planId ?? null,
			shown: Number(stat?.shown ?? 0),
			accepted: Number(stat?.accepted ?? 0),
		};
	});
	return opsPage(c, {
		title: "Retention offers",
		status,
		body: (
			<OpsRetention
				rows={rows}
				plans={plans.filter((p) => p.priceMinor > 0).map((p) => ({ id: p.id, name: p.name }))}
				notice={c.req.query("notice") === "saved" ? "The offer is saved." : undefined}
				error={error}
			/>
		),
	});
}

opsRetentionRoutes.get("/retention", (c) => retentionPage(c));

const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
const offerForm = z.strictObject({
	kind: z.enum(["none", "discount", "downgrade"]),
	percentOff: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).optional()),
	months: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(24).optional()),
	planId: z.preprocess(blankToUndefined, z.string().max(64).optional()),
});

opsRetentionRoutes.post(
	"/retention/:reason",
	validate("param", z.object({ reason: z.enum(Object.keys(CANCEL_REASONS) as [CancelReason, ...CancelReason[]]) })),
	async (c) => {
		const { reason } = c.req.valid("param");
		const parsed = offerForm.safeParse(await formBody(c));
		if (!parsed.success) return retentionPage(c, "Percent off is 1–100 and months 1–24.", 422);
		const form = parsed.data;
		const db = c.get("db");
		const actor = operatorActor(c);
		const plans = await listPlans(db);
		if (form.kind === "discount" && (!form.percentOff || !form.months))
			return retentionPage(c, "A discount needs its percent off and its number of months.", 422);
		if (form.kind === "downgrade" && !plans.some((p) => p.id === form.planId && p.priceMinor > 0))
			return retentionPage(c, "Choose the paid plan to offer instead.", 422);
		const write =
			form.kind === "none"
				? deleteRetentionOffer(db, reason)
				: saveRetentionOffer(db, {
						reason,
						kind: form.kind,
						percentOff: form.kind === "discount" ? (form.percentOff ?? null) : null,
						months: form.kind === "discount" ? (form.months ?? null) : null,
						planId: form.kind === "downgrade" ? (form.planId ?? null) : null,
						updatedAt: Date.now(),
						updatedBy: actor.label,
					});
		await db.batch([
			write,
			operatorAuditInsert(db, {
				operator: actor,
				action: "operator.retention_offer_saved",
				metadata: { reason, ...form },
				ip: actor.ip ?? null,
			}),
		]);
		return redirectTo(c, `/ops/retention?notice=saved#offer-${reason}`);
	},
);

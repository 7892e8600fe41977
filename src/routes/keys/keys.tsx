// API keys in the portal (`keys:manage`). Secrets are generated here, shown once, and only their
// SHA-256 is stored; nothing else (audit, logs, exports) ever sees them.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { loadKeysPage } from "../../db/keys.ts";
import { maskKey } from "../../keys/format.ts";
import { API_SCOPES, type ApiScope, GRACE_PERIODS, type GracePeriod } from "../../keys/scopes.ts";
import {
	createKey,
	editKey,
	type KeyFields,
	needsNameToRevoke,
	ownKey,
	revokeKey,
	rotateKey,
} from "../../keys/service.ts";
import { keyState, keyWorks } from "../../keys/state.ts";
import { utcDay } from "../../keys/usage.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { me, orgOf, redirectTo, requirePermission } from "../../middleware/guards.ts";
import { showRefusalsOn } from "../../middleware/refusals.ts";
import { unitOf } from "../../middleware/unit.ts";
import { textField } from "../../settings/fields.ts";
import { KeyForm, KeysPage, SecretPage } from "../../views/pages/keys/keys.tsx";
import { renderPage } from "../../views/render.tsx";

export const keyRoutes = new Hono<AppEnv>();
const refusals = showRefusalsOn((c, message) => keysPage(c, { errors: { form: message } }, 422));
keyRoutes.use("*", requirePermission("keys:manage"), refusals);

const DAY_MS = 86_400_000;

const keyFormSchema = z.strictObject({
	name: textField("a name", 60),
	scopes: z.preprocess(
		(v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
		z.array(z.enum(Object.keys(API_SCOPES) as [ApiScope, ...ApiScope[]], { error: "Choose scopes from the list." })),
	),
	expires: z
		.string()
		.max(10)
		.refine((v) => v === "" || (/^\d{4}-\d{2}-\d{2}$/.test(v) && Date.parse(`${v}T23:59:59Z`) > Date.now()), {
			error: "Choose a date in the future, or leave it empty.",
		}),
	rateLimit: z
		.string()
		.max(7)
		.refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000), {
			error: "Use a whole number from 1 to 100,000, or leave it empty.",
		}),
});

type KeyFormInput = z.infer<typeof keyFormSchema>;

function formValues(raw: unknown): { name: string; scopes: string[]; expires: string; rateLimit: string } {
	const r = (raw ?? {}) as Record<string, unknown>;
	const scopes = Array.isArray(r.scopes) ? r.scopes.map(String) : typeof r.scopes === "string" ? [r.scopes] : [];
	return {
		name: typeof r.name === "string" ? r.name : "",
		scopes,
		expires: typeof r.expires === "string" ? r.expires : "",
		rateLimit: typeof r.rateLimit === "string" ? r.rateLimit : "",
	};
}

function relative(ms: number | null, locale: string): string {
	if (!ms) return "never";
	const minutes = Math.round((ms - Date.now()) / 60_000);
	const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
	if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
	if (Math.abs(minutes) < 1440) return rtf.format(Math.round(minutes / 60), "hour");
	return rtf.format(Math.round(minutes / 1440), "day");
}

async function keysPage(
	c: Context<AppEnv>,
	extra: { errors?: Record<string, string>; values?: ReturnType<typeof formValues> } = {},
	status = 200,
) {
	const viewer = me(c);
	const nowMs = Date.now();
	const days = Array.from({ length: 30 }, (_, i) => utcDay(nowMs - (29 - i) * DAY_MS));
	const { keys, usage } = await loadKeysPage(orgOf(c), days[0] ?? "");
	const formats = dateFormats(viewer);
	const date = { format: formats.date };
	const dateTime = { format: formats.dateTime };
	const rows = keys.map((k) => {
		const state = keyState(k, nowMs);
		const status = {
			revoked: "Revoked",
			expired: "Expired",
			rotated: "Rotated",
			rotating: `Rotated — works until ${dateTime.format(k.graceUntil ?? 0)}`,
			active: "Active",
		}[state];
		const counts = days.map((d) => usage.find((u) => u.keyId === k.id && u.day === d)?.count ?? 0);
		return {
			id: k.id,
			name: k.name,
			masked: maskKey(k.prefix, k.last4),
			scopes: k.scopes,
			createdBy: k.createdByLabel,
			created: date.format(k.createdAt),
			lastUsed: relative(k.lastUsedAt, viewer.locale),
			expires: k.expiresAt ? `expires ${date.format(k.expiresAt)}` : "no expiry",
			status,
			active: state === "active",
			revocable: keyWorks(state),
			usage: counts,
			needsNameToRevoke: needsNameToRevoke(k, nowMs),
		};
	});
	const notice = { created: "Key created.", revoked: "Key revoked. It stopped working now.", saved: "Key saved." }[
		c.req.query("notice") ?? ""
	];
	return renderPage(c, { title: "API keys", status, body: <KeysPage keys={rows} notice={notice} {...extra} /> });
}

function secretPage(c: Context<AppEnv>, props: Parameters<typeof SecretPage>[0]) {
	// A page holding a secret must not be stored anywhere.
	c.header("cache-control", "no-store");
	return renderPage(c, { title: "Your new key", body: <SecretPage {...props} /> });
}

function keyFields(form: KeyFormInput): KeyFields {
	return {
		name: form.name,
		scopes: form.scopes,
		expiresAt: form.expires ? Date.parse(`${form.expires}T23:59:59Z`) : null,
		rateLimitPerMinute: form.rateLimit ? Number(form.rateLimit) : null,
	};
}

keyRoutes.get("/", (c) => keysPage(c));

keyRoutes.post(
	"/",
	validateOr("form", keyFormSchema, (c, failure) =>
		keysPage(c, { errors: failure.errors, values: formValues(failure.raw) }, 422),
	),
	async (c) => {
		const fields = keyFields(c.req.valid("form"));
		const { secret } = await createKey(unitOf(c), fields);
		return secretPage(c, { name: fields.name, secret, rotated: false, graceUntil: null });
	},
);

const keyParam = validate("param", z.object({ id: z.string().regex(/^key_[0-9a-z]{26}$/, { error: "Unknown key." }) }));

keyRoutes.post(
	"/:id/rotate",
	keyParam,
	validate(
		"form",
		z.strictObject({
			grace: z.enum(Object.keys(GRACE_PERIODS) as [GracePeriod, ...GracePeriod[]], {
				error: "Choose a grace period from the list.",
			}),
		}),
	),
	async (c) => {
		const rotated = await rotateKey(unitOf(c), c.req.valid("param").id, c.req.valid("form").grace, Date.now());
		return secretPage(c, {
			name: rotated.name,
			secret: rotated.secret,
			rotated: true,
			graceUntil: rotated.graceUntil === null ? null : dateFormats(me(c)).dateTime(rotated.graceUntil),
		});
	},
);

keyRoutes.post(
	"/:id/revoke",
	keyParam,
	validate("form", z.strictObject({ confirmName: z.string().max(100).optional() })),
	async (c) => {
		const typed = c.req.valid("form").confirmName ?? "";
		const result = await revokeKey(unitOf(c), c.req.valid("param").id, typed, Date.now());
		if (result.outcome === "confirm") {
			const errors = { [`revoke-${result.keyId}`]: result.message, [`typed-${result.keyId}`]: result.typed };
			return keysPage(c, { errors }, 422);
		}
		return redirectTo(c, result.outcome === "revoked" ? "/keys?notice=revoked" : "/keys");
	},
);

keyRoutes.get("/:id/edit", keyParam, async (c) => {
	const key = await ownKey(unitOf(c), c.req.valid("param").id);
	const values = {
		name: key.name,
		scopes: key.scopes,
		expires: key.expiresAt ? new Date(key.expiresAt).toISOString().slice(0, 10) : "",
		rateLimit: key.rateLimitPerMinute ? String(key.rateLimitPerMinute) : "",
	};
	return renderPage(c, {
		title: `Edit ${key.name}`,
		body: (
			<section class="panel narrow" aria-labelledby="edit-key-title">
				<h1 id="edit-key-title">Edit {key.name}</h1>
				<p>
					<code>{maskKey(key.prefix, key.last4)}</code>
				</p>
				<KeyForm action={`/keys/${key.id}`} idPrefix="edit" values={values} submit="Save" />
			</section>
		),
	});
});

keyRoutes.post(
	"/:id",
	keyParam,
	zValidator("form", keyFormSchema, (result) => {
		if (!result.success)
			throw new AppError("validation", result.error.issues[0]?.message ?? "Check the key's details.");
	}),
	async (c) => {
		await editKey(unitOf(c), c.req.valid("param").id, keyFields(c.req.valid("form")));
		return redirectTo(c, "/keys?notice=saved");
	},
);

// Webhook endpoints (`webhooks:manage`, Owners and Admins): the list and the form to add one, each
// endpoint's page (settings, secret rotation, test event, the delivery log and replays), deletion with a
// confirmation, and the event catalog. The verbs are in src/webhooks/endpoints.ts.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { listEndpoints, loadEndpointLog, MAX_ENDPOINTS } from "../../db/webhooks.ts";
import { AppError } from "../../lib/errors.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { redirectTo, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { ConfirmAction } from "../../views/components/confirm-action.tsx";
import { WebhookCatalogPage } from "../../views/pages/settings/webhook-catalog.tsx";
import { EndpointPage, type EndpointPageProps } from "../../views/pages/settings/webhook-endpoint.tsx";
import { WebhooksPage, type WebhooksPageProps } from "../../views/pages/settings/webhooks.tsx";
import { renderPage } from "../../views/render.tsx";
import { EVENT_TYPE_LIST, type WebhookEventType } from "../../webhooks/catalog.ts";
import {
	changeEndpoint,
	createEndpoint,
	deleteEndpoint,
	endpointOf,
	replayDelivery,
	replayFailed,
	rotateSecret,
	sendTestEvent,
} from "../../webhooks/endpoints.ts";

export const webhookSettingsRoutes = new Hono<AppEnv>();
webhookSettingsRoutes.use("*", requirePermission("webhooks:manage"));

const ENDPOINT_ID = /^whe_[0-9a-z]{26}$/;
const DELIVERY_ID = /^whd_[0-9a-z]{26}$/;
const endpointParam = validate(
	"param",
	z.object({ id: z.string().regex(ENDPOINT_ID, { error: "No such endpoint." }) }),
);

const NOTICES: Record<string, string> = {
	saved: "Endpoint saved.",
	deleted: "Endpoint deleted. Nothing more is sent to it.",
	test: "Test event sent. Its delivery appears below within moments.",
	replayed: "Sent again. Its new attempts appear below.",
};

const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const endpointForm = z.object({
	url: z
		.string()
		.trim()
		.min(1, { error: "Enter the URL to send events to." })
		.max(2000, { error: "That URL is too long." }),
	description: z.string().trim().max(200, { error: "Keep the description under 200 characters." }).default(""),
	scope: z.enum(["all", "chosen"]).default("all"),
	eventTypes: z.preprocess(
		list,
		z.array(
			z.enum(EVENT_TYPE_LIST as [WebhookEventType, ...WebhookEventType[]], { error: "Choose types from the list." }),
		),
	),
	enabled: z.string().optional(),
});
type EndpointForm = z.infer<typeof endpointForm>;

function eventTypesOf(form: EndpointForm): WebhookEventType[] | null {
	if (form.scope === "all") return null;
	if (form.eventTypes.length === 0)
		throw new AppError("validation", "Choose at least one event type, or every type.", {
			eventTypes: "Choose at least one event type, or every type.",
		});
	return [...new Set(form.eventTypes)];
}

async function listPage(c: Context<AppEnv>, extra: Partial<WebhooksPageProps> = {}, status = 200) {
	const endpoints = await listEndpoints(tenantOf(c).tenant);
	return renderPage(c, {
		title: "Webhooks",
		status,
		body: (
			<WebhooksPage
				endpoints={endpoints}
				max={MAX_ENDPOINTS}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				{...extra}
			/>
		),
	});
}

webhookSettingsRoutes.get("/", (c) => listPage(c));
webhookSettingsRoutes.get("/events", (c) => renderPage(c, { title: "Webhook events", body: <WebhookCatalogPage /> }));

webhookSettingsRoutes.post(
	"/",
	validateOr("form", endpointForm, (c, failure) => listPage(c, { errors: failure.errors }, 422)),
	async (c) => {
		const form = c.req.valid("form");
		const values = { url: form.url, description: form.description, scope: form.scope, eventTypes: form.eventTypes };
		try {
			const made = await createEndpoint(
				unitOf(c),
				{ url: form.url, description: form.description, eventTypes: eventTypesOf(form) },
				Date.now(),
			);
			// A page holding a secret must not be stored anywhere.
			c.header("cache-control", "no-store");
			return listPage(c, { newSecret: { endpointId: made.id, secret: made.secret, rotated: false } });
		} catch (error) {
			if (error instanceof AppError && (error.code === "validation" || error.code === "conflict"))
				return listPage(c, { errors: error.fields ?? { form: error.message }, values }, 422);
			throw error;
		}
	},
);

const logQuery = z.object({
	type: z.union([z.literal(""), z.enum(EVENT_TYPE_LIST as [WebhookEventType, ...WebhookEventType[]])]).catch(""),
	status: z.enum(["", "pending", "succeeded", "failed"]).catch(""),
	before: z.string().regex(DELIVERY_ID).optional().catch(undefined),
});

async function endpointPage(c: Context<AppEnv>, id: string, extra: Partial<EndpointPageProps> = {}, status = 200) {
	const filter = logQuery.parse(c.req.query());
	const log = await loadEndpointLog(tenantOf(c).tenant, id, {
		eventType: filter.type || null,
		status: filter.status || null,
		before: filter.before ?? null,
	});
	// Another organization's endpoint is exactly as absent as one that never existed.
	if (!log.endpoint) throw new AppError("not_found", "That webhook endpoint does not exist.");
	const endpoint = log.endpoint;
	return renderPage(c, {
		title: `Webhook endpoint ${endpoint.url}`,
		status,
		body: (
			<EndpointPage
				endpoint={endpoint}
				deliveries={log.deliveries.map((d) => ({
					...d,
					payload: log.events.find((e) => e.id === d.eventId)?.payload ?? null,
					tries: log.attempts.filter((a) => a.deliveryId === d.id),
				}))}
				filter={{ eventType: filter.type, status: filter.status }}
				nextCursor={log.nextCursor}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				{...extra}
			/>
		),
	});
}

webhookSettingsRoutes.get("/:id", endpointParam, (c) => endpointPage(c, c.req.valid("param").id));

webhookSettingsRoutes.post(
	"/:id",
	endpointParam,
	validateOr("form", endpointForm, (c, failure) =>
		endpointPage(c, c.req.param("id") ?? "", { errors: failure.errors }, 422),
	),
	async (c) => {
		const id = c.req.valid("param").id;
		const form = c.req.valid("form");
		try {
			await changeEndpoint(
				unitOf(c),
				id,
				{
					url: form.url,
					description: form.description,
					eventTypes: eventTypesOf(form),
					enabled: form.enabled === "on",
				},
				Date.now(),
			);
		} catch (error) {
			if (error instanceof AppError && error.code === "validation")
				return endpointPage(c, id, { errors: error.fields ?? { form: error.message } }, 422);
			throw error;
		}
		return redirectTo(c, `/settings/webhooks/${id}?notice=saved`);
	},
);

webhookSettingsRoutes.post("/:id/rotate", endpointParam, async (c) => {
	const id = c.req.valid("param").id;
	const secret = await rotateSecret(unitOf(c), id, Date.now());
	c.header("cache-control", "no-store");
	return endpointPage(c, id, { newSecret: { secret, rotated: true } });
});

webhookSettingsRoutes.post(
	"/:id/test",
	endpointParam,
	validate(
		"form",
		z.object({
			type: z.enum(EVENT_TYPE_LIST as [WebhookEventType, ...WebhookEventType[]], { error: "Choose an event type." }),
		}),
	),
	async (c) => {
		const id = c.req.valid("param").id;
		await sendTestEvent(unitOf(c), id, c.req.valid("form").type, Date.now());
		return redirectTo(c, `/settings/webhooks/${id}?notice=test#deliveries`);
	},
);

webhookSettingsRoutes.post(
	"/:id/deliveries/:delivery/replay",
	validate(
		"param",
		z.object({
			id: z.string().regex(ENDPOINT_ID, { error: "No such endpoint." }),
			delivery: z.string().regex(DELIVERY_ID, { error: "No such delivery." }),
		}),
	),
	async (c) => {
		const { id, delivery } = c.req.valid("param");
		await replayDelivery(unitOf(c), id, delivery, Date.now());
		return redirectTo(c, `/settings/webhooks/${id}?notice=replayed#deliveries`);
	},
);

webhookSettingsRoutes.post(
	"/:id/replay-failed",
	endpointParam,
	validateOr(
		"form",
		z.object({
			since: z
				.string()
				.regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Choose the date to replay from." })
				.refine((v) => Date.parse(`${v}T00:00:00Z`) <= Date.now(), { error: "Choose a date that has passed." }),
		}),
		(c, failure) => endpointPage(c, c.req.param("id") ?? "", { errors: failure.errors }, 422),
	),
	async (c) => {
		const id = c.req.valid("param").id;
		await replayFailed(unitOf(c), id, Date.parse(`${c.req.valid("form").since}T00:00:00Z`), Date.now());
		return redirectTo(c, `/settings/webhooks/${id}?notice=replayed#deliveries`);
	},
);

webhookSettingsRoutes.get("/:id/delete", endpointParam, async (c) => {
	const endpoint = await endpointOf(unitOf(c), c.req.valid("param").id);
	return renderPage(c, {
		title: "Delete the endpoint?",
		body: (
			<ConfirmAction
				title={`Delete ${endpoint.url}?`}
				consequences={[
					"Nothing more is sent to it, including retries still waiting.",
					"Its delivery log goes with it.",
				]}
				action={`/settings/webhooks/${endpoint.id}/delete`}
				submit="Delete endpoint"
				cancelHref={`/settings/webhooks/${endpoint.id}`}
			/>
		),
	});
});

webhookSettingsRoutes.post("/:id/delete", endpointParam, async (c) => {
	await deleteEndpoint(unitOf(c), c.req.valid("param").id);
	return redirectTo(c, "/settings/webhooks?notice=deleted");
});

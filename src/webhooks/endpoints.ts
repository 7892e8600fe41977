// Webhook endpoint verbs (`webhooks:manage`): add one (its target checked, the secret made and shown
// once), change it, rotate its secret (the old one keeps signing for 24 hours), delete it, send it a
// test event, replay one delivery or every failed one since a date. All audited, never the secret.
import { commit, type Unit } from "../audit/unit.ts";
import { refusalOf } from "../db/preconditions.ts";
import {
	deleteEndpointWrites,
	endpointsBelowLimit,
	findDelivery,
	findEndpoint,
	insertEndpoint,
	MAX_ENDPOINTS,
	replayFailedSince,
	replayOne,
	testEventWrites,
	updateEndpoint,
	type WebhookEndpoint,
} from "../db/webhooks.ts";
import { resolverFor } from "../domains/check.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { log } from "../lib/log.ts";
import { seal } from "../lib/secret-box.ts";
import { EXAMPLE_DATA, type WebhookEventType, webhookBody } from "./catalog.ts";
import { SECRET_PURPOSE } from "./deliver.ts";
import { kicksAtOnce, kickWebhooks, targetRules } from "./runner.ts";
import { newSigningSecret } from "./signing.ts";
import { checkTarget } from "./targets.ts";

/** How long a rotated-out secret keeps signing, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface EndpointInput {
	url: string;
	description: string;
	/** null: every event type. */
	eventTypes: WebhookEventType[] | null;
}

function sealKeyOf(unit: Unit): string {
	const key = unit.notices.bindings.SSO_SECRET_KEY;
	if (!key)
		throw new AppError("conflict", "Webhooks are not available on this installation (SSO_SECRET_KEY is not set).");
	return key;
}

async function requireTarget(unit: Unit, url: string): Promise<string> {
	const bindings = unit.notices.bindings;
	const checked = await checkTarget(url, targetRules(bindings), resolverFor(bindings));
	if (!checked.ok) throw new AppError("validation", checked.problem, { url: checked.problem });
	return checked.url.href;
}

export async function endpointOf(unit: Unit, id: string): Promise<WebhookEndpoint> {
	const endpoint = await findEndpoint(unit.tenant, id);
	// Another organization's endpoint is exactly as absent as one that never existed.
	if (!endpoint) throw new AppError("not_found", "That webhook endpoint does not exist.");
	return endpoint;
}

async function start(unit: Unit) {
	if (!kicksAtOnce(unit.notices.bindings)) return;
	await kickWebhooks(unit.notices.bindings, unit.tenant.orgId, Date.now()).catch((error) =>
		log("error", "webhook delivery not started", { orgId: unit.tenant.orgId, error }),
	);
}

export async function createEndpoint(unit: Unit, input: EndpointInput, nowMs: number) {
	const url = await requireTarget(unit, input.url);
	const secret = newSigningSecret();
	const made = insertEndpoint(unit.tenant, {
		url,
		description: input.description,
		eventTypes: input.eventTypes,
		secretSealed: await seal(sealKeyOf(unit), SECRET_PURPOSE, secret),
		nowMs,
	});
	try {
		await commit(
			unit,
			{
				action: "webhooks.endpoint_created",
				target: { type: "webhook_endpoint", id: made.id },
				metadata: { url, eventTypes: input.eventTypes ?? "all" },
			},
			{ tenant: [endpointsBelowLimit(unit.tenant), made.query] },
		);
	} catch (error) {
		if (refusalOf(error) === "precondition_failed")
			throw new AppError(
				"conflict",
				`An organization has at most ${MAX_ENDPOINTS} webhook endpoints. Delete one first.`,
			);
		throw error;
	}
	return { id: made.id, secret };
}

export async function changeEndpoint(
	unit: Unit,
	id: string,
	input: EndpointInput & { enabled: boolean },
	nowMs: number,
) {
	const endpoint = await endpointOf(unit, id);
	const url = input.url === endpoint.url ? endpoint.url : await requireTarget(unit, input.url);
	const enabling = input.enabled && !endpoint.enabled;
	await commit(
		unit,
		{
			action: "webhooks.endpoint_updated",
			target: { type: "webhook_endpoint", id },
			metadata: {
				before: { url: endpoint.url, eventTypes: endpoint.eventTypes ?? "all", enabled: endpoint.enabled },
				after: { url, eventTypes: input.eventTypes ?? "all", enabled: input.enabled },
			},
		},
		{
			tenant: [
				updateEndpoint(unit.tenant, id, {
					url,
					description: input.description,
					eventTypes: input.eventTypes,
					enabled: input.enabled,
					disabledReason: input.enabled ? null : (endpoint.disabledReason ?? "manual"),
					...(enabling ? { failingSince: null } : {}),
					updatedAt: nowMs,
				}),
			],
		},
	);
}

export async function rotateSecret(unit: Unit, id: string, nowMs: number): Promise<string> {
	const endpoint = await endpointOf(unit, id);
	const secret = newSigningSecret();
	await commit(
		unit,
		{
			action: "webhooks.secret_rotated",
			target: { type: "webhook_endpoint", id },
			metadata: { url: endpoint.url, previousValidUntil: new Date(nowMs + ROTATION_OVERLAP_MS).toISOString() },
		},
		{
			tenant: [
				updateEndpoint(unit.tenant, id, {
					secretSealed: await seal(sealKeyOf(unit), SECRET_PURPOSE, secret),
					previousSecretSealed: endpoint.secretSealed,
					previousUntil: nowMs + ROTATION_OVERLAP_MS,
					updatedAt: nowMs,
				}),
			],
		},
	);
	return secret;
}

export async function deleteEndpoint(unit: Unit, id: string) {
	const endpoint = await endpointOf(unit, id);
	await commit(
		unit,
		{ action: "webhooks.endpoint_deleted", target: { type: "webhook_endpoint", id }, metadata: { url: endpoint.url } },
		{ tenant: deleteEndpointWrites(unit.tenant, id) },
	);
}

export async function sendTestEvent(unit: Unit, id: string, type: WebhookEventType, nowMs: number) {
	const endpoint = await endpointOf(unit, id);
	if (!endpoint.enabled) throw new AppError("conflict", "Enable the endpoint before sending it a test event.");
	const eventId = newId("msg", nowMs);
	const payload = webhookBody({ type, data: { ...EXAMPLE_DATA[type], test: true } }, nowMs);
	await commit(
		unit,
		{ action: "webhooks.test_sent", target: { type: "webhook_endpoint", id }, metadata: { eventType: type, eventId } },
		{ tenant: testEventWrites(unit.tenant, { eventId, type, payload, endpointId: id, nowMs }) },
	);
	await start(unit);
}

export async function replayDelivery(unit: Unit, endpointId: string, deliveryId: string, nowMs: number) {
	await endpointOf(unit, endpointId);
	const delivery = await findDelivery(unit.tenant, endpointId, deliveryId);
	if (!delivery) throw new AppError("not_found", "That delivery does not exist.");
	await commit(
		unit,
		{
			action: "webhooks.delivery_replayed",
			target: { type: "webhook_delivery", id: deliveryId },
			metadata: { endpointId, eventId: delivery.eventId, eventType: delivery.eventType },
		},
		{ tenant: [replayOne(unit.tenant, endpointId, deliveryId, nowMs)] },
	);
	await start(unit);
}

export async function replayFailed(unit: Unit, endpointId: string, sinceMs: number, nowMs: number) {
	await endpointOf(unit, endpointId);
	await commit(
		unit,
		{
			action: "webhooks.deliveries_replayed",
			target: { type: "webhook_endpoint", id: endpointId },
			metadata: { failedSince: new Date(sinceMs).toISOString() },
		},
		{ tenant: [replayFailedSince(unit.tenant, endpointId, sinceMs, nowMs)] },
	);
	await start(unit);
}

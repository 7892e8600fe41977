// Delivering one organization's webhooks: events are fanned out into deliveries for the endpoints that
// want them, then every delivery due is leased and attempted — signed (Standard Webhooks), its target
// checked again (SSRF), redirects not followed, 15 s at most, 2xx a success. A failure is retried on
// Svix's schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then the delivery has
// failed; an endpoint failing every delivery for 5 days is disabled, and one answering 410 Gone is
// unsubscribed. The clock is a parameter: tests drive the schedule without waiting.

import type { TenantData } from "../db/tenant-data.ts";
import {
	type AttemptRecord,
	attemptWrites,
	deliveryContext,
	disableEndpoint,
	endpointOutcome,
	eventsToFanOut,
	fanOutWrites,
	leaseDue,
	listEndpoints,
	type WebhookDelivery,
	type WebhookEndpoint,
} from "../db/webhooks.ts";
import { log } from "../lib/log.ts";
import { open } from "../lib/secret-box.ts";
import { webhookHeaders } from "./signing.ts";
import { type AddressResolver, checkTarget, type TargetRules } from "./targets.ts";

/** The waits after the 1st … 7th failed attempt; the 8th failure is final. */
export const RETRY_DELAYS_MS = [
	5_000,
	5 * 60_000,
	30 * 60_000,
	2 * 3_600_000,
	5 * 3_600_000,
	10 * 3_600_000,
	10 * 3_600_000,
];
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;
export const TIMEOUT_MS = 15_000;
export const RESPONSE_KEEP = 2048;
export const SECRET_PURPOSE = "webhook-signing-secret";
const FAN_OUT_PAGE = 100;
const ATTEMPT_PAGE = 50;

export interface WebhookRunner {
	tenant: TenantData;
	nowMs: number;
	fetcher: typeof fetch;
	rules: TargetRules;
	resolver: AddressResolver;
	/** The Worker secret the signing secrets are sealed with. */
	sealKey: string;
	/** Told when an endpoint is disabled (failing for days, or gone). */
	onDisabled?: (endpoint: { id: string; url: string }, reason: "failing" | "gone") => Promise<void>;
}

function wants(endpoint: WebhookEndpoint, type: string): boolean {
	return endpoint.enabled && (endpoint.eventTypes === null || endpoint.eventTypes.includes(type));
}

/** Makes the deliveries of the events not fanned out yet; returns how many events it handled. */
export async function fanOut(run: WebhookRunner): Promise<number> {
	const events = await eventsToFanOut(run.tenant, FAN_OUT_PAGE);
	if (events.length === 0) return 0;
	const endpoints = await listEndpoints(run.tenant);
	const writes = events.flatMap((event) =>
		fanOutWrites(
			run.tenant,
			event,
			endpoints.filter((e) => wants(e, event.type)).map((e) => e.id),
			run.nowMs,
		),
	);
	await run.tenant.batch(writes as [(typeof writes)[number], ...typeof writes]);
	return events.length;
}

async function secretsOf(run: WebhookRunner, endpoint: WebhookEndpoint): Promise<string[]> {
	const current = await open(run.sealKey, SECRET_PURPOSE, endpoint.secretSealed);
	const previous =
		endpoint.previousSecretSealed && (endpoint.previousUntil ?? 0) > run.nowMs
			? await open(run.sealKey, SECRET_PURPOSE, endpoint.previousSecretSealed)
			: null;
	return [current, previous].filter((s): s is string => s !== null);
}

/** One HTTP attempt: what the receiver answered, or why there was no answer. */
async function send(
	run: WebhookRunner,
	endpoint: WebhookEndpoint,
	eventId: string,
	body: string,
): Promise<AttemptRecord> {
	const started = Date.now();
	const elapsed = () => Date.now() - started;
	const target = await checkTarget(endpoint.url, run.rules, run.resolver);
	if (!target.ok) return { statusCode: null, durationMs: elapsed(), responseBody: null, error: target.problem };
	const secrets = await secretsOf(run, endpoint);
	if (secrets.length === 0)
		return {
			statusCode: null,
			durationMs: elapsed(),
			responseBody: null,
			error: "The signing secret could not be read.",
		};
	// Signed at the moment it is sent (the schedule's clock may be a test's).
	const headers = await webhookHeaders(secrets, eventId, Math.floor(Date.now() / 1000), body);
	try {
		const response = await run.fetcher(target.url.href, {
			method: "POST",
			headers: { "content-type": "application/json", "user-agent": "Portico-Webhooks/1", ...headers },
			body,
			redirect: "manual",
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
		const text = (await response.text().catch(() => "")).slice(0, RESPONSE_KEEP);
		const redirected = response.status >= 300 && response.status < 400;
		return {
			statusCode: response.status,
			durationMs: elapsed(),
			responseBody: text,
			error: redirected ? "The receiver answered with a redirect, which is not followed." : null,
		};
	} catch (error) {
		const timedOut = (error as Error)?.name === "TimeoutError";
		log("warn", "webhook attempt failed", { endpointId: endpoint.id, eventId, error });
		return {
			statusCode: null,
			durationMs: elapsed(),
			responseBody: null,
			error: timedOut ? `No answer within ${TIMEOUT_MS / 1000} s.` : "The receiver could not be reached.",
		};
	}
}

interface Outcome {
	writes: ReturnType<typeof attemptWrites>;
	endpointId: string | null;
	succeeded: boolean;
	disable: { endpoint: WebhookEndpoint; reason: "failing" | "gone" } | null;
}

/** One delivery's attempt: what to write and what follows (the page's writes go in one batch). */
async function attempt(
	run: WebhookRunner,
	delivery: WebhookDelivery,
	event: { payload: string } | undefined,
	endpoint: WebhookEndpoint | undefined,
): Promise<Outcome> {
	if (!event || !endpoint?.enabled) {
		const record = { statusCode: null, durationMs: 0, responseBody: null, error: "The endpoint is disabled or gone." };
		const writes = attemptWrites(run.tenant, delivery, record, { status: "failed" }, run.nowMs);
		return { writes, endpointId: null, succeeded: false, disable: null };
	}
	const record = await send(run, endpoint, delivery.eventId, event.payload);
	const code = record.statusCode ?? 0;
	const succeeded = code >= 200 && code < 300;
	const failures = delivery.attempts + 1;
	const delay = RETRY_DELAYS_MS[failures - 1];
	const next = succeeded
		? ({ status: "succeeded" } as const)
		: code === 410 || delay === undefined
			? ({ status: "failed" } as const)
			: ({ status: "pending", at: run.nowMs + delay } as const);
	const failingFor = endpoint.failingSince === null ? 0 : run.nowMs - endpoint.failingSince;
	const reason = code === 410 ? "gone" : !succeeded && failingFor >= DISABLE_AFTER_MS ? "failing" : null;
	return {
		writes: attemptWrites(run.tenant, delivery, record, next, run.nowMs),
		endpointId: endpoint.id,
		succeeded,
		disable: reason ? { endpoint, reason } : null,
	};
}

/** Writes a page of attempts in one batch, each endpoint's streak once, then disables what must be. */
async function settle(run: WebhookRunner, outcomes: Outcome[]) {
	const worked = new Map<string, boolean>();
	for (const o of outcomes)
		if (o.endpointId) worked.set(o.endpointId, (worked.get(o.endpointId) ?? false) || o.succeeded);
	const writes = [
		...outcomes.flatMap((o) => o.writes),
		// One success is enough to say the endpoint works: it ends the failing streak.
		...[...worked].map(([id, ok]) => endpointOutcome(run.tenant, id, ok, run.nowMs)),
	];
	await run.tenant.batch(writes as [(typeof writes)[number], ...typeof writes]);
	const seen = new Set<string>();
	for (const o of outcomes) {
		if (!o.disable || seen.has(o.disable.endpoint.id)) continue;
		seen.add(o.disable.endpoint.id);
		const [disabled] = await disableEndpoint(run.tenant, o.disable.endpoint.id, o.disable.reason, run.nowMs);
		if (disabled) await run.onDisabled?.(disabled, o.disable.reason);
	}
}

/** Fans out new events, then attempts what is due; returns the attempts made and how many succeeded. */
export async function runWebhooks(run: WebhookRunner): Promise<{ attempted: number; succeeded: number }> {
	while ((await fanOut(run)) === FAN_OUT_PAGE) {}
	let attempted = 0;
	let succeeded = 0;
	for (;;) {
		const leased = await leaseDue(run.tenant, run.nowMs, ATTEMPT_PAGE);
		if (leased.length === 0) break;
		const context = await deliveryContext(
			run.tenant,
			[...new Set(leased.map((d) => d.eventId))],
			[...new Set(leased.map((d) => d.endpointId))],
		);
		// Endpoints are attempted side by side: a slow one never holds up another.
		const outcomes = await Promise.all(
			leased.map((d) =>
				attempt(
					run,
					d,
					context.events.find((e) => e.id === d.eventId),
					context.endpoints.find((e) => e.id === d.endpointId),
				),
			),
		);
		await settle(run, outcomes);
		attempted += outcomes.length;
		succeeded += outcomes.filter((o) => o.succeeded).length;
		if (leased.length < ATTEMPT_PAGE) break;
	}
	return { attempted, succeeded };
}

// Operators, their console sessions and their audit trail — all in the main database.
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { operatorAuditEvents, operatorSessions, operators } from "./schema.ts";

export type OperatorRow = typeof operators.$inferSelect;

export async function findOperatorByEmail(db: Db, email: string): Promise<OperatorRow | null> {
	const [row] = await db.select().from(operators).where(eq(operators.email, email)).limit(1);
	return row ?? null;
}

export async function findOperatorById(db: Db, id: string): Promise<OperatorRow | null> {
	const [row] = await db.select().from(operators).where(eq(operators.id, id)).limit(1);
	return row ?? null;
}

export function insertOperatorSession(
	db: Db,
	input: {
		tokenHash: string;
		operatorId: string;
		expiresAt: number;
		absoluteExpiresAt: number;
		ip: string | null;
		userAgent: string | null;
	},
) {
	return db.insert(operatorSessions).values({ id: newId("ops"), mfaVerified: false, createdAt: Date.now(), ...input });
}

/** The session behind a console cookie, with its operator, if neither has expired. */
export async function loadOperatorSession(db: Db, tokenHash: string, nowMs: number) {
	const [row] = await db
		.select({
			sessionId: operatorSessions.id,
			mfaVerified: operatorSessions.mfaVerified,
			expiresAt: operatorSessions.expiresAt,
			operatorId: operators.id,
			email: operators.email,
			name: operators.name,
			totpSecret: operators.totpSecret,
			totpConfirmedAt: operators.totpConfirmedAt,
			totpLastStep: operators.totpLastStep,
		})
		.from(operatorSessions)
		.innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
		.where(
			and(
				eq(operatorSessions.tokenHash, tokenHash),
				gt(operatorSessions.expiresAt, nowMs),
				gt(operatorSessions.absoluteExpiresAt, nowMs),
			),
		)
		.limit(1);
	return row ?? null;
}

export type OperatorSessionRow = NonNullable<Awaited<ReturnType<typeof loadOperatorSession>>>;

export function touchOperatorSession(db: Db, sessionId: string, expiresAt: number) {
	return db.update(operatorSessions).set({ expiresAt }).where(eq(operatorSessions.id, sessionId));
}

export function deleteOperatorSession(db: Db, sessionId: string) {
	return db.delete(operatorSessions).where(eq(operatorSessions.id, sessionId));
}

export function setOperatorTotpSecret(db: Db, operatorId: string, secret: string) {
	return db.update(operators).set({ totpSecret: secret }).where(eq(operators.id, operatorId));
}

/** A code proved: the step is recorded (no replay), enrolment confirmed, the session passes MFA. */
/** Claims an operator's TOTP step (see claimTotpStep): true when this request claimed it. */
export async function claimOperatorTotpStep(db: Db, operatorId: string, step: number): Promise<boolean> {
	const rows = await db
		.update(operators)
		.set({ totpLastStep: step })
		.where(and(eq(operators.id, operatorId), or(isNull(operators.totpLastStep), lt(operators.totpLastStep, step))))
		.returning({ id: operators.id });
	return rows.length > 0;
}

export function operatorMfaPassedWrites(
	db: Db,
	operatorId: string,
	sessionId: string,
	step: number,
	nowMs: number,
	confirming: boolean,
) {
	return [
		db
			.update(operators)
			.set({ totpLastStep: step, ...(confirming ? { totpConfirmedAt: nowMs } : {}) })
			.where(eq(operators.id, operatorId)),
		db.update(operatorSessions).set({ mfaVerified: true }).where(eq(operatorSessions.id, sessionId)),
	];
}

export interface OperatorAuditInput {
	operator: { id: string; label: string };
	action: string;
	orgId?: string | null;
	target?: { type: string; id: string };
	metadata?: Record<string, unknown>;
	ip?: string | null;
}

export function operatorAuditInsert(db: Db, input: OperatorAuditInput) {
	return db.insert(operatorAuditEvents).values({
		id: newId("oae"),
		operatorId: input.operator.id,
		operatorLabel: input.operator.label,
		action: input.action,
		orgId: input.orgId ?? null,
		targetType: input.target?.type ?? null,
		targetId: input.target?.id ?? null,
		metadata: input.metadata ?? {},
		ip: input.ip ?? null,
		createdAt: Date.now(),
	});
}

export function listOperatorAudit(db: Db, limit = 100) {
	return db.select().from(operatorAuditEvents).orderBy(desc(operatorAuditEvents.createdAt)).limit(limit);
}

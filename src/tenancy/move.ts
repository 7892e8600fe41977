// Moving an organization to a database of its own (the dedicated tier) and back. In order: claim the
// move; create and migrate the target; lock the organization's writes in the source (triggers refuse
// them, so none can land behind the copy — a request that tries is answered 503 and may retry); copy;
// switch the organization's address; empty the source (its lock stays for stale requests). A failure
// before the switch unlocks the source and leaves the organization where it was; a move cut off
// mid-way (the invocation ended) is resumed by its retried message, into the database it created.
import { type DatabaseConfig, type Db, openDatabase, openTenantDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import {
	claimMove,
	clearTarget,
	copyTenantRows,
	emptySource,
	lockWrites,
	moveInProgress,
	releaseMove,
	rememberMovingDatabase,
	switchDatabase,
	unlockWrites,
} from "../db/move.ts";
import { findOrganizationDatabase } from "../db/system.ts";
import type { Bindings } from "../env.ts";
import { AppError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { databaseNameFor, provisionerFor } from "./provision.ts";

export type Tier = "shared" | "dedicated";

export interface MoveResult {
	from: Tier;
	to: Tier;
	rows: number;
}

/** Takes the move's claim (the console does it before queueing, so a second click is refused at once). */
export async function claimOrganizationMove(
	main: Db,
	orgId: string,
	to: Tier,
	claimAt: number,
	resume = false,
): Promise<void> {
	const org = await findOrganizationDatabase(main, orgId);
	if (!org) throw new AppError("not_found", "No such organization.");
	if (org.isolationTier === to) throw new AppError("conflict", `The organization is already on the ${to} tier.`);
	if (!(await claimMove(main, orgId, claimAt, resume))) {
		throw new AppError("conflict", "This organization is already moving. Wait for that move to finish.");
	}
}

/**
 * Gives up a move that cannot finish (the console's "Cancel the move"): the source takes writes again
 * and the database the move created is deleted.
 */
export async function cancelOrganizationMove(
	bindings: Bindings,
	main: Db,
	mainConfig: DatabaseConfig,
	orgId: string,
): Promise<void> {
	const org = await findOrganizationDatabase(main, orgId);
	if (!org) throw new AppError("not_found", "No such organization.");
	const pending = await moveInProgress(main, orgId);
	if (!pending?.claimAt) throw new AppError("conflict", "This organization is not moving.");
	await unlockWrites(openTenantDatabase(main, mainConfig, org), orgId);
	if (pending.url) await provisionerFor(bindings).remove(databaseNameFor(orgId, pending.claimAt));
	await releaseMove(main, orgId);
}

export async function moveOrganization(
	bindings: Bindings,
	main: Db,
	mainConfig: DatabaseConfig,
	orgId: string,
	to: Tier,
	claimAt: number,
): Promise<MoveResult> {
	await claimOrganizationMove(main, orgId, to, claimAt, true);
	const org = await findOrganizationDatabase(main, orgId);
	if (!org) throw new AppError("not_found", "No such organization.");
	const source = openTenantDatabase(main, mainConfig, org);
	let created: { url: string; token: string } | null = null;
	try {
		let target: Db = main;
		if (to === "dedicated") {
			const pending = await moveInProgress(main, orgId);
			if (pending?.url && pending.token) {
				created = { url: pending.url, token: pending.token };
			} else {
				const made = await provisionerFor(bindings).create(databaseNameFor(orgId, claimAt));
				created = { url: made.url, token: made.authToken };
				await rememberMovingDatabase(main, orgId, made.url, made.authToken);
			}
			target = openDatabase({ url: created.url, authToken: created.token, statsTag: mainConfig.statsTag });
		}
		await migrateDatabase(target);
		await lockWrites(source, orgId, claimAt);
		await clearTarget(target, orgId);
		const rows = await copyTenantRows(source, target, orgId);
		await switchDatabase(main, orgId, {
			isolationTier: to,
			databaseUrl: created?.url ?? null,
			databaseAuthToken: created?.token ?? null,
		});
		// The switch is made: what follows is cleanup, and its failure is logged, not undone.
		await emptySource(source, orgId).catch((error) =>
			log("error", "moved organization's old rows not removed", { orgId, error }),
		);
		return { from: org.isolationTier, to, rows };
	} catch (error) {
		// Writes go on where they were; the claim (and the database made) stay for the retry to resume.
		await unlockWrites(source, orgId).catch(() => {});
		throw error;
	}
}

// The development mail transport's table: what would have been sent.
import { desc } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { mailOutbox } from "./schema.ts";

export interface StoredMail {
	orgId: string | null;
	to: string;
	from: string;
	replyTo?: string | null | undefined;
	subject: string;
	text: string;
	html: string;
}

export function insertOutboxMail(db: Db, mail: StoredMail) {
	return db.insert(mailOutbox).values({ id: newId("evt"), ...mail });
}

export function listOutboxMail(db: Db, limit = 50) {
	return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(limit);
}

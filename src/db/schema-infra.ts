// Infrastructure tables of the main database: the development mail outbox, batch preconditions and the
// dispatchers' positions. They belong to no organization.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";

/** Development and test mail transport: what would have been sent, shown at /dev/mail. */
export const mailOutbox = sqliteTable(
	"mail_outbox",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id"),
		to: text("to").notNull(),
		from: text("from").notNull(),
		replyTo: text("reply_to"),
		subject: text("subject").notNull(),
		text: text("text").notNull(),
		html: text("html").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("mail_outbox_to_idx").on(t.to, t.createdAt)],
);

/**
 * Preconditions a batch checks at the moment it writes (`requireThat` in db/preconditions.ts): a trigger
 * aborts the whole batch when one is false and never keeps a row, so this table stays empty.
 */
export const batchAssertions = sqliteTable("batch_assertions", {
	ok: integer("ok").notNull(),
	reason: text("reason").notNull(),
});

/** Where a dispatcher stopped reading an append-only table (the usage events' `seq` it has dispatched). */
export const jobCursors = sqliteTable("job_cursors", {
	name: text("name").primaryKey(),
	position: integer("position").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

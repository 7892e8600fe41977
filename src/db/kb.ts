// The knowledge base: the vendor's articles, shared by every organization, searched with FTS5.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { kbArticles, kbVotes } from "./schema.ts";

export type ArticleRow = typeof kbArticles.$inferSelect;

export interface SearchHit {
	id: string;
	slug: string;
	title: string;
	category: string;
	/** Title and snippet with matches between \u0002 and \u0003, for the view to mark. */
	titleMarked: string;
	snippet: string;
}

export function listPublishedArticles(db: Db) {
	return db
		.select({ id: kbArticles.id, slug: kbArticles.slug, title: kbArticles.title, category: kbArticles.category })
		.from(kbArticles)
		.where(eq(kbArticles.status, "published"))
		.orderBy(asc(kbArticles.category), asc(kbArticles.title));
}

export function listAllArticles(db: Db) {
	return db
		.select({
			id: kbArticles.id,
			slug: kbArticles.slug,
			title: kbArticles.title,
			category: kbArticles.category,
			status: kbArticles.status,
			helpfulYes: kbArticles.helpfulYes,
			helpfulNo: kbArticles.helpfulNo,
			updatedAt: kbArticles.updatedAt,
		})
		.from(kbArticles)
		.orderBy(desc(kbArticles.updatedAt));
}

/**
 * Ranked search (bm25, the title weighted 5×) over published articles. `match` is an FTS5 expression
 * built by `ftsQuery` — never the visitor's raw text, which could be FTS syntax.
 */
export async function searchArticles(db: Db, match: string, limit = 8): Promise<SearchHit[]> {
	return searchQuery(db, match, limit);
}

/** The help centre's reads in one round trip: the published articles and, when there is a query, the hits. */
export async function loadHelpCentre(db: Db, match: string | null) {
	if (!match) return { articles: await listPublishedArticles(db), hits: null };
	const [articles, hits] = await db.batch([listPublishedArticles(db), searchQuery(db, match, 8)]);
	return { articles, hits: hits as SearchHit[] };
}

function searchQuery(db: Db, match: string, limit: number) {
	return db.all<SearchHit>(sql`
		select a.id as id, a.slug as slug, a.title as title, a.category as category,
			highlight(kb_articles_fts, 0, char(2), char(3)) as titleMarked,
			snippet(kb_articles_fts, 1, char(2), char(3), '…', 16) as snippet
		from kb_articles_fts
		join ${kbArticles} a on a.rowid = kb_articles_fts.rowid
		where kb_articles_fts match ${match} and a.status = 'published'
		order by bm25(kb_articles_fts, 5.0, 1.0)
		limit ${limit}`);
}

/** The article and its related articles, in one round trip. */
export async function loadArticle(db: Db, slug: string, withDrafts = false) {
	const [rows, related] = await db.batch([
		db
			.select()
			.from(kbArticles)
			.where(and(eq(kbArticles.slug, slug), withDrafts ? undefined : eq(kbArticles.status, "published")))
			.limit(1),
		db
			.select({ id: kbArticles.id, slug: kbArticles.slug, title: kbArticles.title })
			.from(kbArticles)
			.where(
				and(
					eq(kbArticles.status, "published"),
					sql`${kbArticles.id} in (select value from json_each((select ${kbArticles.relatedIds} from ${kbArticles} where ${kbArticles.slug} = ${slug})))`,
				),
			),
	]);
	const article = rows[0];
	return article ? { article, related } : null;
}

export async function findArticleById(db: Db, id: string): Promise<ArticleRow | null> {
	const [row] = await db.select().from(kbArticles).where(eq(kbArticles.id, id)).limit(1);
	return row ?? null;
}

export async function slugTaken(db: Db, slug: string, exceptId: string | null): Promise<boolean> {
	const [row] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, slug)).limit(1);
	return row !== undefined && row.id !== exceptId;
}

export interface ArticleInput {
	slug: string;
	title: string;
	category: string;
	body: string;
	status: "draft" | "published";
	relatedIds: string[];
}

export async function existingArticleIds(db: Db, ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await db.select({ id: kbArticles.id }).from(kbArticles).where(inArray(kbArticles.id, ids));
	return rows.map((r) => r.id);
}

export function insertArticle(db: Db, input: ArticleInput, operatorId: string) {
	const id = newId("art");
	return { id, query: db.insert(kbArticles).values({ id, ...input, updatedBy: operatorId, updatedAt: Date.now() }) };
}

export function updateArticle(db: Db, id: string, input: ArticleInput, operatorId: string) {
	return db
		.update(kbArticles)
		.set({ ...input, updatedBy: operatorId, updatedAt: Date.now() })
		.where(eq(kbArticles.id, id));
}

export function deleteArticle(db: Db, id: string) {
	return db.delete(kbArticles).where(eq(kbArticles.id, id));
}

/**
 * A vote, once per person: a second vote changes it. The counters are recomputed from the votes in the
 * same batch, so they cannot drift.
 */
export async function recordVote(
	db: Db,
	input: { articleId: string; userId: string; orgId: string; helpful: boolean },
) {
	const count = (helpful: boolean) =>
		sql`(select count(*) from ${kbVotes} where ${kbVotes.articleId} = ${input.articleId} and ${kbVotes.helpful} = ${helpful ? 1 : 0})`;
	await db.batch([
		db
			.insert(kbVotes)
			.values({ ...input, createdAt: Date.now() })
			.onConflictDoUpdate({ target: [kbVotes.articleId, kbVotes.userId], set: { helpful: input.helpful } }),
		db
			.update(kbArticles)
			.set({ helpfulYes: count(true), helpfulNo: count(false) })
			.where(eq(kbArticles.id, input.articleId)),
	]);
}

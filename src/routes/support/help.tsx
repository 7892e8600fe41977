// The help centre (`/help`) on every tenant host, readable without signing in so people locked out
// can still find answers. Members vote "was this helpful?"; an article opened from the suggestions
// beside the ticket form is recorded, which is how deflection is measured.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { loadArticle, loadHelpCentre, recordVote, searchArticles } from "../../db/kb.ts";
import { portalEventInsert } from "../../db/support.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, signedIn, tenantOf } from "../../middleware/guards.ts";
import { ftsQuery } from "../../support/search.ts";
import { ArticlePage, HelpHome, HelpResults } from "../../views/pages/support/help.tsx";
import { renderPage } from "../../views/render.tsx";

export const helpRoutes = new Hono<AppEnv>();

const querySchema = z.object({ q: z.string().max(200, { error: "Search with fewer words." }).default("") });
const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "No such article." }) });

export async function searchHelp(c: Context<AppEnv>, text: string) {
	const match = ftsQuery(text);
	return match ? searchArticles(c.get("db"), match) : null;
}

function canOpenTicket(c: Context<AppEnv>) {
	return can(signedIn(c)?.membership, "support:use");
}

helpRoutes.get("/", validate("query", querySchema), async (c) => {
	const { q } = c.req.valid("query");
	const { hits, articles } = await loadHelpCentre(c.get("db"), ftsQuery(q));
	const categories = new Map<string, { slug: string; title: string }[]>();
	for (const a of articles) categories.set(a.category, [...(categories.get(a.category) ?? []), a]);
	return renderPage(c, {
		title: "Help centre",
		body: (
			<HelpHome
				query={q}
				hits={hits}
				categories={[...categories].map(([name, list]) => ({ name, articles: list }))}
				canOpenTicket={canOpenTicket(c)}
			/>
		),
	});
});

/** The live results under the search box (htmx), or the help centre itself without JavaScript. */
helpRoutes.get("/search", validate("query", querySchema), async (c) => {
	const { q } = c.req.valid("query");
	if (c.req.header("hx-request") !== "true") return redirectTo(c, `/help?q=${encodeURIComponent(q)}`);
	return c.html(<HelpResults query={q} hits={await searchHelp(c, q)} />);
});

helpRoutes.get(
	"/articles/:slug",
	validate("param", slugParam),
	validate("query", z.object({ from: z.enum(["suggest"]).optional(), notice: z.string().max(20).optional() })),
	async (c) => {
		const { slug } = c.req.valid("param");
		const found = await loadArticle(c.get("db"), slug);
		if (!found) throw new AppError("not_found", "No such article.");
		const viewer = signedIn(c);
		const { tenant } = tenantOf(c);
		if (c.req.valid("query").from === "suggest" && viewer?.membership && !viewer.viewAs) {
			await portalEventInsert(tenant, {
				sessionId: viewer.sessionId,
				userId: viewer.userId,
				kind: "article_open",
				subject: found.article.id,
			});
		}
		const updated = dateFormats(viewer ?? { locale: "en-US", timeZone: "UTC" }).date(found.article.updatedAt);
		return renderPage(c, {
			title: found.article.title,
			body: (
				<ArticlePage
					title={found.article.title}
					category={found.article.category}
					body={found.article.body}
					updated={updated}
					related={found.related}
					canVote={Boolean(viewer?.membership)}
					voteAction={`/help/articles/${slug}/vote`}
					notice={
						c.req.valid("query").notice === "voted"
							? "Thank you — your answer helps us improve this article."
							: undefined
					}
					canOpenTicket={canOpenTicket(c)}
				/>
			),
		});
	},
);

helpRoutes.post(
	"/articles/:slug/vote",
	requireMember,
	validate("param", slugParam),
	validate("form", z.strictObject({ helpful: z.enum(["yes", "no"], { error: "Answer yes or no." }) })),
	async (c) => {
		const { slug } = c.req.valid("param");
		const found = await loadArticle(c.get("db"), slug);
		if (!found) throw new AppError("not_found", "No such article.");
		const viewer = me(c);
		await recordVote(c.get("db"), {
			articleId: found.article.id,
			userId: viewer.userId,
			orgId: tenantOf(c).org.id,
			helpful: c.req.valid("form").helpful === "yes",
		});
		return redirectTo(c, `/help/articles/${slug}?notice=voted`);
	},
);

// The help centre on every tenant host: search, articles by category, an article with its votes.
import type { Child } from "hono/jsx";
import { Markdown } from "../../components/markdown.tsx";
import { type Hit, SearchHits } from "../../components/search-hits.tsx";

export interface HelpHomeProps {
	query: string;
	hits: Hit[] | null;
	categories: { name: string; articles: { slug: string; title: string }[] }[];
	canOpenTicket: boolean;
}

export function HelpSearchForm({ query }: { query: string }) {
	return (
		<form method="get" action="/help" class="help-search">
			<label for="help-q">Search the help centre</label>
			<div class="search-row">
				<input
					id="help-q"
					name="q"
					type="search"
					value={query}
					maxlength={200}
					hx-get="/help/search"
					hx-trigger="input changed delay:300ms"
					hx-target="#help-results"
					hx-swap="innerHTML"
				/>
				<button class="button" type="submit">
					Search
				</button>
			</div>
		</form>
	);
}

export function HelpResults({ query, hits }: { query: string; hits: Hit[] | null }) {
	if (hits === null) return null;
	return hits.length > 0 ? (
		<SearchHits hits={hits} />
	) : (
		<p class="muted">No article matches “{query}”. Try other words, or open a support ticket.</p>
	);
}

export function HelpHome({ query, hits, categories, canOpenTicket }: HelpHomeProps) {
	return (
		<section class="panel" aria-labelledby="help-title">
			<h1 id="help-title">Help centre</h1>
			<HelpSearchForm query={query} />
			<div id="help-results">
				<HelpResults query={query} hits={hits} />
			</div>
			<div class="help-categories">
				{categories.map((cat) => (
					<section aria-label={cat.name}>
						<h2>{cat.name}</h2>
						<ul>
							{cat.articles.map((a) => (
								<li>
									<a href={`/help/articles/${a.slug}`}>{a.title}</a>
								</li>
							))}
						</ul>
					</section>
				))}
			</div>
			{canOpenTicket ? (
				<p>
					Did not find it? <a href="/support/new">Ask support</a>.
				</p>
			) : null}
		</section>
	);
}

export interface ArticleProps {
	title: string;
	category: string;
	body: string;
	updated: string;
	related: { slug: string; title: string }[];
	canVote: boolean;
	voteAction: string;
	notice?: string | undefined;
	canOpenTicket: boolean;
	preview?: Child;
}

export function ArticlePage(p: ArticleProps) {
	return (
		<article class="panel article" aria-labelledby="article-title">
			<p class="muted small">
				<a href="/help">Help centre</a> · {p.category}
			</p>
			<h1 id="article-title">{p.title}</h1>
			{p.preview}
			<Markdown source={p.body} />
			<p class="muted small">Updated {p.updated}</p>
			{p.related.length > 0 ? (
				<section aria-labelledby="related-title">
					<h2 id="related-title">Related articles</h2>
					<ul>
						{p.related.map((r) => (
							<li>
								<a href={`/help/articles/${r.slug}`}>{r.title}</a>
							</li>
						))}
					</ul>
				</section>
			) : null}
			{p.notice ? (
				<p class="notice" role="status">
					{p.notice}
				</p>
			) : p.canVote ? (
				<form method="post" action={p.voteAction} class="vote">
					<fieldset>
						<legend>Was this helpful?</legend>
						<button class="button" type="submit" name="helpful" value="yes">
							Yes
						</button>
						<button class="button" type="submit" name="helpful" value="no">
							No
						</button>
					</fieldset>
				</form>
			) : null}
			{p.canOpenTicket ? (
				<p>
					Still stuck? <a href="/support/new">Ask support</a>.
				</p>
			) : null}
		</article>
	);
}

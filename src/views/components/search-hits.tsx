// Knowledge-base search results with the matched words marked — the help centre's results and the
// suggestions beside the ticket form are the same component.
import { markedParts, plainSnippet } from "../../support/search.ts";

export interface Hit {
	slug: string;
	title: string;
	titleMarked: string;
	snippet: string;
	category: string;
}

function Marked({ text }: { text: string }) {
	return <>{markedParts(text).map((p) => (p.marked ? <mark>{p.text}</mark> : p.text))}</>;
}

export function SearchHits({ hits, from }: { hits: Hit[]; from?: "suggest" }) {
	return (
		<ul class="hits">
			{hits.map((h) => (
				<li>
					<a href={`/help/articles/${h.slug}${from ? `?from=${from}` : ""}`}>
						<Marked text={h.titleMarked} />
					</a>
					<span class="muted small"> · {h.category}</span>
					<p class="snippet">
						<Marked text={plainSnippet(h.snippet)} />
					</p>
				</li>
			))}
		</ul>
	);
}

/** The panel beside the ticket form; htmx replaces it as the person types. */
export function Suggestions({ hits, searched }: { hits: Hit[]; searched: boolean }) {
	return (
		<section id="suggestions" class="suggestions" aria-live="polite" aria-labelledby="suggestions-title">
			<h2 id="suggestions-title">Answers that may help</h2>
			{hits.length > 0 ? (
				<SearchHits hits={hits} from="suggest" />
			) : (
				<p class="muted">
					{searched
						? "No article matches yet. Keep describing the problem, or send the ticket."
						: "Start describing your problem and matching help articles appear here."}
				</p>
			)}
		</section>
	);
}

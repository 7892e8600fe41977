// Markdown as JSX, built from marked's token tree: every piece of text is escaped by the renderer,
// raw HTML in the source shows as text, and links keep only http(s), mailto and in-portal paths — no
// HTML string is ever injected, so an article cannot carry script or markup of its own.
import type { Child } from "hono/jsx";
import { lexer, type Token, type Tokens } from "marked";

const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

function inline(tokens: Token[] | undefined): Child[] {
	return (tokens ?? []).map((t) => inlineToken(t));
}

function inlineToken(token: Token): Child {
	switch (token.type) {
		case "strong":
			return <strong>{inline((token as Tokens.Strong).tokens)}</strong>;
		case "em":
			return <em>{inline((token as Tokens.Em).tokens)}</em>;
		case "del":
			return <del>{inline((token as Tokens.Del).tokens)}</del>;
		case "codespan":
			return <code>{(token as Tokens.Codespan).text}</code>;
		case "br":
			return <br />;
		case "link": {
			const link = token as Tokens.Link;
			return SAFE_HREF.test(link.href) ? <a href={link.href}>{inline(link.tokens)}</a> : inline(link.tokens);
		}
		case "image": {
			// Images would load from anywhere; the alt text stands in for them.
			return (token as Tokens.Image).text;
		}
		case "text": {
			const text = token as Tokens.Text;
			return text.tokens ? inline(text.tokens) : text.text;
		}
		case "escape":
			return (token as Tokens.Escape).text;
		default:
			return "raw" in token ? token.raw : "";
	}
}

function block(token: Token): Child {
	switch (token.type) {
		case "heading": {
			const heading = token as Tokens.Heading;
			// The page has its h1 (the title): article headings start at h2.
			const level = Math.min(6, Math.max(2, heading.depth + 1));
			const content = inline(heading.tokens);
			if (level === 2) return <h2>{content}</h2>;
			if (level === 3) return <h3>{content}</h3>;
			return <h4>{content}</h4>;
		}
		case "paragraph":
			return <p>{inline((token as Tokens.Paragraph).tokens)}</p>;
		case "list": {
			const list = token as Tokens.List;
			const items = list.items.map((item) => (
				<li>{item.tokens.map((t) => (t.type === "text" ? inlineToken(t) : block(t)))}</li>
			));
			return list.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
		}
		case "code":
			return (
				<pre>
					<code>{(token as Tokens.Code).text}</code>
				</pre>
			);
		case "blockquote":
			return <blockquote>{(token as Tokens.Blockquote).tokens.map(block)}</blockquote>;
		case "hr":
			return <hr />;
		case "table": {
			const table = token as Tokens.Table;
			return (
				<div class="table-wrap">
					<table>
						<thead>
							<tr>
								{table.header.map((cell) => (
									<th scope="col">{inline(cell.tokens)}</th>
								))}
							</tr>
						</thead>
						<tbody>
							{table.rows.map((row) => (
								<tr>
									{row.map((cell) => (
										<td>{inline(cell.tokens)}</td>
									))}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			);
		}
		case "space":
			return null;
		case "text": {
			const text = token as Tokens.Text;
			return <p>{text.tokens ? inline(text.tokens) : text.text}</p>;
		}
		default:
			// Raw HTML blocks and anything unknown: shown as the text that was written.
			return "raw" in token ? <p>{token.raw}</p> : null;
	}
}

export function Markdown({ source }: { source: string }) {
	return <div class="prose">{lexer(source, { gfm: true }).map(block)}</div>;
}

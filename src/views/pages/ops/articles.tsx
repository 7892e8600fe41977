// Console: the knowledge-base list and the article editor with a preview of the saved version.
import { KB_CATEGORIES } from "../../../support/vocabulary.ts";
import { Field } from "../../components/field.tsx";
import { Notice } from "../../components/flash.tsx";
import { Markdown } from "../../components/markdown.tsx";
import { Table } from "../../components/table.tsx";

export interface ArticleListRow {
	id: string;
	title: string;
	category: string;
	status: "draft" | "published";
	helpful: string;
	updated: string;
}

export function OpsArticles({ rows, notice }: { rows: ArticleListRow[]; notice?: string | undefined }) {
	return (
		<section class="panel" aria-labelledby="articles-title">
			<div class="panel-head">
				<h1 id="articles-title">Knowledge base</h1>
				<a class="button primary" href="/ops/articles/new">
					New article
				</a>
			</div>
			<Notice text={notice} />
			<Table columns={["Title", "Category", "Status", "Helpful (yes / no)", "Updated"]}>
				{rows.map((r) => (
					<tr>
						<td>
							<a href={`/ops/articles/${r.id}`}>{r.title}</a>
						</td>
						<td>{r.category}</td>
						<td>{r.status === "published" ? "Published" : "Draft"}</td>
						<td>{r.helpful}</td>
						<td>{r.updated}</td>
					</tr>
				))}
			</Table>
		</section>
	);
}

export interface ArticleFormValues {
	title: string;
	slug: string;
	category: string;
	body: string;
	status: "draft" | "published";
	relatedIds: string[];
}

export function OpsArticleForm({
	id,
	values,
	errors = {},
	others,
	notice,
}: {
	id: string | null;
	values: ArticleFormValues;
	errors?: Record<string, string>;
	others: { id: string; title: string }[];
	notice?: string | undefined;
}) {
	const action = id ? `/ops/articles/${id}` : "/ops/articles";
	return (
		<div class="ops-article">
			<section class="panel" aria-labelledby="article-form-title">
				<p class="muted small">
					<a href="/ops/articles">Knowledge base</a>
				</p>
				<h1 id="article-form-title">{id ? "Edit article" : "New article"}</h1>
				<Notice text={notice} />
				<form method="post" action={action} novalidate>
					<Field name="title" label="Title" value={values.title} error={errors.title} required />
					<Field
						name="slug"
						label="Address"
						value={values.slug}
						error={errors.slug}
						hint="Lowercase letters, digits and dashes: /help/articles/<address>."
						required
					/>
					<div class={errors.category ? "field has-error" : "field"}>
						<label for="field-category">Category</label>
						<select id="field-category" name="category">
							{KB_CATEGORIES.map((c) => (
								<option value={c} selected={values.category === c}>
									{c}
								</option>
							))}
						</select>
						{errors.category ? <p class="error">{errors.category}</p> : null}
					</div>
					<div class={errors.body ? "field has-error" : "field"}>
						<label for="field-body">Body (Markdown)</label>
						<p class="hint" id="field-body-hint">
							Headings, lists, links, code, tables. HTML is shown as text, never rendered.
						</p>
						<textarea
							id="field-body"
							name="body"
							rows={16}
							aria-describedby={`field-body-hint${errors.body ? " field-body-error" : ""}`}
							aria-invalid={errors.body ? "true" : undefined}
						>
							{values.body}
						</textarea>
						{errors.body ? (
							<p class="error" id="field-body-error">
								{errors.body}
							</p>
						) : null}
					</div>
					<fieldset>
						<legend>Related articles</legend>
						{others.map((o) => (
							<div class="field checkbox">
								<input
									id={`related-${o.id}`}
									type="checkbox"
									name="relatedIds"
									value={o.id}
									checked={values.relatedIds.includes(o.id)}
								/>
								<label for={`related-${o.id}`}>{o.title}</label>
							</div>
						))}
						{errors.relatedIds ? <p class="error">{errors.relatedIds}</p> : null}
					</fieldset>
					<fieldset>
						<legend>Status</legend>
						{(["draft", "published"] as const).map((s) => (
							<div class="field checkbox">
								<input id={`status-${s}`} type="radio" name="status" value={s} checked={values.status === s} />
								<label for={`status-${s}`}>{s === "draft" ? "Draft (operators only)" : "Published"}</label>
							</div>
						))}
					</fieldset>
					<button class="button primary" type="submit">
						Save
					</button>
				</form>
				{id ? (
					<form method="post" action={`/ops/articles/${id}/delete`}>
						<button class="button danger" type="submit">
							Delete the article
						</button>
					</form>
				) : null}
			</section>
			{id ? (
				<section class="panel preview" aria-labelledby="preview-title">
					<h2 id="preview-title">Preview (saved version)</h2>
					<h3>{values.title}</h3>
					<Markdown source={values.body} />
				</section>
			) : null}
		</div>
	);
}

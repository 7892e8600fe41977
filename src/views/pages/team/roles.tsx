// Roles: the built-in ones (read-only) and the organization's custom roles, built from the vocabulary.

import { PERMISSIONS, type Permission } from "../../../auth/permissions.ts";
import { Alert, Notice } from "../../components/flash.tsx";

export interface RoleView {
	id: string;
	name: string;
	permissions: string[];
	builtIn: boolean;
	members: number;
}

/** Only the permissions the editor holds are offered: a role cannot grant more than its editor has. */
function PermissionBoxes({
	idPrefix,
	checked,
	grantable,
}: {
	idPrefix: string;
	checked: string[];
	grantable: readonly string[];
}) {
	return (
		<fieldset class="permissions">
			<legend>Permissions</legend>
			{(Object.entries(PERMISSIONS) as [Permission, string][])
				.filter(([key]) => grantable.includes(key))
				.map(([key, description]) => (
					<div class="check">
						<input
							type="checkbox"
							id={`${idPrefix}-${key}`}
							name="permissions"
							value={key}
							checked={checked.includes(key)}
						/>
						<label for={`${idPrefix}-${key}`}>
							<code>{key}</code> — {description}
						</label>
					</div>
				))}
		</fieldset>
	);
}

export function RolesPage({
	roles,
	grantable,
	errors = {},
	values,
	notice,
}: {
	roles: RoleView[];
	/** The editor's own permissions. */
	grantable: readonly string[];
	errors?: Record<string, string>;
	/** What was typed into the new-role form, when it was refused. */
	values?: { name: string; permissions: string[] } | undefined;
	notice?: string | undefined;
}) {
	return (
		<section aria-labelledby="roles-title" class="stack">
			<h1 id="roles-title">Roles</h1>
			<Notice text={notice} />
			<Alert text={errors.form} />
			{roles.map((role) => (
				<div class="panel">
					<h2>
						{role.name}{" "}
						<span class="muted small">
							· {role.members} member{role.members === 1 ? "" : "s"}
						</span>
					</h2>
					{role.builtIn ? (
						<p class="muted">Built in: {role.permissions.join(", ")}</p>
					) : role.permissions.some((p) => !grantable.includes(p)) ? (
						<p class="muted">
							Includes permissions you do not have ({role.permissions.filter((p) => !grantable.includes(p)).join(", ")}
							): only someone who holds them can change or delete this role.
						</p>
					) : (
						<>
							<form method="post" action={`/team/roles/${role.id}`}>
								<div class="field">
									<label for={`name-${role.id}`}>Name</label>
									<input id={`name-${role.id}`} name="name" value={role.name} required />
								</div>
								<PermissionBoxes idPrefix={role.id} checked={role.permissions} grantable={grantable} />
								<button class="button" type="submit">
									Save {role.name}
								</button>
							</form>
							<form method="post" action={`/team/roles/${role.id}/delete`}>
								<button class="button danger" type="submit">
									Delete {role.name}
								</button>
							</form>
						</>
					)}
				</div>
			))}
			<div class="panel">
				<h2>New role</h2>
				<form method="post" action="/team/roles" novalidate>
					<div class={errors.name ? "field has-error" : "field"}>
						<label for="new-role-name">Name</label>
						<input
							id="new-role-name"
							name="name"
							value={values?.name ?? ""}
							required
							aria-invalid={errors.name ? "true" : undefined}
							aria-describedby={errors.name ? "new-role-name-error" : undefined}
						/>
						{errors.name ? (
							<p class="error" id="new-role-name-error">
								{errors.name}
							</p>
						) : null}
					</div>
					<PermissionBoxes idPrefix="new" checked={values?.permissions ?? ["org:read"]} grantable={grantable} />
					{errors.permissions ? (
						<p class="error" role="alert">
							{errors.permissions}
						</p>
					) : null}
					<button class="button primary" type="submit">
						Create role
					</button>
				</form>
			</div>
		</section>
	);
}

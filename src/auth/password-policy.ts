// The rules for a new password: at least 10 characters, any Unicode, long passphrases welcome, the
// most common passwords refused.
import * as z from "zod";
import { isCommonPassword } from "./common-passwords.ts";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export const newPasswordSchema = z
	.string({ error: "Choose a password." })
	.min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters — a few words make a good one.` })
	.max(MAX_PASSWORD_LENGTH, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` })
	.refine((p) => !isCommonPassword(p), { error: "This password is one of the most common ones. Choose another." });

export const emailSchema = z
	.string({ error: "Enter your email address." })
	.trim()
	.toLowerCase()
	.pipe(
		z
			.email({ error: "Enter a valid email address, like name@company.com." })
			.max(254, { error: "That email address is too long." }),
	);

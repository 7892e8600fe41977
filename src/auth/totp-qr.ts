// The QR code of a TOTP secret as a data: URI (img-src allows data:), so no markup is injected.
import { renderSVG } from "uqr";
import { otpauthUri } from "./mfa.ts";

export function totpQrDataUri(secret: string, issuer: string, account: string): string {
	return `data:image/svg+xml;base64,${btoa(renderSVG(otpauthUri(secret, issuer, account)))}`;
}

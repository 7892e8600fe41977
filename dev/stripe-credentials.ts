// Development-only credentials for the local Stripe emulator; production sets real ones as secrets.
export const STRIPE_SECRET_KEY = "sk_test_portico_development";
export const STRIPE_WEBHOOK_SECRET = "whsec_portico_development";
/** The vendor backend's secret for /api/v1 under `npm start`. */
export const VENDOR_API_SECRET = "vendor-development-secret";

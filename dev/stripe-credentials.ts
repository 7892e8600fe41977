// Development-only credentials for the local Stripe emulator; production sets real ones as secrets.
export const STRIPE_SECRET_KEY = "sk_test_portico_development";
export const STRIPE_WEBHOOK_SECRET = "whsec_portico_development";

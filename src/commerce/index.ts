// The commerce area (SPEC §3): catalog, subscriptions, licenses, payment methods, invoices.
// Transport (src/http, src/cli) imports from here only.
export type { CommerceTables } from "./commerce.table.js";

// — catalog —

// — subscriptions —

// — payment methods and invoices —

// — licenses —

package synth

// Word lists the generator draws names and prose from. They are read-only
// values behind functions, so the package holds no mutable globals.

type sourceSystem struct {
	name, loader string
	tables       []string
}

func sourceSystems() []sourceSystem {
	return []sourceSystem{
		{"salesforce", "fivetran", []string{"account", "contact", "opportunity", "lead", "campaign", "case", "user", "task", "opportunity_line_item", "pricebook_entry", "product_2", "contract", "quote", "event"}},
		{"stripe", "fivetran", []string{"charge", "customer", "invoice", "invoice_line_item", "payment_intent", "refund", "subscription", "subscription_item", "balance_transaction", "payout", "dispute", "price", "coupon"}},
		{"shopify", "airbyte", []string{"orders", "order_lines", "customers", "products", "product_variants", "inventory_levels", "fulfillments", "transactions", "refunds", "collections", "discount_codes", "locations"}},
		{"hubspot", "fivetran", []string{"companies", "contacts", "deals", "deal_stages", "engagements", "email_events", "forms", "owners", "tickets", "email_campaigns"}},
		{"zendesk", "stitch", []string{"tickets", "ticket_comments", "users", "organizations", "groups", "satisfaction_ratings", "ticket_fields", "ticket_metrics"}},
		{"netsuite", "fivetran", []string{"transactions", "transaction_lines", "accounts", "subsidiaries", "vendors", "items", "departments", "currencies", "accounting_periods", "employees"}},
		{"segment", "segment", []string{"tracks", "identifies", "pages", "screens", "users", "groups", "order_completed", "product_viewed"}},
		{"app_db", "airbyte", []string{"users", "accounts", "workspaces", "memberships", "projects", "events", "sessions", "feature_flags", "invitations", "billing_plans", "api_keys"}},
		{"google_ads", "fivetran", []string{"campaigns", "ad_groups", "ads", "keywords", "campaign_stats", "ad_group_stats", "search_terms"}},
		{"facebook_ads", "fivetran", []string{"campaigns", "ad_sets", "ads", "creatives", "basic_ad_stats", "ad_actions"}},
		{"jira", "fivetran", []string{"issues", "projects", "sprints", "users", "comments", "issue_links", "worklogs"}},
		{"workday", "fivetran", []string{"workers", "positions", "organizations", "job_profiles", "compensation", "time_off"}},
	}
}

// regions suffix repeated source systems in large projects (stripe_emea).
func regions() []string {
	return []string{"emea", "apac", "latam", "na", "uk", "de", "jp", "au", "br", "in"}
}

func domains() []string {
	return []string{"finance", "marketing", "sales", "product", "customer_success", "operations",
		"supply_chain", "people", "growth", "risk", "partnerships", "platform"}
}

func entities() []string {
	return []string{"customer", "order", "order_item", "payment", "invoice", "subscription", "account",
		"contact", "lead", "opportunity", "campaign", "session", "event", "product", "inventory",
		"shipment", "ticket", "employee", "revenue", "refund", "churn", "arr", "mrr", "workspace",
		"user", "signup", "trial", "renewal", "discount", "vendor", "ledger_entry", "budget",
		"forecast", "pipeline", "quota", "ad_spend", "attribution", "conversion", "feature_usage",
		"nps_response", "support_sla", "warehouse", "carrier", "return", "territory"}
}

func intermediateVerbs() []string {
	return []string{"joined", "enriched", "aggregated_daily", "aggregated_monthly", "pivoted", "deduplicated",
		"unioned", "filtered", "ranked", "windowed", "bridged", "scd", "sessionized", "attributed",
		"normalized", "rollup", "matched", "allocated", "spined", "flattened"}
}

func martGrains() []string {
	return []string{"", "daily", "weekly", "monthly", "events", "snapshot", "summary", "history", "lifetime"}
}

type seedDef struct{ name, pk string }

func seedDefs() []seedDef {
	return []seedDef{
		{"country_codes", "country_code"}, {"currency_codes", "currency_code"}, {"fiscal_calendar", "fiscal_date"},
		{"holiday_calendar", "holiday_date"}, {"state_codes", "state_code"}, {"product_category_mapping", "category_id"},
		{"channel_mapping", "channel_id"}, {"employee_departments", "department_id"}, {"sales_territories", "territory_id"},
		{"exchange_rates", "rate_id"}, {"plan_tiers", "plan_id"}, {"utm_source_mapping", "utm_source"},
	}
}

// fillerColumns are the non-key columns models carry; the second value is a
// type family the catalog maps to a warehouse type.
type columnDef struct{ name, family string }

func fillerColumns() []columnDef {
	return []columnDef{
		{"created_at", "ts"}, {"updated_at", "ts"}, {"status", "str"}, {"amount", "money"},
		{"currency", "str"}, {"is_active", "bool"}, {"email", "str"}, {"country_code", "str"},
		{"quantity", "int"}, {"unit_price", "money"}, {"discount_amount", "money"}, {"tax_amount", "money"},
		{"event_date", "date"}, {"channel", "str"}, {"source_system", "str"}, {"is_deleted", "bool"},
		{"first_seen_at", "ts"}, {"last_seen_at", "ts"}, {"lifetime_value", "money"}, {"order_count", "int"},
		{"region", "str"}, {"segment", "str"}, {"plan_name", "str"}, {"mrr_amount", "money"},
		{"churned_at", "ts"}, {"converted_at", "ts"}, {"utm_source", "str"}, {"utm_campaign", "str"},
		{"days_since_signup", "int"}, {"net_revenue", "money"}, {"gross_margin", "money"}, {"score", "float"},
		{"valid_from", "ts"}, {"valid_to", "ts"}, {"loaded_at", "ts"}, {"record_hash", "str"},
	}
}

func statusValues() []string {
	return []string{"active", "pending", "completed", "cancelled", "refunded", "failed"}
}

// sentences feed descriptions; joining a few gives paragraphs of varied length.
func sentences() []string {
	return []string{
		"This model is the single source of truth for downstream reporting and is refreshed every hour by the production job.",
		"Rows are deduplicated on the primary key, keeping the most recently updated record from the source system.",
		"Amounts are converted to USD using the daily exchange rate seed and rounded to two decimal places.",
		"Soft-deleted records are excluded; see the is_deleted flag on the staging model for the raw history.",
		"Owned by the analytics engineering team; contact #data-platform on Slack before changing the grain.",
		"The grain is one row per entity per day, with late-arriving facts reprocessed for a three day lookback window.",
		"Test coverage includes uniqueness and not-null checks on the key and referential integrity to the dimension tables.",
		"Historical records before the 2019 migration come from the legacy warehouse and may have null timestamps.",
		"Used by the executive dashboard, the finance close process and the weekly business review deck.",
		"Timestamps are stored in UTC; convert to the account's local time zone in the BI layer, not here.",
		"The incremental logic relies on updated_at being monotonic in the source, which the loader guarantees.",
		"Internal and test accounts are filtered out using the account classification rules maintained by RevOps.",
		"Currency and country codes follow ISO 4217 and ISO 3166-1 alpha-2 respectively.",
		"Metrics derived from this table are exposed in the semantic layer; keep column names stable.",
	}
}

func ownerNames() []string {
	return []string{"Anna Anderson", "Ben Okafor", "Chen Wei", "Dana Kowalski", "Emeka Obi", "Fatima Zahra",
		"Gustavo Lima", "Hana Sato", "Ivan Petrov", "Julia Costa"}
}

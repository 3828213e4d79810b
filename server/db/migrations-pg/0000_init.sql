CREATE TABLE "accounts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"subdomain" text NOT NULL,
	"base_domain" text NOT NULL,
	"name" text,
	"state" text NOT NULL,
	"state_reason" text,
	"blocked_until" bigint,
	"settings" text DEFAULT '{}' NOT NULL,
	"field_ids" text DEFAULT '{}' NOT NULL,
	"installed_by" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"account_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"provider_order_no" text NOT NULL,
	"provider_payment_id" text,
	"status" text NOT NULL,
	"raw_status" text,
	"flagged_reason" text,
	"flagged_raw_status" text,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"redirect" text,
	"held_at" bigint,
	"capture_mode" text,
	"session_expires_at" bigint,
	"next_check_at" bigint,
	"check_count" bigint DEFAULT 0 NOT NULL,
	"seq" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"payment_id" text,
	"at" bigint NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"details" text
);
--> statement-breakpoint
CREATE TABLE "exceptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"payment_id" text,
	"lead_id" bigint,
	"reason" text NOT NULL,
	"data" text DEFAULT '{}' NOT NULL,
	"opened_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
CREATE TABLE "hold_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"attempt_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"requested_by" text NOT NULL,
	"auto_key" text,
	"error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"lead_id" bigint NOT NULL,
	"link_token" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"description" text,
	"providers" text NOT NULL,
	"status" text NOT NULL,
	"review_reason" text,
	"review_since" bigint,
	"paid_at" bigint,
	"paid_amount_minor" bigint,
	"paid_attempt_id" text,
	"provider_ref" text,
	"refunded_amount_minor" bigint DEFAULT 0 NOT NULL,
	"expires_at" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_configs" (
	"account_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"enabled" boolean NOT NULL,
	"mode" text NOT NULL,
	"base_url" text,
	"credentials_sealed" text NOT NULL,
	"order_counter" bigint DEFAULT 0 NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "provider_configs_account_id_provider_pk" PRIMARY KEY("account_id","provider")
);
--> statement-breakpoint
CREATE TABLE "provider_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"authenticated" boolean NOT NULL,
	"attempt_id" text,
	"payment_id" text,
	"raw" text NOT NULL,
	"fact" text,
	"state" text NOT NULL,
	"outcome" text,
	"error" text,
	"received_at" bigint NOT NULL,
	"processed_at" bigint
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"account_id" bigint NOT NULL,
	"attempt_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"state" text NOT NULL,
	"source" text NOT NULL,
	"requested_by" text,
	"provider_refund_id" text,
	"error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"data" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_queries" (
	"attempt_id" text PRIMARY KEY NOT NULL,
	"queried_at" bigint NOT NULL,
	"error_code" text,
	"error_message" text
);
--> statement-breakpoint
CREATE TABLE "sync_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"lead_id" bigint NOT NULL,
	"payment_id" text,
	"dedupe_key" text NOT NULL,
	"payload" text DEFAULT '{}' NOT NULL,
	"state" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL,
	"next_run_at" bigint NOT NULL,
	"claimed_until" bigint,
	"last_error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "token_claims" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"data" text DEFAULT '{}' NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"access_token_sealed" text NOT NULL,
	"refresh_token_sealed" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "used_token_ids" (
	"jti" text PRIMARY KEY NOT NULL,
	"expires_at" bigint NOT NULL,
	"account_id" bigint,
	"user_id" bigint,
	"uses" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_configs" ADD CONSTRAINT "provider_configs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_order_no" ON "attempts" USING btree ("account_id","provider","provider_order_no");--> statement-breakpoint
CREATE INDEX "attempts_payment" ON "attempts" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "attempts_next_check" ON "attempts" USING btree ("status","next_check_at");--> statement-breakpoint
CREATE INDEX "audit_payment" ON "audit_entries" USING btree ("payment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "exceptions_key" ON "exceptions" USING btree ("account_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "exceptions_open" ON "exceptions" USING btree ("account_id","resolved_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hold_actions_auto" ON "hold_actions" USING btree ("auto_key");--> statement-breakpoint
CREATE INDEX "hold_actions_attempt" ON "hold_actions" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "hold_actions_state" ON "hold_actions" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_link_token" ON "payments" USING btree ("link_token");--> statement-breakpoint
CREATE INDEX "payments_account_lead" ON "payments" USING btree ("account_id","lead_id");--> statement-breakpoint
CREATE INDEX "payments_status_expiry" ON "payments" USING btree ("status","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_events_dedupe" ON "provider_events" USING btree ("account_id","provider","dedupe_key");--> statement-breakpoint
CREATE INDEX "provider_events_state" ON "provider_events" USING btree ("state","received_at");--> statement-breakpoint
CREATE INDEX "refunds_payment" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_jobs_dedupe" ON "sync_jobs" USING btree ("account_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "sync_jobs_due" ON "sync_jobs" USING btree ("state","next_run_at");--> statement-breakpoint
CREATE INDEX "sync_jobs_payment" ON "sync_jobs" USING btree ("payment_id");
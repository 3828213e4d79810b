CREATE TABLE "amocrm_observations" (
	"account_id" bigint NOT NULL,
	"topic" text NOT NULL,
	"data" text DEFAULT '{}' NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "amocrm_observations_account_id_topic_pk" PRIMARY KEY("account_id","topic")
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"payment_id" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"invoice_id" bigint NOT NULL,
	"catalog_id" bigint NOT NULL,
	"generation" bigint NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"source" text NOT NULL,
	"request_key" text NOT NULL,
	"lead_id" bigint NOT NULL,
	"batch_id" text,
	"params" text DEFAULT '{}' NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"reason" text,
	"payment_id" text,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_run_at" bigint NOT NULL,
	"claimed_until" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_keys" (
	"account_id" bigint PRIMARY KEY NOT NULL,
	"key_sealed" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_payments_generation" ON "invoice_payments" USING btree ("account_id","invoice_id","generation");--> statement-breakpoint
CREATE UNIQUE INDEX "link_requests_key" ON "link_requests" USING btree ("account_id","source","request_key");--> statement-breakpoint
CREATE INDEX "link_requests_due" ON "link_requests" USING btree ("state","next_run_at");--> statement-breakpoint
CREATE INDEX "link_requests_batch" ON "link_requests" USING btree ("account_id","batch_id");
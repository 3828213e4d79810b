CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`subdomain` text NOT NULL,
	`base_domain` text NOT NULL,
	`name` text,
	`state` text NOT NULL,
	`state_reason` text,
	`blocked_until` integer,
	`settings` text DEFAULT '{}' NOT NULL,
	`field_ids` text DEFAULT '{}' NOT NULL,
	`installed_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`provider` text NOT NULL,
	`provider_order_no` text NOT NULL,
	`provider_payment_id` text,
	`status` text NOT NULL,
	`raw_status` text,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`redirect` text,
	`session_expires_at` integer,
	`next_check_at` integer,
	`check_count` integer DEFAULT 0 NOT NULL,
	`seq` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_order_no` ON `attempts` (`account_id`,`provider`,`provider_order_no`);--> statement-breakpoint
CREATE INDEX `attempts_payment` ON `attempts` (`payment_id`);--> statement-breakpoint
CREATE INDEX `attempts_next_check` ON `attempts` (`status`,`next_check_at`);--> statement-breakpoint
CREATE TABLE `audit_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`payment_id` text,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_payment` ON `audit_entries` (`payment_id`,`id`);--> statement-breakpoint
CREATE TABLE `exceptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`payment_id` text,
	`lead_id` integer,
	`message` text NOT NULL,
	`action` text NOT NULL,
	`opened_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exceptions_key` ON `exceptions` (`account_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `exceptions_open` ON `exceptions` (`account_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`lead_id` integer NOT NULL,
	`link_token` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`description` text,
	`providers` text NOT NULL,
	`status` text NOT NULL,
	`review_reason` text,
	`review_since` integer,
	`paid_at` integer,
	`paid_amount_minor` integer,
	`paid_attempt_id` text,
	`provider_ref` text,
	`refunded_amount_minor` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_link_token` ON `payments` (`link_token`);--> statement-breakpoint
CREATE INDEX `payments_account_lead` ON `payments` (`account_id`,`lead_id`);--> statement-breakpoint
CREATE INDEX `payments_status_expiry` ON `payments` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `provider_configs` (
	`account_id` integer NOT NULL,
	`provider` text NOT NULL,
	`enabled` integer NOT NULL,
	`mode` text NOT NULL,
	`base_url` text,
	`credentials_sealed` text NOT NULL,
	`order_counter` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `provider`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `provider_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`provider` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`kind` text NOT NULL,
	`authenticated` integer NOT NULL,
	`attempt_id` text,
	`payment_id` text,
	`raw` text NOT NULL,
	`fact` text,
	`state` text NOT NULL,
	`outcome` text,
	`error` text,
	`received_at` integer NOT NULL,
	`processed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_events_dedupe` ON `provider_events` (`account_id`,`provider`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `provider_events_state` ON `provider_events` (`state`,`received_at`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`attempt_id` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`requested_by` text,
	`provider_refund_id` text,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refunds_payment` ON `refunds` (`payment_id`);--> statement-breakpoint
CREATE TABLE `sandbox_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`lead_id` integer NOT NULL,
	`payment_id` text,
	`dedupe_key` text NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`next_run_at` integer NOT NULL,
	`claimed_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_jobs_dedupe` ON `sync_jobs` (`account_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `sync_jobs_due` ON `sync_jobs` (`state`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `sync_jobs_payment` ON `sync_jobs` (`payment_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`access_token_sealed` text NOT NULL,
	`refresh_token_sealed` text NOT NULL,
	`expires_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `used_token_ids` (
	`jti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);

CREATE TABLE `amocrm_observations` (
	`account_id` integer NOT NULL,
	`topic` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `topic`)
);
--> statement-breakpoint
CREATE TABLE `invoice_payments` (
	`payment_id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`invoice_id` integer NOT NULL,
	`catalog_id` integer NOT NULL,
	`generation` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_payments_generation` ON `invoice_payments` (`account_id`,`invoice_id`,`generation`);--> statement-breakpoint
CREATE TABLE `link_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`source` text NOT NULL,
	`request_key` text NOT NULL,
	`lead_id` integer NOT NULL,
	`batch_id` text,
	`params` text DEFAULT '{}' NOT NULL,
	`state` text NOT NULL,
	`outcome` text,
	`reason` text,
	`payment_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_run_at` integer NOT NULL,
	`claimed_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_requests_key` ON `link_requests` (`account_id`,`source`,`request_key`);--> statement-breakpoint
CREATE INDEX `link_requests_due` ON `link_requests` (`state`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `link_requests_batch` ON `link_requests` (`account_id`,`batch_id`);--> statement-breakpoint
CREATE TABLE `pipeline_keys` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`key_sealed` text NOT NULL,
	`created_at` integer NOT NULL
);

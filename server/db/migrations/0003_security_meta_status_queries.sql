CREATE TABLE `server_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `status_queries` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`queried_at` integer NOT NULL,
	`error_code` text,
	`error_message` text
);

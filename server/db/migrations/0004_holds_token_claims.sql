CREATE TABLE `hold_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`attempt_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`requested_by` text NOT NULL,
	`auto_key` text,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hold_actions_auto` ON `hold_actions` (`auto_key`);--> statement-breakpoint
CREATE INDEX `hold_actions_attempt` ON `hold_actions` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `hold_actions_state` ON `hold_actions` (`state`);--> statement-breakpoint
CREATE TABLE `token_claims` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `attempts` ADD `held_at` integer;--> statement-breakpoint
ALTER TABLE `attempts` ADD `capture_mode` text;--> statement-breakpoint
ALTER TABLE `used_token_ids` ADD `account_id` integer;--> statement-breakpoint
ALTER TABLE `used_token_ids` ADD `user_id` integer;--> statement-breakpoint
ALTER TABLE `used_token_ids` ADD `uses` integer DEFAULT 1 NOT NULL;
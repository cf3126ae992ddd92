CREATE TABLE IF NOT EXISTS "labels" (
	"order_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"delivery_id" uuid NOT NULL
);

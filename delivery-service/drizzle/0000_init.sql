CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"status" text NOT NULL,
	"postal_code" text NOT NULL,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_order_id_unique" UNIQUE("order_id"),
	CONSTRAINT "deliveries_status_check" CHECK ("deliveries"."status" IN ('STARTED', 'FAILED')),
	CONSTRAINT "deliveries_reason_check" CHECK (("deliveries"."status" = 'FAILED') = ("deliveries"."reason" IS NOT NULL))
);

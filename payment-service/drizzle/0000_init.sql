CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"customer_id" text NOT NULL,
	"reason" text,
	"details" text,
	"gateway_transaction_id" text,
	"causation_id" text NOT NULL,
	"items" jsonb,
	"shipping_address" jsonb,
	"payment_token" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_order_id_kind_unique" UNIQUE("order_id","kind"),
	CONSTRAINT "payments_kind_check" CHECK ("payments"."kind" IN ('CHARGE', 'REFUND')),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" IN ('PENDING', 'COMPLETED', 'FAILED'))
);
--> statement-breakpoint
CREATE INDEX "payments_due_idx" ON "payments" USING btree ("next_attempt_at") WHERE "payments"."status" = 'PENDING';
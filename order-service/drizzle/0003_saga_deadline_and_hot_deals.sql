ALTER TYPE "public"."failure_reason" ADD VALUE 'TIMED_OUT';--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "stock" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "hot_deal" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "saga_instances" ADD COLUMN "payment_refund_failed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "saga_instances" ADD COLUMN "compensation_failure" text;--> statement-breakpoint
ALTER TABLE "saga_instances" ADD COLUMN "deadline_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "saga_instances_open_deadline_idx" ON "saga_instances" USING btree ("deadline_at") WHERE "saga_instances"."status" NOT IN ('COMPLETED', 'CANCELED');--> statement-breakpoint
CREATE INDEX "saga_instances_refund_failed_idx" ON "saga_instances" USING btree ("payment_refund_failed_at") WHERE "saga_instances"."payment_refund_failed_at" IS NOT NULL AND "saga_instances"."payment_refunded_at" IS NULL;
ALTER TABLE "endpoint_minute_stats" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "endpoint_minute_stats" DROP CONSTRAINT "endpoint_minute_stats_endpoint_id_variant_minute_pk";--> statement-breakpoint
ALTER TABLE "endpoint_minute_stats" ADD CONSTRAINT "endpoint_minute_stats_endpoint_id_revision_variant_minute_pk" PRIMARY KEY("endpoint_id","revision","variant","minute");

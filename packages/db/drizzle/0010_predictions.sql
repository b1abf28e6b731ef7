-- Hand-edited after `drizzle-kit generate`: "prediction_log" is created PARTITION BY RANGE ("created_at"),
-- which drizzle cannot express (its snapshot stays valid: the columns, key and indexes are the generated ones).
-- The daily partitions (prediction_log_YYYYMMDD, UTC) are made and dropped by the API's prediction log writer,
-- not here; a row for a day without a partition fails with 23514 until one is created.
CREATE TABLE "endpoint_minute_stats" (
	"org_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"variant" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"latency_sum_ms" double precision NOT NULL,
	"latency_buckets" integer[] NOT NULL,
	CONSTRAINT "endpoint_minute_stats_endpoint_id_variant_minute_pk" PRIMARY KEY("endpoint_id","variant","minute")
);
--> statement-breakpoint
CREATE TABLE "prediction_feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"row_index" integer DEFAULT 0 NOT NULL,
	"label" text,
	"reward" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prediction_log" (
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" text NOT NULL,
	"row_index" integer DEFAULT 0 NOT NULL,
	"org_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"variant" text NOT NULL,
	"model_version_id" uuid NOT NULL,
	"unit_id" text,
	"features" jsonb NOT NULL,
	"outputs" jsonb,
	"latency_ms" real NOT NULL,
	"status" smallint NOT NULL,
	"error" text,
	CONSTRAINT "prediction_log_created_at_request_id_row_index_pk" PRIMARY KEY("created_at","request_id","row_index")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
ALTER TABLE "endpoint_minute_stats" ADD CONSTRAINT "endpoint_minute_stats_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endpoint_minute_stats" ADD CONSTRAINT "endpoint_minute_stats_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_feedback" ADD CONSTRAINT "prediction_feedback_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_feedback" ADD CONSTRAINT "prediction_feedback_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "prediction_feedback_endpoint_id_request_id_row_index_index" ON "prediction_feedback" USING btree ("endpoint_id","request_id","row_index");--> statement-breakpoint
CREATE INDEX "prediction_log_endpoint_id_created_at_index" ON "prediction_log" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "prediction_log_endpoint_id_request_id_index" ON "prediction_log" USING btree ("endpoint_id","request_id");
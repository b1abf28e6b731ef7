CREATE TABLE "artifacts" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifacts_run_id_path_pk" PRIMARY KEY("run_id","path")
);
--> statement-breakpoint
CREATE TABLE "experiment_tags" (
	"org_id" uuid NOT NULL,
	"experiment_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "experiment_tags_experiment_id_key_pk" PRIMARY KEY("experiment_id","key")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"artifact_location" text NOT NULL,
	"lifecycle_stage" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"creation_time" bigint NOT NULL,
	"last_update_time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "latest_metrics" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" double precision NOT NULL,
	"timestamp" bigint NOT NULL,
	"step" bigint NOT NULL,
	CONSTRAINT "latest_metrics_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "metric_buckets" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"level" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"count" integer NOT NULL,
	"first_step" bigint NOT NULL,
	"last_step" bigint NOT NULL,
	"min_value" double precision NOT NULL,
	"min_step" bigint NOT NULL,
	"min_timestamp" bigint NOT NULL,
	"max_value" double precision NOT NULL,
	"max_step" bigint NOT NULL,
	"max_timestamp" bigint NOT NULL,
	CONSTRAINT "metric_buckets_run_id_key_level_bucket_pk" PRIMARY KEY("run_id","key","level","bucket")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" double precision NOT NULL,
	"timestamp" bigint NOT NULL,
	"step" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_inputs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"digest" text NOT NULL,
	"source_type" text NOT NULL,
	"source" text NOT NULL,
	"schema" text,
	"profile" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_params" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "run_params_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "run_tags" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "run_tags_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"experiment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'RUNNING' NOT NULL,
	"start_time" bigint NOT NULL,
	"end_time" bigint,
	"user_id" text,
	"author_id" uuid,
	"source" text,
	"parent_run_id" uuid,
	"lifecycle_stage" text DEFAULT 'active' NOT NULL,
	"deleted_time" bigint
);
--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_tags" ADD CONSTRAINT "experiment_tags_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_tags" ADD CONSTRAINT "experiment_tags_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "latest_metrics" ADD CONSTRAINT "latest_metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_buckets" ADD CONSTRAINT "metric_buckets_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_inputs" ADD CONSTRAINT "run_inputs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_inputs" ADD CONSTRAINT "run_inputs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_params" ADD CONSTRAINT "run_params_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_params" ADD CONSTRAINT "run_params_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tags" ADD CONSTRAINT "run_tags_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tags" ADD CONSTRAINT "run_tags_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artifacts_sha256_index" ON "artifacts" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_org_id_name_index" ON "experiments" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "experiments_org_id_lifecycle_stage_id_index" ON "experiments" USING btree ("org_id","lifecycle_stage","id");--> statement-breakpoint
CREATE INDEX "latest_metrics_org_id_key_value_index" ON "latest_metrics" USING btree ("org_id","key","value");--> statement-breakpoint
CREATE INDEX "metrics_run_id_key_step_timestamp_index" ON "metrics" USING btree ("run_id","key","step","timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "run_inputs_run_id_name_digest_index" ON "run_inputs" USING btree ("run_id","name","digest");--> statement-breakpoint
CREATE INDEX "run_params_org_id_key_value_index" ON "run_params" USING btree ("org_id","key","value");--> statement-breakpoint
CREATE INDEX "runs_org_id_experiment_id_lifecycle_stage_start_time_index" ON "runs" USING btree ("org_id","experiment_id","lifecycle_stage","start_time");--> statement-breakpoint
CREATE INDEX "runs_parent_run_id_index" ON "runs" USING btree ("parent_run_id");
CREATE TABLE "retrain_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"model_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"triggers" jsonb NOT NULL,
	"spec" jsonb NOT NULL,
	"gate" jsonb NOT NULL,
	"rollout" jsonb NOT NULL,
	"cooldown_minutes" integer DEFAULT 60 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retrain_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"alert_id" uuid,
	"status" text NOT NULL,
	"job_id" uuid,
	"challenger_version" integer,
	"champion_version" integer,
	"ab_test_id" uuid,
	"gate" jsonb,
	"timeline" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "retrain_policies" ADD CONSTRAINT "retrain_policies_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_policies" ADD CONSTRAINT "retrain_policies_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_policies" ADD CONSTRAINT "retrain_policies_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_policies" ADD CONSTRAINT "retrain_policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrain_runs" ADD CONSTRAINT "retrain_runs_policy_id_retrain_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."retrain_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "retrain_policies_org_id_endpoint_id_index" ON "retrain_policies" USING btree ("org_id","endpoint_id");--> statement-breakpoint
CREATE INDEX "retrain_runs_policy_id_created_at_index" ON "retrain_runs" USING btree ("policy_id","created_at");--> statement-breakpoint
CREATE INDEX "retrain_runs_status_index" ON "retrain_runs" USING btree ("status");
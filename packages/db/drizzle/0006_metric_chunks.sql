CREATE TABLE "metric_chunks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"first_step" bigint NOT NULL,
	"last_step" bigint NOT NULL,
	"count" integer NOT NULL,
	"steps" bigint[] NOT NULL,
	"values" double precision[] NOT NULL,
	"timestamps" bigint[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_chunks" ADD CONSTRAINT "metric_chunks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_chunks_run_id_key_first_step_index" ON "metric_chunks" USING btree ("run_id","key","first_step");--> statement-breakpoint
-- Out of line but uncompressed: pglz on every chunk doubled the cost of ingest; numbers compress poorly anyway.
ALTER TABLE "metric_chunks" ALTER COLUMN "steps" SET STORAGE EXTERNAL, ALTER COLUMN "values" SET STORAGE EXTERNAL, ALTER COLUMN "timestamps" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Existing history moves over as one chunk per (run, key), in (step, timestamp) order; rows of runs that no longer exist are left behind with the old table.
INSERT INTO "metric_chunks" ("org_id", "run_id", "key", "first_step", "last_step", "count", "steps", "values", "timestamps")
SELECT m."org_id", m."run_id", m."key", min(m."step"), max(m."step"), count(*)::int,
       array_agg(m."step" ORDER BY m."step", m."timestamp"), array_agg(m."value" ORDER BY m."step", m."timestamp"), array_agg(m."timestamp" ORDER BY m."step", m."timestamp")
FROM "metrics" m JOIN "runs" r ON r."id" = m."run_id"
GROUP BY m."org_id", m."run_id", m."key";

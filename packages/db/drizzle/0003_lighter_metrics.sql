ALTER TABLE "metrics" DROP CONSTRAINT "metrics_run_id_runs_id_fk";
--> statement-breakpoint
DROP INDEX "metrics_run_id_key_step_timestamp_index";--> statement-breakpoint
CREATE INDEX "metrics_run_id_key_step_index" ON "metrics" USING btree ("run_id","key","step");
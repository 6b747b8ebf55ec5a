import { z } from "zod";

/**
 * The parts of Airflow's stable REST API v1 that Switchboard reads, from the OpenAPI document
 * (apache/airflow airflow/api_connexion/openapi/v1.yaml, 2.x). Fields new in later 2.x releases are
 * optional, and states stay open strings: an unknown state must not break a page.
 */

/** DagState: queued, running, success, failed. */
export type DagRunState = "queued" | "running" | "success" | "failed" | (string & {});
/** TaskState (null before it is scheduled). */
export type TaskState =
  | "success"
  | "running"
  | "failed"
  | "upstream_failed"
  | "skipped"
  | "up_for_retry"
  | "up_for_reschedule"
  | "queued"
  | "none"
  | "scheduled"
  | "deferred"
  | "removed"
  | "restarting"
  | (string & {});

const date = z.string().nullable().optional();

export const scheduleInterval = z
  .looseObject({
    __type: z.string(),
    value: z.string().optional(),
    days: z.number().optional(),
    seconds: z.number().optional(),
  })
  .nullable()
  .optional();

export const dag = z.looseObject({
  dag_id: z.string(),
  dag_display_name: z.string().optional(),
  is_paused: z.boolean().nullable().optional(),
  is_active: z.boolean().nullable().optional(),
  description: z.string().nullable().optional(),
  fileloc: z.string().optional(),
  owners: z.array(z.string()).optional(),
  schedule_interval: scheduleInterval,
  timetable_description: z.string().nullable().optional(),
  tags: z
    .array(z.object({ name: z.string() }))
    .nullable()
    .optional(),
  max_active_runs: z.number().int().nullable().optional(),
  has_import_errors: z.boolean().nullable().optional(),
  next_dagrun: date,
  next_dagrun_data_interval_start: date,
  next_dagrun_data_interval_end: date,
  last_parsed_time: date,
});
export type Dag = z.infer<typeof dag>;

export const dagRun = z.looseObject({
  dag_run_id: z.string().nullable(),
  dag_id: z.string(),
  logical_date: date,
  execution_date: date,
  start_date: date,
  end_date: date,
  data_interval_start: date,
  data_interval_end: date,
  run_type: z.string(),
  state: z.string() as z.ZodType<DagRunState>,
  external_trigger: z.boolean().optional(),
  conf: z.record(z.string(), z.unknown()).nullable().optional(),
  note: z.string().nullable().optional(),
});
export type DagRun = z.infer<typeof dagRun>;

export const taskInstance = z.looseObject({
  task_id: z.string(),
  task_display_name: z.string().optional(),
  dag_id: z.string(),
  dag_run_id: z.string().optional(),
  start_date: date,
  end_date: date,
  duration: z.number().nullable().optional(),
  state: (z.string() as z.ZodType<TaskState>).nullable().optional(),
  try_number: z.number().int(),
  max_tries: z.number().int().optional(),
  map_index: z.number().int().optional(),
  hostname: z.string().optional(),
  operator: z.string().nullable().optional(),
  queued_when: date,
  priority_weight: z.number().int().nullable().optional(),
});
export type TaskInstance = z.infer<typeof taskInstance>;

/** CollectionInfo: every list carries total_entries alongside its page. */
const collection = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ [key]: z.array(item), total_entries: z.number().int() } as { [P in K]: z.ZodArray<T> } & {
    total_entries: z.ZodNumber;
  });

export const dagCollection = collection("dags", dag);
export const dagRunCollection = collection("dag_runs", dagRun);
export const taskInstanceCollection = collection("task_instances", taskInstance);

/** XCom entry; `value` arrives as a string (str() of the Python object) unless deserialize=true is honoured. */
export const xcomEntry = z.looseObject({
  key: z.string(),
  task_id: z.string(),
  dag_id: z.string(),
  timestamp: z.string().optional(),
  map_index: z.number().int().optional(),
  value: z.unknown(),
});
export type XcomEntry = z.infer<typeof xcomEntry>;

/** RFC 7807 problem details, Airflow's error body: {type, title, status, detail, instance}. */
export const problem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().nullable().optional(),
});

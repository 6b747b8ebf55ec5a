import type { TaskSpec } from "../requests";
import type { MlflowTracking } from "./mlflow-tracking";

/**
 * What a task "runs" once its cluster is up. The sandbox cannot execute the Python file or notebook
 * it is given, so it runs an equivalent program chosen from the task's parameters: a real churn
 * training, a simulated LLM fine-tuning, or a plain script that just takes some time.
 */

export interface TaskProgramContext {
  /** `--key value` / `--key=value` parameters or notebook base parameters, keys normalised to snake_case. */
  args: Record<string, string>;
  task: TaskSpec;
  jobId: number;
  /** The run id runs/submit returned (the parent of this task run). */
  jobRunId: number;
  taskRunId: number;
  runName: string;
  runTags: Record<string, string>;
  creatorUserName: string;
  /** What the program saved last time; set when the sandbox restarted mid-run. */
  checkpoint: Record<string, unknown> | null;
  saveCheckpoint(checkpoint: Record<string, unknown>): Promise<void>;
  /** Spends `simulatedSeconds` of job time (scaled by the sandbox speed); throws TaskInterrupted on cancel, timeout or shutdown. */
  pace(simulatedSeconds: number): Promise<void>;
  /** A line of the task's stdout (runs/get-output `logs`). */
  log(line: string): void;
  mlflow: MlflowTracking;
}

export interface TaskProgramResult {
  /** What `dbutils.notebook.exit()` would return (runs/get-output `notebook_output.result`). */
  notebookResult?: string;
}

export type TaskProgram = (context: TaskProgramContext) => Promise<TaskProgramResult>;

/** The task's code failed: shown as runs/get-output `error` and `error_trace`. */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly trace: string,
  ) {
    super(message);
    this.name = "TaskFailure";
  }
}

export type InterruptReason = "canceled" | "timed_out" | "shutdown";

export class TaskInterrupted extends Error {
  constructor(readonly reason: InterruptReason) {
    super(`task interrupted: ${reason}`);
    this.name = "TaskInterrupted";
  }
}

/** Reads `--learning_rate 0.1 --epochs=20 --verbose` (or notebook widgets) into a map. */
export function parseTaskArguments(task: TaskSpec): Record<string, string> {
  const normalise = (key: string) => key.replace(/^-+/, "").replaceAll("-", "_");
  if (task.notebook_task)
    return Object.fromEntries(
      Object.entries(task.notebook_task.base_parameters ?? {}).map(([key, value]) => [normalise(key), value]),
    );
  const parameters = task.spark_python_task?.parameters ?? [];
  const args: Record<string, string> = {};
  for (let i = 0; i < parameters.length; i++) {
    const token = parameters[i];
    if (!token.startsWith("-")) continue;
    const equals = token.indexOf("=");
    if (equals > 0) {
      args[normalise(token.slice(0, equals))] = token.slice(equals + 1);
    } else if (i + 1 < parameters.length && !/^--?[a-zA-Z]/.test(parameters[i + 1])) {
      args[normalise(token)] = parameters[++i];
    } else {
      args[normalise(token)] = "true";
    }
  }
  return args;
}

/** Python-style failure, as a Databricks job's driver would report it. */
export function pythonFailure(
  task: TaskSpec,
  exception: string,
  message: string,
  frames: string[],
): TaskFailure {
  const file = task.spark_python_task?.python_file ?? task.notebook_task?.notebook_path ?? "<command>";
  const trace = [
    "Traceback (most recent call last):",
    `  File "${file}", line 142, in <module>`,
    "    main()",
    ...frames.map((frame, index) => `  File "${file}", line ${96 + index * 17}, in ${frame}`),
    `${exception}: ${message}`,
  ].join("\n");
  return new TaskFailure(`${exception}: ${message}`, trace);
}

export function numberArgument(
  args: Record<string, string>,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  task: TaskSpec,
): number {
  if (args[name] === undefined) return fallback;
  const value = Number(args[name]);
  if (!Number.isFinite(value) || !check(value))
    throw pythonFailure(task, "ValueError", `invalid value for --${name}: '${args[name]}'`, [
      "main",
      "parse_args",
    ]);
  return value;
}

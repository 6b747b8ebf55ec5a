import { runChurnTraining } from "./churn-training";
import { runFineTuningSimulation } from "./fine-tuning-simulation";
import { numberArgument, type TaskProgram } from "./program";

/** A task that is neither training nor fine-tuning: it takes `--duration_seconds` (default 20) of job time. */
const runScript: TaskProgram = async (context) => {
  const { args, task } = context;
  const seconds = numberArgument(args, "duration_seconds", 20, (n) => n >= 0 && n <= 86_400, task);
  context.log(`Running ${task.spark_python_task?.python_file ?? task.notebook_task?.notebook_path}`);
  for (let quarter = 1; quarter <= 4; quarter++) {
    await context.pace(seconds / 4);
    context.log(`${quarter * 25}% done`);
  }
  return task.notebook_task ? { notebookResult: "" } : {};
};

/** Chooses what a task runs from its parameters (the sandbox cannot execute the file itself). */
export function selectProgram(args: Record<string, string>): {
  kind: "fine-tuning" | "churn-training" | "script";
  run: TaskProgram;
} {
  if (args.base_model) return { kind: "fine-tuning", run: runFineTuningSimulation };
  if (args.experiment || args.experiment_name || args.registered_model_name)
    return { kind: "churn-training", run: runChurnTraining };
  return { kind: "script", run: runScript };
}

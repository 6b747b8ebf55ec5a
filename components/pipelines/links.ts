/** Run ids carry ':' and '+' (scheduled__2026-12-06T09:00:00+00:00): always encode them in paths. */
export const dagHref = (dagId: string) => `/pipelines/${encodeURIComponent(dagId)}`;
export const dagRunHref = (dagId: string, dagRunId: string) =>
  `${dagHref(dagId)}/runs/${encodeURIComponent(dagRunId)}`;
export const submittedRunHref = (dagId: string, dagRunId: string, databricksRunId: string) =>
  `${dagRunHref(dagId, dagRunId)}/databricks/${databricksRunId}`;

/** Data Factory pipelines live under /pipelines/adf (a DAG named "adf" would be shadowed; DAG ids rarely are). */
export const adfPipelineHref = (pipelineName: string) => `/pipelines/adf/${encodeURIComponent(pipelineName)}`;
export const adfRunHref = (pipelineName: string, runId: string) =>
  `${adfPipelineHref(pipelineName)}/runs/${encodeURIComponent(runId)}`;
export const adfSubmittedRunHref = (pipelineName: string, runId: string, databricksRunId: string) =>
  `${adfRunHref(pipelineName, runId)}/databricks/${databricksRunId}`;

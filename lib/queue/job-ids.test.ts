import { describe, expect, it } from "vitest";
import { checkDeploymentPrefix, checkNumberOf, jobIds, pollRunPrefix } from "./job-ids";

describe("job ids", () => {
  it("reads back the check number of a poll or deployment-check id, and nothing from other ids", () => {
    expect(checkNumberOf(jobIds.pollRun("r1", 7), pollRunPrefix("r1"))).toBe(7);
    expect(checkNumberOf(jobIds.checkDeployment("d1", 3), checkDeploymentPrefix("d1"))).toBe(3);
    expect(checkNumberOf(jobIds.applyDeployment("d1"), checkDeploymentPrefix("d1"))).toBeUndefined();
    expect(checkNumberOf(jobIds.pollRun("r10", 1), pollRunPrefix("r1"))).toBeUndefined();
    expect(checkNumberOf(undefined, pollRunPrefix("r1"))).toBeUndefined();
  });
});

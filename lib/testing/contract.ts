/**
 * Shared by the Unity Catalog and SQL contract suites: the real workspace to also run them against
 * (from DATABRICKS_CONTRACT_* variables), and a helper to inspect a rejection.
 */

export interface ContractWorkspace {
  baseUrl: string;
  token: string;
  warehouseId?: string;
}

export function contractWorkspace(): ContractWorkspace | undefined {
  const {
    DATABRICKS_CONTRACT_HOST: baseUrl,
    DATABRICKS_CONTRACT_TOKEN: token,
    DATABRICKS_CONTRACT_WAREHOUSE_ID: warehouseId,
  } = process.env;
  return baseUrl && token ? { baseUrl, token, warehouseId } : undefined;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

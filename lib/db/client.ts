import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@/lib/config";
import { PrismaClient } from "./generated/client";

export type { PrismaClient };
export * from "./generated/enums";
export { Prisma } from "./generated/client";

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// One client per process; kept on globalThis so Next's hot reload does not open a pool per edit.
const globalForPrisma = globalThis as unknown as { switchboardPrisma?: PrismaClient };

export function getDb(): PrismaClient {
  globalForPrisma.switchboardPrisma ??= createPrismaClient(getConfig().DATABASE_URL);
  return globalForPrisma.switchboardPrisma;
}

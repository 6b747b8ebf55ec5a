import { defineConfig } from "prisma/config";

// The CLI reads the database URL only for commands that need one (migrate deploy, studio):
// migrations run as the tables' owner; `prisma generate` works without one.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    url:
      process.env.DATABASE_OWNER_URL ??
      process.env.DATABASE_URL ??
      "postgresql://postgres@127.0.0.1:5432/switchboard",
  },
});

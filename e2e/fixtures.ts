import { test as base, type Page } from "@playwright/test";
import { storageStatePath, type DemoLogin } from "./env";

/** `as("riley")` opens a page already signed in as that demo person (signed in by global.setup.ts). */
export const test = base.extend<{ as: (login: DemoLogin) => Promise<Page> }>({
  as: async ({ browser }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (login) => {
      const context = await browser.newContext({ storageState: storageStatePath(login) });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});

export { expect } from "@playwright/test";

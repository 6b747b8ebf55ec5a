import { expect, test as setup } from "@playwright/test";
import { demoPeople } from "../sandbox/oidc/people";
import { storageStatePath, type DemoLogin } from "./env";
import { signInThroughIdentityProvider } from "./sign-in";

// Every demo person signs in once through the real OpenID Connect flow; specs reuse the sessions.
for (const person of demoPeople) {
  setup(`sign in as ${person.name}`, async ({ page }) => {
    await signInThroughIdentityProvider(page, person.name);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(person.name.split(" ")[0]);
    await page.context().storageState({ path: storageStatePath(person.login as DemoLogin) });
  });
}

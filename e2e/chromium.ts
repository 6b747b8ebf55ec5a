/**
 * Debian's Chromium, never a downloaded browser, with the flags this machine's closed network needs
 * (without them Chromium keeps trying to reach Google's hosts). Playwright's config and the browser
 * benchmarks launch it the same way.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

// A real browser for journeys: Debian's Chromium driven by playwright-core, against the app listening on a free port.
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { startTestApp, type TestApp } from "./app.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const SCREENSHOT_DIR = join(tmpdir(), "guichet-e2e");

/** Headless Chromium without the background chatter (updates, sync, first-run) that slows and pollutes a test. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export type ServedApp = TestApp & {
  /** Where the browser reaches the app, e.g. http://127.0.0.1:40123 */
  baseUrl: string;
  /**
   * The same link on the listening server. Emails point at PUBLIC_URL, which is only known before listen
   * picks a port, so links are moved here rather than configured.
   */
  local(link: string): string;
};

/** A test app on a fresh database, listening on 127.0.0.1 at a port the system chooses. */
export async function startServedApp(options: Parameters<typeof startTestApp>[0] = {}): Promise<ServedApp> {
  const t = await startTestApp(options);
  let baseUrl: string;
  try {
    baseUrl = await t.app.listen({ port: 0, host: "127.0.0.1" });
  } catch (error) {
    await t.close();
    throw error;
  }
  const publicOrigin = new URL(t.config.publicUrl).origin;
  return {
    ...t,
    baseUrl,
    local(link) {
      const url = new URL(link);
      if (url.origin !== publicOrigin) throw new Error(`${link} does not point at ${publicOrigin}`);
      return new URL(`${url.pathname}${url.search}${url.hash}`, baseUrl).href;
    },
  };
}

/** Saves a full-page screenshot under the OS temp folder and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, "-");
  const path = join(SCREENSHOT_DIR, `${safe}-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Runs a journey; when it fails, keeps a screenshot of where the browser stood and names it in the error,
 * so a red CI run shows the page the person would have seen.
 */
export async function screenshotOnFailure<T>(
  page: Page,
  name: string,
  journey: () => Promise<T>,
): Promise<T> {
  try {
    return await journey();
  } catch (error) {
    const path = await screenshot(page, `${name}-failure`).catch(
      (shotError: unknown) => `(no screenshot: ${String(shotError)})`,
    );
    const where = page.isClosed() ? "a closed page" : page.url();
    // The reason goes into the message too: node:test's report does not print an error's cause.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} failed on ${where}; screenshot: ${path}\n${reason}`, { cause: error });
  }
}

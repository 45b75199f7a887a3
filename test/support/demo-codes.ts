// Codes of the demo authenticator app, for tests and benchmarks that sign in as demo accounts. A code works once, so a
// second sign-in of an account within one 30-second step uses the next step's code (one step of drift is accepted);
// a third waits for the clock, or, on a test's manual clock, is refused with a word on what to do.
import { setTimeout as sleep } from "node:timers/promises";
import { generate } from "otplib";
import { DEMO_TOTP_SECRET } from "../../src/features/demo/demo.data.js";

const STEP_MS = 30_000;
const lastStep = new Map<string, number>();

export async function demoCode(
  account: string,
  now: () => Date = () => new Date(),
  canWait = true,
): Promise<string> {
  let current = Math.floor(now().getTime() / STEP_MS);
  const step = Math.max(current, (lastStep.get(account) ?? Number.NEGATIVE_INFINITY) + 1);
  if (step > current + 1) {
    if (!canWait)
      throw new Error(`${account} has used this step's code and the next one: advance the clock 30 s`);
    await sleep((step - 1) * STEP_MS - now().getTime() + 100);
    current = Math.floor(now().getTime() / STEP_MS);
  }
  lastStep.set(account, step);
  return generate({ secret: DEMO_TOTP_SECRET, epoch: step * (STEP_MS / 1000) });
}

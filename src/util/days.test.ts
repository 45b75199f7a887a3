import assert from "node:assert/strict";
import { test } from "node:test";
import { montrealDay } from "./days.js";

test("montrealDay, remembered per minute, is right on both sides of midnight and when asked out of order", () => {
  // 2026-11-22 23:59:30 and 2026-11-23 00:00:10 in Montréal (UTC−5), then back and forth.
  const before = new Date("2026-11-23T04:59:30Z");
  const after = new Date("2026-11-23T05:00:10Z");
  for (let i = 0; i < 3; i++) {
    assert.equal(montrealDay(before), "2026-11-22");
    assert.equal(montrealDay(after), "2026-11-23");
  }
  assert.equal(montrealDay(new Date("2026-07-01T03:59:59Z")), "2026-06-30", "summer time, UTC−4");
  assert.equal(montrealDay(new Date("2026-07-01T04:00:00Z")), "2026-07-01");
});

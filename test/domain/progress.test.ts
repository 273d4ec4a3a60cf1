import { describe, expect, it } from "vitest";
import { applyReport, countSteps, daysLate, isOverdue, isSilent, silentSince, weightedProgress } from "../../src/domain/progress.js";

describe("weightedProgress: an initiative's progress from its weighted steps", () => {
  it("when steps weigh differently, then heavier steps count for more", () => {
    // (1*100 + 3*0) / 4 = 25, not the plain average of 50.
    expect(
      weightedProgress([
        { weight: 1, progress: 100 },
        { weight: 3, progress: 0 },
      ]),
    ).toBe(25);
  });

  it("when steps weigh the same, then the progress is their average", () => {
    expect(
      weightedProgress([
        { weight: 2, progress: 40 },
        { weight: 2, progress: 80 },
      ]),
    ).toBe(60);
  });

  it("when the weighted average is fractional, then it is rounded to the nearest whole percent", () => {
    // 100 / 3 = 33.33 -> 33; 200 / 3 = 66.67 -> 67; 50.5 -> 51.
    expect(
      weightedProgress([
        { weight: 1, progress: 100 },
        { weight: 2, progress: 0 },
      ]),
    ).toBe(33);
    expect(
      weightedProgress([
        { weight: 2, progress: 100 },
        { weight: 1, progress: 0 },
      ]),
    ).toBe(67);
    expect(
      weightedProgress([
        { weight: 1, progress: 51 },
        { weight: 1, progress: 50 },
      ]),
    ).toBe(51);
  });

  it("when an initiative has no steps, then its progress is 0", () => {
    expect(weightedProgress([])).toBe(0);
  });

  it("when every step has weight 0, then the progress is 0 rather than NaN", () => {
    expect(
      weightedProgress([
        { weight: 0, progress: 80 },
        { weight: 0, progress: 100 },
      ]),
    ).toBe(0);
  });

  it("when one step has weight 0, then it does not move the progress", () => {
    expect(
      weightedProgress([
        { weight: 0, progress: 0 },
        { weight: 5, progress: 70 },
      ]),
    ).toBe(70);
  });

  it("when every step is done, then the progress is 100", () => {
    expect(
      weightedProgress([
        { weight: 1, progress: 100 },
        { weight: 4, progress: 100 },
      ]),
    ).toBe(100);
  });
});

describe("daysLate and isOverdue: lateness on the region's local date", () => {
  it("when a step is due today, then it is not late", () => {
    const step = { dueDate: "2022-01-14", status: "in_progress" };
    expect(daysLate(step, "2022-01-14")).toBe(0);
    expect(isOverdue(step, "2022-01-14")).toBe(false);
  });

  it("when a step was due yesterday and is not done, then it is 1 day late and overdue", () => {
    const step = { dueDate: "2022-01-14", status: "in_progress" };
    expect(daysLate(step, "2022-01-15")).toBe(1);
    expect(isOverdue(step, "2022-01-15")).toBe(true);
  });

  it("when a step is due in the future, then it is 0 days late, not negative", () => {
    const step = { dueDate: "2022-01-14", status: "not_started" };
    expect(daysLate(step, "2022-01-10")).toBe(0);
    expect(isOverdue(step, "2022-01-10")).toBe(false);
  });

  it("when a step is done, then it is never late, however long ago it was due", () => {
    const step = { dueDate: "2022-01-14", status: "done" };
    expect(daysLate(step, "2022-06-01")).toBe(0);
    expect(isOverdue(step, "2022-06-01")).toBe(false);
  });

  it("when a blocked step is past its due date, then it still counts as late", () => {
    const step = { dueDate: "2022-01-14", status: "blocked" };
    expect(daysLate(step, "2022-01-20")).toBe(6);
    expect(isOverdue(step, "2022-01-20")).toBe(true);
  });

  it("when the due date was at the end of February, then days late count across the month and year end correctly", () => {
    expect(daysLate({ dueDate: "2022-02-28", status: "not_started" }, "2022-03-01")).toBe(1);
    expect(daysLate({ dueDate: "2024-02-28", status: "not_started" }, "2024-03-01")).toBe(2);
    expect(daysLate({ dueDate: "2022-12-31", status: "not_started" }, "2023-01-02")).toBe(2);
  });
});

describe("applyReport: what a progress report leaves a step in", () => {
  it("when a focal point reports 60%, then the step is in progress at 60", () => {
    expect(applyReport({ progress: 20 }, { percent: 60, status: "in_progress" })).toEqual({ progress: 60, status: "in_progress" });
  });

  it("when the percentage disagrees with the status given, then the percentage decides", () => {
    expect(applyReport({ progress: 0 }, { percent: 40, status: "not_started" })).toEqual({ progress: 40, status: "in_progress" });
    expect(applyReport({ progress: 40 }, { percent: 0, status: "in_progress" })).toEqual({ progress: 0, status: "not_started" });
  });

  it("when a focal point reports 100%, then the step is done", () => {
    expect(applyReport({ progress: 60 }, { percent: 100, status: "in_progress" })).toEqual({ progress: 100, status: "done" });
  });

  it("when a report says the step is done without a percentage, then progress becomes 100", () => {
    expect(applyReport({ progress: 60 }, { percent: null, status: "done" })).toEqual({ progress: 100, status: "done" });
  });

  it("when a report says done with a lower percentage, then the step is still done at 100", () => {
    expect(applyReport({ progress: 10 }, { percent: 50, status: "done" })).toEqual({ progress: 100, status: "done" });
  });

  it("when a focal point says the step is blocked without a percentage, then the previous progress is kept", () => {
    expect(applyReport({ progress: 45 }, { percent: null, status: "blocked" })).toEqual({ progress: 45, status: "blocked" });
  });

  it("when a focal point says the step is blocked at 30%, then it is blocked at 30", () => {
    expect(applyReport({ progress: 45 }, { percent: 30, status: "blocked" })).toEqual({ progress: 30, status: "blocked" });
  });

  it("when a report has no percentage and says in progress, then the previous progress is kept", () => {
    expect(applyReport({ progress: 45 }, { percent: null, status: "in_progress" })).toEqual({ progress: 45, status: "in_progress" });
  });

  it("when a blocked step gets a new percentage without saying blocked, then it is unblocked", () => {
    expect(applyReport({ progress: 30 }, { percent: 50, status: "in_progress" })).toEqual({ progress: 50, status: "in_progress" });
  });
});

describe("isSilent: a unit with open steps and no report for a while", () => {
  const since = new Date("2024-03-18T00:00:00Z");
  const step = (status: string, lastReportAt: string | null) => ({ status, lastReportAt: lastReportAt ? new Date(lastReportAt) : null });

  it("when no step was reported since, then an open unit is silent, and one that never reported too", () => {
    expect(isSilent([step("done", "2024-03-01T00:00:00Z"), step("not_started", null)], since)).toBe(true);
    expect(isSilent([step("not_started", null)], since)).toBe(true);
  });

  it("when any of its steps was reported since, even a done one, then it is not silent", () => {
    expect(isSilent([step("done", "2024-03-20T00:00:00Z"), step("not_started", null)], since)).toBe(false);
    expect(isSilent([step("in_progress", "2024-03-18T00:00:00Z")], since)).toBe(false);
  });

  it("when every step is done, then there is nothing to hear about and it is not silent", () => {
    expect(isSilent([step("done", "2024-01-01T00:00:00Z")], since)).toBe(false);
  });

  it("when someone never reported, or last reported before the moment silence counts from, then they are silent; at that moment is not", () => {
    expect(silentSince(null, since)).toBe(true);
    expect(silentSince(new Date(since.getTime() - 1), since)).toBe(true);
    expect(silentSince(since, since)).toBe(false);
  });
});

describe("countSteps: a program's steps by where they stand, each counted once", () => {
  it("when steps are done, on track, late, blocked and both, then a late blocked step counts as late, as the recap counts it", () => {
    const today = "2022-01-11";
    const steps = [
      { dueDate: "2022-01-07", status: "done", today },
      { dueDate: "2022-01-07", status: "not_started", today },
      { dueDate: "2022-01-07", status: "blocked", today },
      { dueDate: "2022-01-14", status: "blocked", today },
      { dueDate: "2022-01-14", status: "in_progress", today },
      { dueDate: "2022-01-11", status: "not_started", today },
    ];
    expect(countSteps(steps)).toEqual({ done: 1, onTrack: 2, late: 2, blocked: 1 });
  });
});

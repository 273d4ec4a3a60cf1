import { describe, expect, it } from "vitest";
import { milestoneToLoad, reportStep, typedPercent, withFile, type ReportEvent, type ReportState } from "../../../src/bot/features/report.js";
import type { EvidenceInput, MilestoneView } from "../../../src/services/milestones.js";

// The /lapor flow's transitions, without Telegram or a database: state + event → next state and what to show.

const step = (progress = 40): MilestoneView => ({
  id: 7,
  title: "SK tim replikasi",
  dueDate: "2022-01-17",
  weight: 1,
  progress,
  status: progress === 0 ? "not_started" : "in_progress",
  lastReportAt: null,
  initiative: { id: 1, name: "SIP Banget", origin: null },
  unit: { id: 1, name: "Dinas Pertanian", code: "DISTAN" },
  region: { id: 1, name: "Bangka Barat", timezone: "Asia/Jakarta" },
  program: { id: 1, name: "Replikasi" },
  today: "2022-01-11",
  daysLate: 0,
});
const photo = (n: number): EvidenceInput => ({
  kind: "photo",
  fileId: `f${n}`,
  fileUniqueId: `u${n}`,
  fileName: null,
  mimeType: "image/jpeg",
  chatId: 1,
  messageId: n,
});
const press = (action: string, arg?: string | number): ReportEvent => ({ type: "press", press: { action, arg: arg === undefined ? undefined : String(arg) } });
const text = (t: string): ReportEvent => ({ type: "text", text: t });
const file = (n: number, caption: string | null = null): ReportEvent => ({ type: "file", file: photo(n), caption });

const percentStep: ReportState = { step: "percent", milestoneId: 7 };
const noteStep = (reason: "blocked" | "decrease" | null, percent: number | null = 60): ReportState => ({
  step: "note",
  milestoneId: 7,
  percent,
  status: reason === "blocked" ? "blocked" : "in_progress",
  reason,
  previous: 40,
});
const confirmStep: ReportState = { step: "confirm", milestoneId: 7, percent: 60, status: "in_progress", note: "draf selesai", evidence: [photo(1)] };

describe("the report flow", () => {
  it("when a step is picked, then it asks for the percentage of that step, keeping files a reply brought", () => {
    const state: ReportState = { step: "milestone", evidence: [photo(1)] };
    expect(milestoneToLoad(state, press("m", 7))).toBe(7);
    expect(reportStep(state, press("m", 7), step())).toEqual({
      to: { step: "percent", milestoneId: 7, evidence: [photo(1)] },
      show: { view: "percent", title: "SK tim replikasi", progress: 40 },
    });
  });

  it("when the step list gets anything but a step button, then a press is stale, text passes, a file is not yet", () => {
    const state: ReportState = { step: "milestone" };
    expect(milestoneToLoad(state, press("m", "abc"))).toBeNull();
    expect(reportStep(state, press("m", "abc"), null)).toBe("stale");
    expect(reportStep(state, press("ok"), null)).toBe("stale");
    expect(reportStep(state, text("60%"), null)).toBe("pass");
    expect(reportStep(state, file(1), null)).toEqual({ say: { notice: "not_yet" } });
  });

  it("when a percentage button or a typed one comes, then it asks for a note, with Lewati only when none is required", () => {
    expect(milestoneToLoad(percentStep, press("p", 75))).toBe(7);
    expect(reportStep(percentStep, press("p", 75), step())).toEqual({
      to: { step: "note", milestoneId: 7, percent: 75, status: "in_progress", reason: null, previous: 40 },
      show: { view: "note", reason: null, from: 40, to: 75 },
    });
    expect(reportStep(percentStep, text(" 100 persen "), step())).toMatchObject({ to: { percent: 100, status: "done", reason: null } });
    // Lower than the step stands at: the note is the reason, required.
    expect(reportStep(percentStep, text("25%"), step())).toMatchObject({
      to: { reason: "decrease" },
      show: { view: "note", reason: "decrease", from: 40, to: 25 },
    });
    expect(reportStep(percentStep, press("b"), step())).toMatchObject({ to: { percent: null, status: "blocked", reason: "blocked" } });
  });

  it("when the percentage is out of range, not a number, or a forged button, then nothing moves", () => {
    expect(typedPercent("150")).toBeNull();
    expect(typedPercent("enam puluh")).toBeNull();
    expect(typedPercent("0")).toBe(0);
    expect(reportStep(percentStep, text("150"), step())).toEqual({ say: { notice: "bad_percent" } });
    expect(reportStep(percentStep, press("p", 33), step())).toBe("stale");
    expect(reportStep(percentStep, press("ok"), step())).toBe("stale");
    expect(reportStep(percentStep, file(1), step())).toEqual({ say: { notice: "not_yet" } });
  });

  it("when the note comes as text, a Lewati, or a photo's caption, then the confirmation shows it with the files", () => {
    expect(reportStep(noteStep(null), text("  draf selesai  "), step())).toEqual({
      to: { step: "confirm", milestoneId: 7, percent: 60, status: "in_progress", note: "draf selesai", evidence: [] },
      show: { view: "confirm", title: "SK tim replikasi", progress: 60, status: "in_progress", note: "draf selesai", files: 0 },
    });
    expect(reportStep(noteStep(null), press("skip"), step())).toMatchObject({ to: { step: "confirm", note: null } });
    expect(reportStep(noteStep(null), file(2, "foto rapat"), step())).toMatchObject({ to: { note: "foto rapat", evidence: [photo(2)] }, show: { files: 1 } });
    expect(reportStep(noteStep(null), file(2), step())).toMatchObject({ to: { note: null, evidence: [photo(2)] } });
    expect(reportStep(noteStep("blocked", null), text("anggaran belum cair"), step())).toMatchObject({
      show: { view: "confirm", progress: 40, status: "blocked", note: "anggaran belum cair" },
    });
  });

  it("when a reason is required, then Lewati is stale and an uncaptioned photo asks for the reason again", () => {
    expect(reportStep(noteStep("blocked", null), press("skip"), step())).toBe("stale");
    expect(reportStep(noteStep("blocked", null), file(3), step())).toEqual({ say: { notice: "reason_missing", reason: "blocked", from: 40, to: 40 } });
    expect(reportStep(noteStep("decrease", 25), file(3), step())).toEqual({ say: { notice: "reason_missing", reason: "decrease", from: 40, to: 25 } });
  });

  it("when the confirmation is open, then Simpan saves, a file joins, text passes, and no step is read", () => {
    expect(milestoneToLoad(confirmStep, press("ok"))).toBeNull();
    expect(reportStep(confirmStep, press("ok"), null)).toEqual({ save: confirmStep });
    expect(reportStep(confirmStep, press("skip"), null)).toBe("stale");
    expect(reportStep(confirmStep, file(2), null)).toEqual({ addFile: photo(2) });
    expect(reportStep(confirmStep, text("tambahan"), null)).toBe("pass");
  });

  it("when files join the confirmation, then each counts once, up to the limit", () => {
    const two = withFile(confirmStep, photo(2));
    expect(two).toMatchObject({ evidence: [photo(1), photo(2)] });
    expect(withFile(two as ReportState, photo(2))).toEqual(two);
    const full: ReportState = { ...confirmStep, evidence: Array.from({ length: 10 }, (_, i) => photo(i + 1)) };
    expect(withFile(full, photo(11))).toBe("full");
    expect(withFile(percentStep, photo(2))).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { messageBudget, splitMessages } from "../../src/bot/format.js";
import { digestBlocks } from "../../src/bot/outbox-sender.js";
import type { MilestoneView } from "../../src/services/milestones.js";
import type { Digest, UnitWeek } from "../../src/services/digests.js";

// How a head's weekly digest reads: in the person's language, each list capped, and split into
// messages only when it is too long for one.

const today = "2022-01-10";
const schedule = { programId: 1, programName: "Replikasi Inovasi 2022 Kabupaten Bangka Barat", enabled: true, weekday: 1, hour: 8 };

function step(title: string, dueDate: string, daysLate = 0): MilestoneView {
  return {
    id: 1,
    title,
    dueDate,
    weight: 1,
    progress: 0,
    status: "not_started",
    lastReportAt: null,
    initiative: { id: 1, name: "SIP Banget", origin: "Kota Batu" },
    unit: { id: 1, name: "Dinas Pariwisata dan Kebudayaan", code: "BABAR-DISPARBUD" },
    region: { id: 1, name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" },
    program: { id: 1, name: schedule.programName },
    today,
    daysLate,
  };
}

function headDigest(unit: Partial<UnitWeek>): Digest {
  return {
    level: "head",
    schedule,
    week: { from: "2022-01-03", to: today },
    silentDays: 14,
    units: [
      {
        name: "Dinas Pariwisata dan Kebudayaan",
        region: "Kabupaten Bangka Barat",
        timezone: "Asia/Jakarta",
        reported: [],
        dueSoon: [],
        late: [],
        focalPoints: 1,
        silentFocalPoints: [],
        ...unit,
      },
    ],
  };
}

describe("digestBlocks: a head's weekly digest in words", () => {
  it("when the head reads English, then the week reads in English, with the focal point who never reported", () => {
    const text = digestBlocks(
      headDigest({
        dueSoon: [step("Penyusunan SOP layanan", "2022-01-14")],
        silentFocalPoints: [{ name: "Sari", lastReportAt: null, blocked: true }],
      }),
      "en",
    ).join("\n\n");
    expect(text).toContain("📬 <b>Weekly digest — Replikasi Inovasi 2022 Kabupaten Bangka Barat</b>\nWeek 3 Jan 2022 – 10 Jan 2022");
    expect(text).toContain("✍️ No reports this week.");
    expect(text).toContain("• Penyusunan SOP layanan — Friday, 14 January 2022 (in 4 days) · not started (0%)");
    expect(text).toContain("🔴 No overdue steps 👍");
    expect(text).toContain("• Sari — never reported (blocked the bot)");
    expect(text).toContain("Sent every Monday at 08:00.");
  });

  it("when a unit has no focal point, then the digest says so instead of listing silence", () => {
    expect(digestBlocks(headDigest({ focalPoints: 0 }), "id").join("\n")).toContain("Unit ini belum punya PIC yang terdaftar");
  });

  it("when a list is long and names are long, then ten items are shown, the rest counted, and the digest is split only to fit", () => {
    const late = Array.from({ length: 25 }, (_, i) => step(`${"Tahapan dengan nama yang sangat panjang sekali ".repeat(4)}${i + 1}`, "2022-01-03", 7));
    const blocks = digestBlocks(headDigest({ late, dueSoon: late.slice(0, 12).map((m) => ({ ...m, dueDate: "2022-01-20", daysLate: 0 })) }), "id");
    const text = blocks.join("\n\n");
    expect(text).toContain("Terlambat (25)");
    expect(text).toContain("• dan 15 lainnya");
    expect(text).toContain("• dan 2 lainnya");
    expect(text).not.toContain("panjang sekali 11 —");
    const parts = splitMessages(blocks);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= messageBudget)).toBe(true);
    expect(parts.join("\n\n")).toBe(text);
  });
});

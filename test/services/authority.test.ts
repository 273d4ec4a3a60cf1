import { describe, expect, it } from "vitest";
import { mayManage, type Authority } from "../../src/services/authority.js";

// Who may act on a seat: the one check behind listing and revoking invites and removing people.

const unit = (id: number) => ({ id, code: `U-${id}`, name: `Unit ${id}`, regionId: 1, region: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" });
const seat = (role: string, place: { unitId?: number; programId?: number; regionId?: number }) => ({
  role,
  unitId: place.unitId ?? null,
  programId: place.programId ?? null,
  regionId: place.regionId ?? null,
});

const admin: Authority = { admin: true, programs: [], units: [], reach: new Map() };
const wholeProgram: Authority = {
  admin: false,
  programs: [{ id: 1, name: "Babar", regionIds: null }],
  units: [unit(10), unit(12)],
  // Unit 12 also takes part in program 2, which this coordinator does not run.
  reach: new Map([
    [10, { programIds: [1], whole: true }],
    [12, { programIds: [1], whole: false }],
  ]),
};
const oneRegion: Authority = { ...wholeProgram, programs: [{ id: 1, name: "Babar", regionIds: [5] }] };
const bothPrograms: Authority = {
  admin: false,
  programs: [
    { id: 1, name: "Babar", regionIds: null },
    { id: 2, name: "Sumbar", regionIds: null },
  ],
  units: [unit(12)],
  reach: new Map([[12, { programIds: [1, 2], whole: true }]]),
};

describe("mayManage", () => {
  it("lets an admin act on every seat, coordinators' included", () => {
    expect(mayManage(admin, seat("pic", { unitId: 99 }), "member")).toBe(true);
    expect(mayManage(admin, seat("koordinator", { programId: 7 }), "member")).toBe(true);
  });

  it("lets a coordinator act on the seats of their units only", () => {
    for (const what of ["invite", "member"] as const) {
      expect(mayManage(wholeProgram, seat("pic", { unitId: 10 }), what)).toBe(true);
      expect(mayManage(wholeProgram, seat("kepala", { unitId: 10 }), what)).toBe(true);
      expect(mayManage(wholeProgram, seat("pic", { unitId: 11 }), what)).toBe(false);
    }
  });

  it("leaves a seat of one program to that program's coordinators, even in a unit both programs share", () => {
    for (const what of ["invite", "member"] as const) {
      expect(mayManage(wholeProgram, seat("pic", { unitId: 10, programId: 1 }), what)).toBe(true);
      expect(mayManage(wholeProgram, seat("pic", { unitId: 10, programId: 2 }), what)).toBe(false);
    }
  });

  it("leaves a whole-unit seat of a unit shared with another program to someone coordinating both", () => {
    for (const what of ["invite", "member"] as const) {
      expect(mayManage(wholeProgram, seat("pic", { unitId: 12 }), what)).toBe(false);
      expect(mayManage(wholeProgram, seat("pic", { unitId: 12, programId: 1 }), what)).toBe(true);
      expect(mayManage(bothPrograms, seat("pic", { unitId: 12 }), what)).toBe(true);
      expect(mayManage(admin, seat("pic", { unitId: 12 }), what)).toBe(true);
    }
  });

  it("lets a coordinator revoke coordinator invites of their program, never wider than their region, and remove no coordinator", () => {
    expect(mayManage(wholeProgram, seat("koordinator", { programId: 1 }), "invite")).toBe(true);
    expect(mayManage(wholeProgram, seat("koordinator", { programId: 2 }), "invite")).toBe(false);
    expect(mayManage(wholeProgram, seat("koordinator", { programId: 1 }), "member")).toBe(false);
    expect(mayManage(oneRegion, seat("koordinator", { programId: 1, regionId: 5 }), "invite")).toBe(true);
    expect(mayManage(oneRegion, seat("koordinator", { programId: 1, regionId: 6 }), "invite")).toBe(false);
    expect(mayManage(oneRegion, seat("koordinator", { programId: 1 }), "invite")).toBe(false);
  });
});

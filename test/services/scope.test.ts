import { describe, expect, it } from "vitest";
import { coordinatorSeatsFilter, coversProgram, coversRegion, reachFilter, withinReach } from "../../src/services/scope.js";

describe("a person's scope: the predicates every query uses", () => {
  it("when a unit seat is for the whole unit, then it covers every program; else only its own", () => {
    expect(coversProgram({ programId: null }, 7)).toBe(true);
    expect(coversProgram({ programId: 7 }, 7)).toBe(true);
    expect(coversProgram({ programId: 8 }, 7)).toBe(false);
  });

  it("when a coordinator's seat is for the whole program, then it covers every region; else only its own", () => {
    expect(coversRegion({ regionId: null }, 3)).toBe(true);
    expect(coversRegion({ regionId: 3 }, 3)).toBe(true);
    expect(coversRegion({ regionId: 4 }, 3)).toBe(false);
    // A region not created yet is covered only by the whole program.
    expect(coversRegion({ regionId: 4 }, undefined)).toBe(false);
  });

  it("when a coordinator reaches some regions, then only seats of those regions are within reach, never the whole program's", () => {
    const regional = { id: 1, regionIds: [3, 5] };
    expect(withinReach(regional, 5)).toBe(true);
    expect(withinReach(regional, 4)).toBe(false);
    expect(withinReach(regional, null)).toBe(false);
    expect(withinReach({ regionIds: null }, null)).toBe(true);
    expect(reachFilter(regional)).toEqual({ regionId: { in: [3, 5] } });
    expect(reachFilter({ regionIds: null })).toEqual({});
    expect(coordinatorSeatsFilter(regional)).toEqual({ role: "koordinator", programId: 1, regionId: { in: [3, 5] } });
  });
});

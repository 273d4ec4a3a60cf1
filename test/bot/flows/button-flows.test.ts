import { describe, expect, it } from "vitest";
import { inviteListPress } from "../../../src/bot/features/invite-list.js";
import { leavePress } from "../../../src/bot/features/leave.js";
import { membersPress } from "../../../src/bot/features/members.js";

// The button-only flows (the invite list, /anggota, /keluar): which press does what at which step.

const press = (action: string, arg?: string) => ({ action, arg });

describe("the invite list", () => {
  it("when a revoke, a page or a confirmation is pressed, then only at its own step and for its own invite", () => {
    const list = { step: "list" as const, page: 0 };
    const confirm = { step: "confirm" as const, inviteId: 4 };
    expect(inviteListPress(list, press("r", "4"))).toEqual({ check: 4 });
    expect(inviteListPress(list, press("p", "1"))).toEqual({ page: 1 });
    expect(inviteListPress(list, press("ok", "4"))).toBe("stale");
    expect(inviteListPress(confirm, press("ok", "4"))).toEqual({ revoke: 4 });
    expect(inviteListPress(confirm, press("ok", "5"))).toBe("stale");
    expect(inviteListPress(confirm, press("r", "4"))).toBe("stale");
    expect(inviteListPress(list, press("r", "-1"))).toBe("stale");
  });
});

describe("/anggota", () => {
  it("when remove or replace is pressed, then the confirmation says which, and only that seat is removed", () => {
    const list = { step: "list" as const, query: "DISTAN", page: 0 };
    expect(membersPress(list, press("r", "9"))).toEqual({ check: 9, replace: false });
    expect(membersPress(list, press("g", "9"))).toEqual({ check: 9, replace: true });
    expect(membersPress(list, press("p", "2"))).toEqual({ page: 2 });
    const confirm = { step: "confirm" as const, membershipId: 9, replace: true };
    expect(membersPress(confirm, press("ok", "9"))).toEqual({ remove: 9, replace: true });
    expect(membersPress(confirm, press("ok", "8"))).toBe("stale");
    expect(membersPress(confirm, press("p", "1"))).toBe("stale");
  });
});

describe("/keluar", () => {
  it("when a seat is chosen and confirmed, then it is left; a seat no longer one's own is stale", () => {
    expect(leavePress({ step: "choose" }, press("m", "3"), 3)).toEqual({ confirm: 3 });
    expect(leavePress({ step: "choose" }, press("m", "3"), null)).toBe("stale");
    expect(leavePress({ step: "confirm", membershipId: 3 }, press("ok", "3"), 3)).toEqual({ leave: 3 });
    expect(leavePress({ step: "confirm", membershipId: 3 }, press("ok", "4"), 4)).toBe("stale");
    expect(leavePress({ step: "confirm", membershipId: 3 }, press("m", "3"), 3)).toBe("stale");
  });
});

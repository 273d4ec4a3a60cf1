import { describe, expect, it } from "vitest";
import { checkOwnName, displayName, normalize, personName, reporterName, withoutAccents } from "../../src/domain/text.js";

const person = (firstName: string | null, lastName: string | null, username: string | null) => ({ firstName, lastName, username, telegramId: 42n });

describe("text rules shared by services and the bot", () => {
  it("when a typed name differs in case and spacing, then it normalises to the stored one", () => {
    expect(normalize("  Dinas   Pariwisata\tdan KEBUDAYAAN ")).toBe("dinas pariwisata dan kebudayaan");
  });

  it("when a name has accents, then codes and file names get plain letters", () => {
    expect(withoutAccents("Kebudayaan Pémda Ñ")).toBe("Kebudayaan Pemda N");
  });

  it("when a person has a name, then it is used, else @username, else nothing", () => {
    expect(personName(person("Rina", "Wati", "rina"))).toBe("Rina Wati");
    expect(personName(person(null, null, "rina"))).toBe("@rina");
    expect(personName(person(null, null, null))).toBeNull();
  });

  it("when a person is listed, then name and username show, else whichever is known, else the Telegram id", () => {
    expect(displayName(person("Rina", null, "rina"))).toBe("Rina (@rina)");
    expect(displayName(person("Rina", "Wati", null))).toBe("Rina Wati");
    expect(displayName(person(null, null, "rina"))).toBe("@rina");
    expect(displayName(person(null, null, null))).toBe("#42");
  });

  it("when a person gives their own name, then whitespace runs are one space; empty, over 64 characters, line breaks and direction overrides are refused", () => {
    expect(checkOwnName("  Rina   Marlina, S.E. ")).toEqual({ ok: true, name: "Rina Marlina, S.E." });
    expect(checkOwnName("Ñoño 🙂")).toEqual({ ok: true, name: "Ñoño 🙂" });
    expect(checkOwnName("   ")).toEqual({ ok: false, reason: "empty" });
    expect(checkOwnName("é".repeat(64))).toMatchObject({ ok: true });
    expect(checkOwnName("é".repeat(65))).toEqual({ ok: false, reason: "too_long" });
    expect(checkOwnName("Rina\nMarlina")).toEqual({ ok: false, reason: "control" });
    expect(checkOwnName("Rina\u202eanilraM")).toEqual({ ok: false, reason: "control" });
  });

  it("when a reporter's data was erased, then the report names their seat as PIC <unit>", () => {
    expect(reporterName({ firstName: "Rina", lastName: null, username: null }, "Dinas Koperasi")).toBe("Rina");
    expect(reporterName({ firstName: null, lastName: null, username: null }, "Dinas Koperasi")).toBe("PIC Dinas Koperasi");
  });
});

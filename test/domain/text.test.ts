import { describe, expect, it } from "vitest";
import { displayName, normalize, personName, withoutAccents } from "../../src/domain/text.js";

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
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FlowKind, idOf, parsePress } from "../../../src/bot/flows/flow.js";
import { flows } from "../../../src/bot/flows/registry.js";

// What every flow shares: its button data, its state read through a schema, the registry.

describe("flows", () => {
  const kind = new FlowKind("test", "ts", z.discriminatedUnion("step", [z.object({ step: z.literal("a"), n: z.number().int() })]));

  it("when a button is made, then its data names the flow, the token, the action and the argument, and parses back", () => {
    const button = kind.buttons("tok-1_x")("Ya", "ok", 42);
    expect(button).toMatchObject({ text: "Ya", callback_data: "ts:tok-1_x:ok:42" });
    expect(parsePress("ts:tok-1_x:ok:42")).toEqual({ prefix: "ts", token: "tok-1_x", press: { action: "ok", arg: "42" } });
    expect(parsePress("ts:tok:x")).toEqual({ prefix: "ts", token: "tok", press: { action: "x", arg: undefined } });
    // Buttons that are not a flow's: the undo of a report, a broadcast's cancel, the language.
    expect(parsePress("un:12")).toBeNull();
    expect(parsePress("lang:id")).toBeNull();
    expect(parsePress("ts:tok:ok:1:2")).toBeNull();
  });

  it("when an argument is not a plain number, then it is no id", () => {
    expect(idOf("12")).toBe(12);
    expect(idOf(undefined)).toBeNull();
    expect(idOf("1e3")).toBeNull();
    expect(idOf("-1")).toBeNull();
    expect(idOf("9999999999")).toBeNull();
  });

  it("when a stored state does not fit the flow's schema, then it is not read (the router ends the flow)", () => {
    expect(kind.read({ step: "a", n: 1 })).toEqual({ step: "a", n: 1 });
    expect(kind.read({ step: "a", n: "1" })).toBeNull();
    expect(kind.read({ step: "b" })).toBeNull();
    expect(kind.read(undefined)).toBeNull();
  });

  it("when the registry is read, then every flow has its own kind and button prefix, as stored by earlier versions", () => {
    expect(flows.map((f) => [f.kind, f.prefix])).toEqual([
      ["report", "lp"],
      ["broadcast", "bc"],
      ["plan-upload", "pu"],
      ["invites", "iv"],
      ["members", "mb"],
      ["leave", "kl"],
      ["erase", "pd"],
      ["reply-step", "rs"],
      ["away", "ct"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { checkInitData, futureSkewSeconds } from "../../src/miniapp/init-data.js";

// A fake token, assembled at run time so that no token-shaped literal sits in the repository.
const TOKEN = ["123456789", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"].join(":");

// Computed outside Pantau (Python's hmac, following Telegram's page step by step) for TOKEN:
// secret = HMAC_SHA256("WebAppData", TOKEN); hash = hex(HMAC_SHA256(secret, sorted "key=value" lines)).
const user =
  '{"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","username":"vdkfrost","language_code":"ru","is_premium":true,"allows_write_to_pm":true}';
const vector = new URLSearchParams({
  auth_date: "1641866400",
  query_id: "AAHdF6IQAAAAAN0XohDhrOrc",
  user,
  hash: "776a241096285794bd288e246179aa5c9946729eb80cffc9ce207f5cf2f2aa14",
});
const signedAt = new Date(1641866400 * 1000);
const hour = 3600;

const variant = (change: (p: URLSearchParams) => void) => {
  const p = new URLSearchParams(vector);
  change(p);
  return p.toString();
};
const at = (secondsAfterSigning: number) => new Date(signedAt.getTime() + secondsAfterSigning * 1000);

describe("checkInitData: the Mini App's init data as Telegram signs it", () => {
  it("when the data is Telegram's for this bot and fresh, then it vouches for the user in it", () => {
    const check = checkInitData(vector.toString(), TOKEN, at(60), hour);
    expect(check).toEqual({ ok: true, authDate: signedAt, user: { id: 279058397, firstName: "Vladislav", languageCode: "ru" } });
  });

  it("when the fields come in another order, then the hash still matches (the check string is sorted)", () => {
    const shuffled = new URLSearchParams([...vector.entries()].reverse()).toString();
    expect(checkInitData(shuffled, TOKEN, at(0), hour).ok).toBe(true);
  });

  it("when any field is changed, then the hash no longer matches", () => {
    const forged = variant((p) => p.set("user", user.replace("279058397", "279058398")));
    expect(checkInitData(forged, TOKEN, at(0), hour)).toEqual({ ok: false, reason: "hash" });
    const later = variant((p) => p.set("auth_date", "1641870000"));
    expect(checkInitData(later, TOKEN, at(0), hour)).toEqual({ ok: false, reason: "hash" });
    const added = variant((p) => p.set("chat_type", "private"));
    expect(checkInitData(added, TOKEN, at(0), hour)).toEqual({ ok: false, reason: "hash" });
  });

  it("when the hash is changed, cut or not hex, or signed with another bot's token, then it is refused", () => {
    const hash = vector.get("hash")!;
    for (const bad of [`${hash.slice(0, -1)}5`, hash.slice(0, 32), "zz".repeat(32), `${hash}00`]) {
      expect(
        checkInitData(
          variant((p) => p.set("hash", bad)),
          TOKEN,
          at(0),
          hour,
        ),
        bad,
      ).toEqual({ ok: false, reason: "hash" });
    }
    const otherBot = ["987654321", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"].join(":");
    expect(checkInitData(vector.toString(), otherBot, at(0), hour)).toEqual({ ok: false, reason: "hash" });
  });

  it("when the hash is missing or given twice, or there is no init data, then it is refused as missing", () => {
    expect(
      checkInitData(
        variant((p) => p.delete("hash")),
        TOKEN,
        at(0),
        hour,
      ),
    ).toEqual({ ok: false, reason: "missing" });
    expect(checkInitData(`${vector.toString()}&hash=${vector.get("hash")}`, TOKEN, at(0), hour)).toEqual({ ok: false, reason: "missing" });
    expect(checkInitData("", TOKEN, at(0), hour)).toEqual({ ok: false, reason: "missing" });
    expect(checkInitData(undefined, TOKEN, at(0), hour)).toEqual({ ok: false, reason: "missing" });
  });

  it("when auth_date is older than the limit, then it is stale; at the limit it is still accepted", () => {
    expect(checkInitData(vector.toString(), TOKEN, at(hour), hour).ok).toBe(true);
    expect(checkInitData(vector.toString(), TOKEN, at(hour + 1), hour)).toEqual({ ok: false, reason: "stale" });
    expect(checkInitData(vector.toString(), TOKEN, at(hour + 1), 2 * hour).ok).toBe(true);
  });

  it("when auth_date lies in the future beyond a small skew, then it is refused", () => {
    expect(checkInitData(vector.toString(), TOKEN, at(-futureSkewSeconds), hour).ok).toBe(true);
    expect(checkInitData(vector.toString(), TOKEN, at(-futureSkewSeconds - 1), hour)).toEqual({ ok: false, reason: "future" });
  });
});

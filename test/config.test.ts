import { describe, expect, it } from "vitest";
import { ConfigError, httpHost, loadBotConfig, loadConfig } from "../src/config.js";

// A token of the shape BotFather hands out (fake).
// A fake token, assembled at run time so that no token-shaped literal sits in the repository.
const TOKEN = ["123456789", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"].join(":");

/** The problems a configuration is refused with (fails the test when it is accepted). */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    // The error message itself lists the same problems, one per line.
    expect((err as ConfigError).message).toBe(problems.join("\n"));
    return problems;
  }
  throw new Error("the configuration was accepted");
}

describe("loadBotConfig: starting the bot", () => {
  it("when BOT_TOKEN is missing, then the admin gets one Indonesian sentence pointing to @BotFather and BOT_TOKEN", () => {
    const problems = problemsOf(() => loadBotConfig({}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/BotFather/);
    expect(problems[0]).toMatch(/BOT_TOKEN/);
    expect(problems[0]).toMatch(/belum diisi/);
  });

  it("when BOT_TOKEN is an empty string, then it counts as missing", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: "" }));
    expect(problems).toEqual([expect.stringMatching(/belum diisi.*BotFather/)]);
  });

  it("when BOT_TOKEN is not shaped like a bot token, then the admin is told to check the copy from @BotFather", () => {
    for (const bad of ["abc", "123456789", "123456789:short", `bot${TOKEN}`, `${TOKEN} x`]) {
      const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: bad }));
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toMatch(/BOT_TOKEN tidak berbentuk token bot/);
      expect(problems[0], bad).toMatch(/BotFather/);
    }
  });

  it("when only BOT_TOKEN is set, then every other setting takes its default", () => {
    expect(loadBotConfig({ BOT_TOKEN: TOKEN })).toEqual({
      BOT_TOKEN: TOKEN,
      DATABASE_URL: "file:./data/pantau.db",
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      ADMIN_TELEGRAM_IDS: [],
      DEFAULT_TIMEZONE: "Asia/Jakarta",
      LOG_LEVEL: "info",
      TELEGRAM_RATE_LIMIT: 28,
      OUTBOX_LEASE_SECONDS: 120,
      FLOOD_LIMIT_PER_MINUTE: 60,
      BACKUP_HOUR: 2,
      BACKUP_KEEP: 7,
      PORT: 8080,
      MINIAPP_AUTH_MAX_AGE: 3600,
    });
  });

  it("when daily backups are configured wrongly, then each mistake is refused in Indonesian; a folder turns them on", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "/var/backups/pantau", BACKUP_HOUR: "24", BACKUP_KEEP: "0" }));
    expect(problems).toEqual(["BACKUP_HOUR harus berupa jam 0–23, mis. 2", "BACKUP_KEEP paling sedikit 1"]);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, BACKUP_HOUR: "dini hari" })).toThrow(/BACKUP_HOUR harus berupa jam 0–23/);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, BACKUP_KEEP: "2.5" })).toThrow(/BACKUP_KEEP harus bilangan bulat/);
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "/var/backups/pantau", BACKUP_HOUR: "23", BACKUP_KEEP: "30" })).toMatchObject({
      BACKUP_DIR: "/var/backups/pantau",
      BACKUP_HOUR: 23,
      BACKUP_KEEP: 30,
    });
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, BACKUP_DIR: "" }).BACKUP_DIR).toBeUndefined();
  });

  it("when the rate limit or the outbox lease is not a positive number, then each is refused in Indonesian", () => {
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, TELEGRAM_RATE_LIMIT: "0" })).toThrow(/TELEGRAM_RATE_LIMIT harus lebih dari 0/);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, TELEGRAM_RATE_LIMIT: "cepat" })).toThrow(/TELEGRAM_RATE_LIMIT harus berupa angka/);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, OUTBOX_LEASE_SECONDS: "0.5" })).toThrow(/OUTBOX_LEASE_SECONDS harus bilangan bulat/);
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, TELEGRAM_RATE_LIMIT: "100" }).TELEGRAM_RATE_LIMIT).toBe(100);
  });

  it("when the flood limit is not a whole number of at least 10, then it is refused in Indonesian", () => {
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, FLOOD_LIMIT_PER_MINUTE: "banyak" })).toThrow(/FLOOD_LIMIT_PER_MINUTE harus berupa angka/);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, FLOOD_LIMIT_PER_MINUTE: "30.5" })).toThrow(/FLOOD_LIMIT_PER_MINUTE harus bilangan bulat/);
    expect(() => loadBotConfig({ BOT_TOKEN: TOKEN, FLOOD_LIMIT_PER_MINUTE: "5" })).toThrow(/FLOOD_LIMIT_PER_MINUTE paling sedikit 10/);
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, FLOOD_LIMIT_PER_MINUTE: "120" }).FLOOD_LIMIT_PER_MINUTE).toBe(120);
  });

  it("when settings are given as empty strings, then their defaults are used", () => {
    const config = loadBotConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "", DEFAULT_TIMEZONE: "", LOG_LEVEL: "", TELEGRAM_API_ROOT: "" });
    expect(config.DATABASE_URL).toBe("file:./data/pantau.db");
    expect(config.DEFAULT_TIMEZONE).toBe("Asia/Jakarta");
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
  });

  it("when ADMIN_TELEGRAM_IDS lists ids with spaces and empty items, then they become numbers", () => {
    const config = loadBotConfig({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: "123456, 7890123 ,,42" });
    expect(config.ADMIN_TELEGRAM_IDS).toEqual([123456, 7890123, 42]);
  });

  it("when ADMIN_TELEGRAM_IDS holds a username instead of an id, then it is refused", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: "123456,@admin_kominfo" }));
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_TELEGRAM_IDS /)]);
  });

  it("when the settings are valid, then they are kept as given", () => {
    const config = loadBotConfig({
      BOT_TOKEN: TOKEN,
      DATABASE_URL: "postgresql://pantau:rahasia@db.kominfo.local:5432/pantau",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      DEFAULT_TIMEZONE: "Asia/Jayapura",
      LOG_LEVEL: "debug",
      WEBHOOK_URL: "https://pantau.bangkabaratkab.go.id/telegram",
      WEBHOOK_SECRET: "s3cret_token-123",
      PORT: "3000",
    });
    expect(config).toMatchObject({
      DATABASE_URL: "postgresql://pantau:rahasia@db.kominfo.local:5432/pantau",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      DEFAULT_TIMEZONE: "Asia/Jayapura",
      LOG_LEVEL: "debug",
      WEBHOOK_URL: "https://pantau.bangkabaratkab.go.id/telegram",
      WEBHOOK_SECRET: "s3cret_token-123",
      PORT: 3000,
    });
  });

  it("when DATABASE_URL uses a scheme other than file: or postgres(ql)://, then it is refused with the accepted schemes named", () => {
    for (const url of ["mysql://root@localhost/pantau", "./data/pantau.db", "sqlite:./data/pantau.db"]) {
      const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url }));
      expect(problems, url).toEqual([expect.stringMatching(/DATABASE_URL.*file:.*postgresql:\/\//)]);
    }
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "postgres://x@h/db" }).DATABASE_URL).toBe("postgres://x@h/db");
  });

  it("when DEFAULT_TIMEZONE is not an IANA zone, then it is refused with Asia/Jakarta as an example", () => {
    for (const tz of ["Jakarta", "Asia/Atlantis", "WIB"]) {
      const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, DEFAULT_TIMEZONE: tz }));
      expect(problems, tz).toEqual([expect.stringMatching(/DEFAULT_TIMEZONE.*Asia\/Jakarta/)]);
    }
  });

  it("when LOG_LEVEL is not a pino level, then it is refused with the allowed levels listed", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, LOG_LEVEL: "verbose" }));
    expect(problems).toEqual([expect.stringMatching(/LOG_LEVEL.*info.*debug/)]);
  });

  it.each(["delapan", "-1", "70000", "80.5"])("when PORT is %s, then it is refused in Indonesian", (port) => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, PORT: port }));
    expect(problems).toEqual(["PORT harus berupa angka 0–65535 (0: port bebas mana saja, dipilih sistem)"]);
  });

  it("when PORT is 0, then it is accepted: the system picks a free port (the start log names it)", () => {
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, PORT: "0" }).PORT).toBe(0);
  });

  it("when HTTP_HOST is not set, then the server listens on this machine alone in polling mode and on every interface in webhook mode", () => {
    expect(httpHost(loadBotConfig({ BOT_TOKEN: TOKEN }))).toBe("127.0.0.1");
    const webhook = { BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://pantau.example.go.id/hook", WEBHOOK_SECRET: "abc" };
    expect(httpHost(loadBotConfig(webhook))).toBe("0.0.0.0");
    for (const host of ["0.0.0.0", "::", "::1", "10.0.0.5", "localhost", "pantau.internal"]) {
      expect(httpHost(loadBotConfig({ BOT_TOKEN: TOKEN, HTTP_HOST: host })), host).toBe(host);
      expect(httpHost(loadBotConfig({ ...webhook, HTTP_HOST: host })), host).toBe(host);
    }
  });

  it.each(["127.0.0.1:8080", "http://0.0.0.0", "bad host", "-x"])("when HTTP_HOST is %s, then it is refused in Indonesian", (host) => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, HTTP_HOST: host }));
    expect(problems).toEqual([expect.stringMatching(/^HTTP_HOST harus berupa alamat IP .* tanpa port/)]);
  });

  it("when the Bot API server is self-hosted, then a plain-http webhook on any port is accepted", () => {
    for (const url of ["http://127.0.0.1:9000/tg/hook", "http://pantau.lan/tg/hook", "https://pantau.example.go.id:9443/tg/hook"]) {
      const config = loadBotConfig({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "http://127.0.0.1:8081", WEBHOOK_URL: url, WEBHOOK_SECRET: "abc" });
      expect(config.WEBHOOK_URL, url).toBe(url);
    }
  });

  it("when the Bot API server is Telegram's, then an http webhook, or one on a port Telegram does not call, is refused", () => {
    const official = [{}, { TELEGRAM_API_ROOT: "https://api.telegram.org" }, { TELEGRAM_API_ROOT: "https://api.telegram.org/" }];
    for (const root of official) {
      const http = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, ...root, WEBHOOK_URL: "http://127.0.0.1:9000/hook", WEBHOOK_SECRET: "abc" }));
      expect(http).toEqual([expect.stringMatching(/^WEBHOOK_URL harus berupa URL https: .*TELEGRAM_API_ROOT/)]);
      const port = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, ...root, WEBHOOK_URL: "https://pantau.example.go.id:9443/hook", WEBHOOK_SECRET: "abc" }));
      expect(port).toEqual([expect.stringMatching(/^WEBHOOK_URL memakai port 9443, .*443, 80, 88 atau 8443/)]);
    }
    for (const url of ["https://pantau.example.go.id/hook", "https://pantau.example.go.id:8443/hook", "https://pantau.example.go.id:88/hook"]) {
      expect(loadBotConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: url, WEBHOOK_SECRET: "abc" }).WEBHOOK_URL).toBe(url);
    }
    // Not a web URL at all: refused whatever the server.
    const ftp = problemsOf(() =>
      loadBotConfig({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "http://127.0.0.1:8081", WEBHOOK_URL: "ftp://x/hook", WEBHOOK_SECRET: "abc" }),
    );
    expect(ftp).toEqual([expect.stringMatching(/^WEBHOOK_URL harus berupa URL https/)]);
  });

  it("when the webhook is not https or its secret has other characters, then each is refused", () => {
    const problems = problemsOf(() =>
      loadBotConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: "http://pantau.example.go.id/hook", WEBHOOK_SECRET: "a b!", TELEGRAM_API_ROOT: "mailto:x@y" }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/WEBHOOK_URL harus berupa URL https/);
    expect(problems.join("\n")).toMatch(/WEBHOOK_SECRET hanya boleh/);
    expect(problems.join("\n")).toMatch(/TELEGRAM_API_ROOT harus berupa URL http/);
  });

  it("when another setting is wrong too, then the missing WEBHOOK_SECRET is still reported", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://x", WEBHOOK_URL: "https://pantau.example.go.id/hook" }));
    expect(problems).toHaveLength(2);
  });

  it("when WEBHOOK_URL is set without WEBHOOK_SECRET, then the admin is told the secret is required", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://pantau.example.go.id/hook" }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/WEBHOOK_SECRET wajib diisi bila WEBHOOK_URL/);
  });

  it("when WEBHOOK_URL is not a URL, then it is refused", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: "pantau.example.go.id/hook", WEBHOOK_SECRET: "abc" }));
    expect(problems).toEqual([expect.stringMatching(/^WEBHOOK_URL /)]);
  });

  it("when several settings are wrong at once, then each mistake is reported once", () => {
    const problems = problemsOf(() => loadBotConfig({ BOT_TOKEN: "abc", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", DEFAULT_TIMEZONE: "Mars/Base" }));
    expect(problems).toHaveLength(4);
    expect(problems.filter((p) => p.startsWith("DATABASE_URL"))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith("LOG_LEVEL"))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith("DEFAULT_TIMEZONE"))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith("BOT_TOKEN"))).toHaveLength(1);
  });

  it("when BOT_TOKEN is missing and another setting is wrong, then both are reported", () => {
    const problems = problemsOf(() => loadBotConfig({ LOG_LEVEL: "loud" }));
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.includes("BotFather"))).toBe(true);
    expect(problems.some((p) => p.startsWith("LOG_LEVEL"))).toBe(true);
  });

  it("when a token is given alongside mistakes, then no problem message repeats the token", () => {
    const nearlyToken = `${TOKEN}!`;
    const cases: Record<string, string | undefined>[] = [
      { BOT_TOKEN: nearlyToken },
      { BOT_TOKEN: TOKEN, DATABASE_URL: `mysql://${TOKEN}@host/db`, WEBHOOK_URL: `https://x.go.id/${TOKEN}` },
      { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `not a url ${TOKEN}`, DEFAULT_TIMEZONE: TOKEN, LOG_LEVEL: TOKEN, PORT: TOKEN },
    ];
    for (const env of cases) {
      const err = (() => {
        try {
          loadBotConfig(env);
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error("accepted");
      })();
      expect(err.problems.length).toBeGreaterThan(0);
      for (const problem of err.problems) expect(problem).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1");
      expect(err.message).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1");
    }
  });
  it("when MINIAPP_URL is not https, then the admin is told Telegram opens only https; unset, the dashboard has no button", () => {
    expect(loadBotConfig({ BOT_TOKEN: TOKEN }).MINIAPP_URL).toBeUndefined();
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, MINIAPP_URL: "https://pantau.example.go.id/app" }).MINIAPP_URL).toBe("https://pantau.example.go.id/app");
    for (const bad of ["http://pantau.example.go.id/app", "pantau.example.go.id/app"]) {
      expect(
        problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, MINIAPP_URL: bad })),
        bad,
      ).toEqual([expect.stringMatching(/^MINIAPP_URL harus berupa URL https/)]);
    }
  });

  it("when MINIAPP_AUTH_MAX_AGE is not a whole number of seconds between a minute and a day, then it is refused; unset, it is an hour", () => {
    expect(loadBotConfig({ BOT_TOKEN: TOKEN }).MINIAPP_AUTH_MAX_AGE).toBe(3600);
    expect(loadBotConfig({ BOT_TOKEN: TOKEN, MINIAPP_AUTH_MAX_AGE: "600" }).MINIAPP_AUTH_MAX_AGE).toBe(600);
    for (const bad of ["satu jam", "90.5", "30", "100000"]) {
      expect(
        problemsOf(() => loadBotConfig({ BOT_TOKEN: TOKEN, MINIAPP_AUTH_MAX_AGE: bad })),
        bad,
      ).toEqual([expect.stringMatching(/^MINIAPP_AUTH_MAX_AGE /)]);
    }
  });
});

describe("loadConfig: commands that do not talk to Telegram", () => {
  it("when BOT_TOKEN is missing, then migrate/import/export still get a configuration", () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_URL: "file:./data/pantau.db", DEFAULT_TIMEZONE: "Asia/Jakarta" });
  });

  it("when DATABASE_URL is wrong, then it is refused with a ConfigError", () => {
    const problems = problemsOf(() => loadConfig({ DATABASE_URL: "mongodb://localhost/pantau" }));
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL /)]);
  });

  it("when PRIVACY_CONTACT is set, then it is trimmed; unset, it is absent; a line break or 201 characters are refused", () => {
    expect(loadConfig({ PRIVACY_CONTACT: "  Diskominfo, ppid@example.go.id " }).PRIVACY_CONTACT).toBe("Diskominfo, ppid@example.go.id");
    expect(loadConfig({}).PRIVACY_CONTACT).toBeUndefined();
    expect(problemsOf(() => loadConfig({ PRIVACY_CONTACT: "Diskominfo\nppid@example.go.id" }))).toEqual([
      expect.stringMatching(/^PRIVACY_CONTACT .*satu baris/),
    ]);
    expect(problemsOf(() => loadConfig({ PRIVACY_CONTACT: "x".repeat(201) }))).toEqual([expect.stringMatching(/^PRIVACY_CONTACT paling panjang 200/)]);
  });
});

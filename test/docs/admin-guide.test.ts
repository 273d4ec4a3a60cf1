import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { menu } from "../../src/bot/features/help.js";
import { cliCommands } from "../../src/cli.js";
import { configVariables } from "../../src/config.js";
import { catalogue } from "../../src/i18n/index.js";

// The admin guide and the systemd unit name commands, options, variables and paths an admin
// copies as they are: each must be real.

const root = path.resolve(import.meta.dirname, "../..");
const guide = readFileSync(path.join(root, "docs/panduan-admin.md"), "utf8");
const unitText = readFileSync(path.join(root, "deploy/pantau.service"), "utf8");
const wrapper = readFileSync(path.join(root, "deploy/pantau"), "utf8");

/** BotFather's commands, which the guide tells the admin to send there. */
const botFatherCommands = ["newbot", "revoke"];
/** Paths of one segment the guide names, which are not Telegram commands. */
const notCommands = ["tmp", "home", "healthz", "readyz", "metrics"];
/** Capitalised words in backticks that are not environment variables. */
const notVariables = ["SIGTERM"];
/** Set by the operating system, not by the admin: the admin command reads who called it through sudo. */
const osVariables = ["SUDO_USER"];

/** The fenced code blocks of a Markdown text (indented ones in lists too), and the prose around them. */
function splitMarkdown(text: string): { code: string[]; prose: string } {
  const code: string[] = [];
  const prose = text.replace(/^[ \t]*```[^\n]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm, (_, body: string) => {
    code.push(body);
    return "";
  });
  return { code, prose };
}

/** The spans in backticks of some prose, with a table's escaped pipes restored. */
const inlineSpans = (prose: string) => [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.replace(/\\\|/g, "|"));

/** Splits a shell line into words as sh would (quotes, `<placeholders>`), stopping at a comment. */
function words(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  const push = () => {
    if (word !== null) commands.at(-1)!.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "<" && word === null && line.indexOf(">", i) > i) {
      // A placeholder such as <id|@username> is one word, whatever it holds.
      const end = line.indexOf(">", i);
      word = line.slice(i, end + 1);
      i = end;
    } else if (/\s/.test(c)) push();
    else if (c === "#" && word === null) break;
    else if (c === ";" || c === "|" || c === "&") {
      push();
      commands.push([]);
      while (line[i + 1] === "|" || line[i + 1] === "&") i++;
    } else word = (word ?? "") + c;
  }
  push();
  return commands.filter((c) => c.length > 0);
}

interface PantauCommand {
  line: string;
  /** Variables set for that one command (`DATABASE_URL=… pantau restore …`). */
  assigned: string[];
  argv: string[];
}

/** Every `pantau …` and `npx pantau …` command of the code blocks and backticked spans. */
function pantauCommands(text: string): PantauCommand[] {
  const { code, prose } = splitMarkdown(text);
  const lines = [...code.flatMap((block) => block.split("\n")), ...inlineSpans(prose).filter((s) => /^(npx )?pantau /.test(s))];
  const found: PantauCommand[] = [];
  for (const line of lines) {
    for (let command of words(line)) {
      const assigned: string[] = [];
      while (command[0] && /^[A-Z][A-Z0-9_]*=/.test(command[0])) assigned.push(command.shift()!.split("=")[0]!);
      if (command[0] === "npx") command = command.slice(1);
      if (command[0] === "pantau") found.push({ line, assigned, argv: command.slice(1) });
    }
  }
  return found;
}

/** Environment variables a text names: assignments, backticked capitals, and any NAME_WITH_UNDERSCORES. */
function variablesIn(text: string): Set<string> {
  const { code, prose } = splitMarkdown(text);
  const names = new Set<string>();
  for (const m of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) names.add(m[0]);
  for (const block of code) for (const m of block.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*)=/g)) names.add(m[1]!);
  for (const span of inlineSpans(prose)) if (/^[A-Z][A-Z0-9_]*$/.test(span) && !notVariables.includes(span)) names.add(span);
  return names;
}

/** Variables a unit file sets (`Environment=`) or reads (`$NAME`, `${NAME}`). */
function unitVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^Environment=(.*)$/gm)) for (const v of m[1]!.matchAll(/(?:^|\s)"?([A-Z][A-Z0-9_]*)=/g)) names.add(v[1]!);
  for (const m of text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) names.add(m[1]!);
  return names;
}

/** The Telegram commands the prose names (`/bantuan`, `/hapusdata <id|@username>`). */
function telegramCommandsIn(text: string): Set<string> {
  const { prose } = splitMarkdown(text);
  const names = new Set<string>();
  for (const m of prose.replace(/https?:\/\/\S+/g, "").matchAll(/(?<![\w/.~-])\/([a-z]+)(?![\w/.-])/g)) if (!notCommands.includes(m[1]!)) names.add(m[1]!);
  return names;
}

/** A unit file's directives, section by section, every value of a repeated key kept. */
function directives(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = line.indexOf("=");
    const key = `${section}.${line.slice(0, eq)}`;
    found.set(key, [...(found.get(key) ?? []), line.slice(eq + 1)]);
  }
  return found;
}

/** The directives of deploy/pantau.service, for a machine without systemd-analyze. */
const knownDirectives = [
  ...["Description", "Documentation", "Wants", "After", "StartLimitIntervalSec", "StartLimitBurst", "WantedBy"],
  ...["Type", "User", "Group", "WorkingDirectory", "EnvironmentFile", "ExecStart", "Restart", "RestartSec", "KillSignal", "KillMode", "TimeoutStopSec"],
  ...["StandardOutput", "StandardError", "SyslogIdentifier", "MemoryHigh", "MemoryMax", "TasksMax", "LimitNOFILE", "NoNewPrivileges", "ProtectSystem"],
  ...["ReadWritePaths", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs"],
  ...["ProtectControlGroups", "ProtectClock", "ProtectHostname", "ProtectProc", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime"],
  ...["RestrictSUIDSGID", "LockPersonality", "RemoveIPC", "CapabilityBoundingSet", "AmbientCapabilities", "SystemCallArchitectures"],
  ...["SystemCallFilter", "SystemCallErrorNumber", "UMask"],
];

const run = (file: string, args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) =>
    execFile(file, args, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr })),
  );

const unit = directives(unitText);
const one = (key: string) => {
  const values = unit.get(key);
  expect(values, key).toHaveLength(1);
  return values![0]!;
};

describe("the admin guide's commands", () => {
  const commands = pantauCommands(guide);

  it("when the guide is read, then it shows the commands an admin needs", () => {
    const names = new Set(commands.map((c) => c.argv[0]));
    for (const name of ["migrate", "import", "invite", "invites", "revoke", "remove", "erase", "export", "backup", "restore", "audit"])
      expect(names, name).toContain(name);
    expect(commands.length).toBeGreaterThan(30);
  });

  it("when each pantau command of the guide is parsed as the CLI parses it, then it names a real command with real options", () => {
    const problems: string[] = [];
    for (const { line, argv } of commands) {
      const [name = "", ...args] = argv;
      const command = name === "--help" ? "help" : name;
      const spec = command in cliCommands ? cliCommands[command as keyof typeof cliCommands] : null;
      if (!spec) {
        problems.push(`${line}: no command "${name}"`);
        continue;
      }
      // The revoke command reads every argument as the invite (a code may begin with "-").
      const given = command === "revoke" ? ["--", ...args] : args;
      try {
        parseArgs({ args: given, ...spec, strict: true });
      } catch (err) {
        problems.push(`${line}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("when the CLI's usage text is read, then every command it lists has its options in the table the guide is checked against", () => {
    const listed = new Set([...catalogue("id").cli.usage.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!));
    const tabled = Object.keys(cliCommands).filter((c) => c !== "help");
    expect([...listed].sort()).toEqual(tabled.sort());
  });

  it("when a command of the guide sets a variable for itself, then it is one Pantau reads", () => {
    const assigned = new Set(commands.flatMap((c) => c.assigned));
    expect(assigned).toContain("DATABASE_URL");
    expect([...assigned].filter((name) => !configVariables.includes(name))).toEqual([]);
  });
});

describe("the environment variables of the guide, the unit and the admin's pantau command", () => {
  it("when every variable they name is looked up, then src/config.ts reads it", () => {
    const named = new Set([...variablesIn(guide), ...unitVariables(unitText), ...variablesIn(wrapper)]);
    const unknown = [...named].filter((n) => !configVariables.includes(n) && !osVariables.includes(n));
    expect(unknown).toEqual([]);
    for (const name of ["BOT_TOKEN", "DATABASE_URL", "BACKUP_DIR", "BACKUP_HOUR", "BACKUP_KEEP", "ADMIN_TELEGRAM_IDS", "PRIVACY_CONTACT", "WEBHOOK_SECRET"])
      expect(named, name).toContain(name);
  });

  it("when the guide's settings block is read, then it puts the database and the backups where the unit lets Pantau write", () => {
    const writable = one("Service.ReadWritePaths").split(/\s+/);
    const database = /^DATABASE_URL=file:(\S+)$/m.exec(guide)![1]!;
    const backups = /^BACKUP_DIR=(\S+)$/m.exec(guide)![1]!;
    expect(writable).toContain(path.dirname(database));
    expect(writable).toContain(backups);
  });
});

describe("the Telegram commands of the guide", () => {
  it("when every command the guide names is looked up, then the bot has it (or it is BotFather's)", () => {
    const known = new Set(["start", ...menu.flatMap((e) => [e.command, ...(e.alias ? [e.alias] : [])])]);
    const named = telegramCommandsIn(guide);
    const unknown = [...named].filter((n) => !known.has(n) && !botFatherCommands.includes(n));
    expect(unknown).toEqual([]);
    for (const name of ["privasi", "dataku", "nama", "hapusdata", "bantuan", "sistem", "jejak"]) expect(named, name).toContain(name);
  });
});

describe("the systemd unit", () => {
  it("when systemd-analyze verifies it (with this machine's node in place of the installed one), then it has nothing to say", async () => {
    const analyze = (process.env.PATH ?? "")
      .split(":")
      .map((d) => path.join(d, "systemd-analyze"))
      .find((f) => existsSync(f));
    if (!analyze) {
      // Without systemd here, a misspelt directive (which systemd would ignore with a warning)
      // is caught against the directives this unit is meant to use.
      const unknown = [...unit.keys()].filter((k) => !knownDirectives.includes(k.split(".")[1]!));
      expect(unknown).toEqual([]);
      return;
    }
    const dir = await mkdtemp(path.join(tmpdir(), "pantau-unit-"));
    try {
      // The unit names the node the guide links at /var/lib/pantau/bin/node, which exists only
      // on a server; verify checks that ExecStart's binary exists.
      const file = path.join(dir, "pantau.service");
      writeFileSync(file, unitText.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
      const result = await run(analyze, ["verify", file]);
      expect(result).toEqual({ code: 0, output: "" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("when its directives are read, then it runs pantau start as its own user with the guide's node, settings file and folders", () => {
    expect(one("Service.User")).toBe("pantau");
    expect(one("Service.Group")).toBe("pantau");
    expect(one("Service.WorkingDirectory")).toBe("/opt/pantau");
    expect(one("Service.EnvironmentFile")).toBe("/etc/pantau/pantau.env");
    expect(one("Service.ExecStart")).toBe("/var/lib/pantau/bin/node bin/pantau.js start");
    expect(one("Service.ReadWritePaths").split(/\s+/).sort()).toEqual(["/var/backups/pantau", "/var/lib/pantau/data"]);
    // The guide makes that node link, installs the settings file mode 600, and creates the folders.
    expect(guide).toContain('ln -sfn "$(command -v node)" /var/lib/pantau/bin/node');
    expect(guide).toContain("install -m 600 -o pantau -g pantau /opt/pantau/.env.example /etc/pantau/pantau.env");
    expect(guide).toContain("install -d -o pantau -g pantau -m 750 /opt/pantau /var/lib/pantau/bin /var/lib/pantau/data /var/backups/pantau");
    // The admin's pantau command runs the same node with the same settings.
    expect(wrapper).toContain("/var/lib/pantau/bin/node --env-file=/etc/pantau/pantau.env /opt/pantau/bin/pantau.js");
  });

  it("when its directives are read, then it restarts on failure, stops with SIGTERM and leaves a clean stop its time", () => {
    expect(one("Service.Restart")).toBe("on-failure");
    expect(one("Service.RestartSec")).toBe("30s");
    expect(one("Unit.StartLimitIntervalSec")).toBe("300");
    expect(one("Unit.StartLimitBurst")).toBe("10");
    expect(one("Service.KillSignal")).toBe("SIGTERM");
    // A stop waits out a reminder pass's 60-s outbox budget, then gives 30 s to what was taken in.
    const app = readFileSync(path.join(root, "src/app.ts"), "utf8");
    const budget = Number(/const outboxBudgetMs = ([\d_]+);/.exec(app)![1]!.replace(/_/g, "")) / 1000;
    const grace = Number(/const stopGraceMs = ([\d_]+);/.exec(app)![1]!.replace(/_/g, "")) / 1000;
    expect(Number.parseInt(one("Service.TimeoutStopSec"))).toBeGreaterThan(budget + grace);
  });

  it("when its directives are read, then it is hardened and logs to the journal", () => {
    const expected: Record<string, string> = {
      NoNewPrivileges: "yes",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      ProtectKernelTunables: "yes",
      ProtectKernelModules: "yes",
      ProtectKernelLogs: "yes",
      ProtectControlGroups: "yes",
      RestrictAddressFamilies: "AF_INET AF_INET6 AF_UNIX",
      CapabilityBoundingSet: "",
      MemoryMax: "1G",
      StandardOutput: "journal",
      StandardError: "journal",
    };
    for (const [key, value] of Object.entries(expected)) expect(one(`Service.${key}`), key).toBe(value);
    // V8 writes the machine code it runs: this one would stop node at its first compiled function.
    expect(unit.has("Service.MemoryDenyWriteExecute")).toBe(false);
    expect(one("Install.WantedBy")).toBe("multi-user.target");
  });
});

describe("the admin's pantau command (deploy/pantau)", () => {
  it("when sh reads it, then it parses, and it is executable", async () => {
    expect(await run("/bin/sh", ["-n", path.join(root, "deploy/pantau")])).toEqual({ code: 0, output: "" });
    expect(await run("/usr/bin/test", ["-x", path.join(root, "deploy/pantau")])).toEqual({ code: 0, output: "" });
  });
});

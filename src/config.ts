import net from "node:net";
import { z } from "zod";
import { isValidTimeZone } from "./domain/dates.js";
import { tokenShape } from "./logger.js";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const portMessage = "PORT harus berupa angka 0–65535 (0: port bebas mana saja, dipilih sistem)";

const base = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/pantau.db")
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
      message: "DATABASE_URL harus diawali file: (SQLite) atau postgresql:// (PostgreSQL)",
    }),
  TELEGRAM_API_ROOT: z
    .url({ protocol: /^https?$/, message: "TELEGRAM_API_ROOT harus berupa URL http(s), mis. https://api.telegram.org" })
    .default("https://api.telegram.org"),
  ADMIN_TELEGRAM_IDS: z
    .string()
    .default("")
    .refine((v) => v.split(",").every((s) => s.trim() === "" || /^\d+$/.test(s.trim())), {
      message: "ADMIN_TELEGRAM_IDS harus berisi id Telegram berupa angka, dipisah koma",
    })
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number),
    ),
  DEFAULT_TIMEZONE: z
    .string()
    .default("Asia/Jakarta")
    .refine(isValidTimeZone, { message: "DEFAULT_TIMEZONE bukan zona waktu yang dikenal (mis. Asia/Jakarta)" }),
  LOG_LEVEL: z.enum(logLevels, { message: `LOG_LEVEL harus salah satu dari: ${logLevels.join(", ")}` }).default("info"),
  // http, and ports Telegram does not call, only with a self-hosted Bot API server (see webhookProblems).
  WEBHOOK_URL: z.url({ protocol: /^https?$/, message: "WEBHOOK_URL harus berupa URL https, mis. https://pantau.example.go.id/telegram/3f9c1e" }).optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { message: "WEBHOOK_SECRET hanya boleh huruf, angka, _ atau -, 1–256 karakter" })
    .optional(),
  TELEGRAM_RATE_LIMIT: z.coerce
    .number({ message: "TELEGRAM_RATE_LIMIT harus berupa angka pesan per detik, mis. 28" })
    .positive({ message: "TELEGRAM_RATE_LIMIT harus lebih dari 0 (pesan per detik)" })
    .default(28),
  OUTBOX_LEASE_SECONDS: z.coerce
    .number({ message: "OUTBOX_LEASE_SECONDS harus berupa angka detik, mis. 120" })
    .int({ message: "OUTBOX_LEASE_SECONDS harus bilangan bulat detik, mis. 120" })
    .min(1, { message: "OUTBOX_LEASE_SECONDS paling sedikit 1 detik" })
    .default(120),
  FLOOD_LIMIT_PER_MINUTE: z.coerce
    .number({ message: "FLOOD_LIMIT_PER_MINUTE harus berupa angka pesan per menit per orang, mis. 60" })
    .int({ message: "FLOOD_LIMIT_PER_MINUTE harus bilangan bulat pesan per menit, mis. 60" })
    .min(10, { message: "FLOOD_LIMIT_PER_MINUTE paling sedikit 10 (satu album foto saja 10 pesan)" })
    .default(60),
  BACKUP_DIR: z.string().optional(),
  BACKUP_HOUR: z.coerce
    .number({ message: "BACKUP_HOUR harus berupa jam 0–23, mis. 2" })
    .int({ message: "BACKUP_HOUR harus berupa jam 0–23, mis. 2" })
    .min(0, { message: "BACKUP_HOUR harus berupa jam 0–23, mis. 2" })
    .max(23, { message: "BACKUP_HOUR harus berupa jam 0–23, mis. 2" })
    .default(2),
  BACKUP_KEEP: z.coerce
    .number({ message: "BACKUP_KEEP harus berupa jumlah cadangan harian yang disimpan, mis. 7" })
    .int({ message: "BACKUP_KEEP harus bilangan bulat, mis. 7" })
    .min(1, { message: "BACKUP_KEEP paling sedikit 1" })
    .default(7),
  // The controller's contact in the privacy notice (UU PDP): whom people ask about their data.
  PRIVACY_CONTACT: z
    .string()
    .trim()
    .max(200, { message: "PRIVACY_CONTACT paling panjang 200 karakter (mis. Diskominfo Kab. Bangka Barat, diskominfo@bangkabaratkab.go.id)" })
    .refine((v) => !/\p{Cc}/u.test(v), { message: "PRIVACY_CONTACT tidak boleh berisi baris baru atau karakter kendali: tulis kontaknya dalam satu baris" })
    .optional(),
  // Who runs a command line, for the audit trail, when a wrapper runs it as another user
  // (deploy/pantau runs it as the user pantau); else the operating-system user.
  PANTAU_OS_USER: z.string().trim().max(64, { message: "PANTAU_OS_USER paling panjang 64 karakter (nama pengguna sistem operasi)" }).optional(),
  PORT: z.coerce
    .number({ message: portMessage })
    .int({ message: portMessage })
    .min(0, { message: portMessage })
    .max(65535, { message: portMessage })
    .default(8080),
  // The public https address the admin's reverse proxy serves Pantau's /app at (Telegram opens
  // only https); without it no dashboard button is shown.
  MINIAPP_URL: z
    .url({
      protocol: /^https$/,
      message: "MINIAPP_URL harus berupa URL https tempat proxy menayangkan /app milik Pantau, mis. https://pantau.example.go.id/app",
    })
    .optional(),
  MINIAPP_AUTH_MAX_AGE: z.coerce
    .number({ message: "MINIAPP_AUTH_MAX_AGE harus berupa angka detik, mis. 3600" })
    .int({ message: "MINIAPP_AUTH_MAX_AGE harus bilangan bulat detik, mis. 3600" })
    .min(60, { message: "MINIAPP_AUTH_MAX_AGE paling sedikit 60 detik" })
    .max(86_400, { message: "MINIAPP_AUTH_MAX_AGE paling lama 86400 detik (satu hari)" })
    .default(3600),
  HTTP_HOST: z
    .string()
    .trim()
    .refine((v) => net.isIP(v) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v), {
      message: "HTTP_HOST harus berupa alamat IP (mis. 127.0.0.1, 0.0.0.0 atau ::) atau nama host, tanpa port (port diatur dengan PORT)",
    })
    .optional(),
});

/** Telegram's own Bot API server; any other TELEGRAM_API_ROOT is self-hosted. */
const telegramApiHost = "api.telegram.org";
/** The ports Telegram's own server calls webhooks on. */
const telegramWebhookPorts = ["443", "80", "88", "8443"];

/**
 * Telegram calls webhooks only over https and on four ports; a self-hosted Bot API server calls
 * whatever URL it is given (often plain http on the same machine). Checked on the raw values, so
 * that this mistake is reported beside any other.
 */
function webhookProblems(raw: Record<string, string | undefined>): string[] {
  const url = raw.WEBHOOK_URL;
  if (!url || !URL.canParse(url)) return [];
  // An unusable TELEGRAM_API_ROOT (reported on its own) counts as Telegram's: the stricter rule.
  const root = URL.canParse(raw.TELEGRAM_API_ROOT ?? "") ? new URL(raw.TELEGRAM_API_ROOT!) : null;
  if (root && /^https?:$/.test(root.protocol) && root.hostname !== telegramApiHost) return [];
  const { protocol, port } = new URL(url);
  if (protocol === "http:")
    return ["WEBHOOK_URL harus berupa URL https: Telegram hanya memanggil https. URL http hanya boleh bila TELEGRAM_API_ROOT menunjuk Bot API server sendiri."];
  if (port && !telegramWebhookPorts.includes(port))
    return [`WEBHOOK_URL memakai port ${port}, padahal Telegram hanya memanggil port 443, 80, 88 atau 8443 (port lain hanya dengan Bot API server sendiri).`];
  return [];
}

/**
 * Where Pantau's HTTP server listens: HTTP_HOST, else only this machine in polling mode (health
 * and metrics are for a local agent or a proxy) and every interface in webhook mode (a reverse
 * proxy or load balancer elsewhere forwards Telegram's calls).
 */
export function httpHost(config: Pick<Config, "HTTP_HOST" | "WEBHOOK_URL">): string {
  return config.HTTP_HOST ?? (config.WEBHOOK_URL ? "0.0.0.0" : "127.0.0.1");
}

const tokenSchema = z
  .string({ message: "BOT_TOKEN belum diisi. Minta token dari @BotFather di Telegram, lalu isi BOT_TOKEN di berkas .env atau lingkungan." })
  .regex(new RegExp(`^${tokenShape.source}$`), { message: "BOT_TOKEN tidak berbentuk token bot (angka:huruf), periksa lagi salinan dari @BotFather." });

/** Every environment variable Pantau reads: the admin guide's test checks the names it cites against these. */
export const configVariables: readonly string[] = ["BOT_TOKEN", ...Object.keys(base.shape)];

export type Config = z.infer<typeof base> & { BOT_TOKEN?: string };
export type BotConfig = Config & { BOT_TOKEN: string };

/** A configuration mistake, with one sentence per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Configuration for commands that do not talk to Telegram (migrate, import, export). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = emptyToUndefined(env);
  const parsed = base.safeParse(raw);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)), ...webhookProblems(raw)];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** Configuration for commands that talk to Telegram: BOT_TOKEN is required. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const problems: string[] = [];
  let config: Config | undefined;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const raw = emptyToUndefined(env);
  const token = tokenSchema.safeParse(raw.BOT_TOKEN);
  if (!token.success) problems.push(...token.error.issues.map((i) => i.message));
  if (raw.WEBHOOK_URL && !raw.WEBHOOK_SECRET) {
    problems.push("WEBHOOK_SECRET wajib diisi bila WEBHOOK_URL dipakai (huruf, angka, _ atau -, 1–256 karakter).");
  }
  if (problems.length > 0 || !config || !token.success) throw new ConfigError(problems);
  return { ...config, BOT_TOKEN: token.data };
}

function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
}

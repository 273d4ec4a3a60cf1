// Every message users read, in English (the second language). Mirrors id.ts.
import type { Catalogue } from "./id.js";

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

export const en: Catalogue = {
  commands: {
    start: "Start / join with an invite code",
    bantuan: "Commands you can use",
    tugas: "Your unit's open steps",
    lapor: "Report progress on a step",
    status: "Progress of the innovations",
    rekap: "Recap per unit and innovation",
    terlambat: "Overdue steps",
    batal: "Cancel the current flow",
  },
  start: {
    anonymous:
      "Hello! I am <b>Pantau</b>, the reminder bot for public-service innovation action plans.\n\n" +
      "To use this bot you need an invite link from your coordinator (Bagian Organisasi). " +
      "Open that link on your phone, then press <b>Start</b>.",
    welcomeBack: (name: string) => `Hello ${name}, you are already registered. Type /help to see the commands.`,
    joined: (role: string, where: string) =>
      `Welcome! You are now registered as <b>${role}</b> for <b>${where}</b>.\n\nType /help to see the commands.`,
    alreadyMember: (role: string, where: string) => `You are already registered as <b>${role}</b> for <b>${where}</b>.`,
    inviteRefused:
      "This invite code is not valid (wrong, expired, or used up). Ask your coordinator for a new invite link.",
  },
  roles: { pic: "focal point (PIC)", kepala: "head of unit", koordinator: "coordinator" },
  allRegions: "all regions",
  help: {
    header: "Commands you can use:",
    line: (command: string, description: string) => `/${command} — ${description}`,
    strangerHint: "You are not registered yet. Ask your coordinator for an invite link.",
  },
  access: {
    notRegistered: "You are not registered yet. Ask your coordinator for an invite link, then open it.",
    notAllowed: "This command is not for your role. Type /help to see your commands.",
    staleButton: "This button is no longer valid.",
  },
  tasks: {
    header: "📋 <b>Your unit's open steps</b>",
    none: "No open steps. Everything is done 🎉",
    line: (title: string, initiative: string, due: string, progress: number, late: number, left: number) =>
      `${late > 0 ? "🔴" : "⚪️"} <b>${title}</b> — ${initiative}\n   Due ${due} (${
        late > 0 ? `${days(late)} late` : left === 0 ? "today" : `in ${days(left)}`
      }) · ${progress}%`,
    footer: "Type /report to report progress.",
  },
  report: {
    pickMilestone: "Which step do you want to report on?",
    listCut: (shown: number, total: number) =>
      `(The ${shown} soonest of ${total} steps. Report on the others by replying to their reminders.)`,
    noMilestones: "There are no open steps to report on.",
    pickPercent: (title: string, progress: number) =>
      `<b>${title}</b>\nLast progress: ${progress}%.\n\nPick the progress now, or type the number (0–100).`,
    blockedButton: "⚠️ Blocked",
    askNote: "Write a short note (e.g. what was done), or press Skip.",
    askReason: "What is blocking it? Write it briefly (e.g. \"budget not released yet\").",
    skip: "Skip",
    confirm: (title: string, what: string, note: string | null) =>
      `Check your report:\n\n<b>${title}</b>\nProgress: ${what}\nNote: ${note ?? "—"}\n\nSave?`,
    save: "✅ Save",
    cancel: "Cancel",
    saved: (title: string, what: string) => `✅ Saved: <b>${title}</b> — ${what}. Thank you!`,
    cancelled: "Report cancelled. Nothing was saved.",
    badPercent: "Progress must be a number from 0 to 100, e.g. 60. Try again, or type /cancel.",
    needReason: "Please write what is blocking it first (one sentence is enough), or type /cancel.",
  },
  progressText: (percent: number, status: string) =>
    status === "done"
      ? "done (100%)"
      : status === "blocked"
        ? `blocked (${percent}%)`
        : status === "not_started"
          ? "not started (0%)"
          : `${percent}%`,
  statusNames: { not_started: "not started", in_progress: "in progress", done: "done", blocked: "blocked" },
  reply: {
    needReason: "What is blocking it? Reply to the reminder again with the reason, e.g. \"blocked: budget not released yet\".",
    recorded: (title: string, what: string, note: string | null) =>
      `✅ Recorded for <b>${title}</b>: ${what}${note ? `\nNote: ${note}` : ""}`,
    notUnderstood:
      "Sorry, I did not understand. Reply with the progress, e.g. \"60% draft SOP done\", \"done\", or \"blocked by budget\". You can also type /report.",
    outOfRange: "Progress must be between 0 and 100%. Reply again with the right number.",
    notYours: "This reminder is not for your unit.",
    pickStep: "This reminder lists several steps. Which one are you reporting?",
  },
  reminder: {
    title: (label: string) => `⏰ <b>Deadline reminder (${label})</b>`,
    overdueTitle: (late: number) => `🔴 <b>Step ${days(late)} overdue</b>`,
    initiative: (name: string, origin: string | null) => `Innovation: ${name}${origin ? ` — replicated from ${origin}` : ""}`,
    unit: (name: string) => `Unit: ${name}`,
    milestone: (title: string) => `Step: ${title}`,
    due: (date: string, daysLeft: number) =>
      `Due: ${date} (${daysLeft > 0 ? `in ${days(daysLeft)}` : daysLeft === 0 ? "today" : `${days(-daysLeft)} ago`})`,
    lastProgress: (what: string, when: string | null) => `Last progress: ${what}${when ? ` (${when})` : ""}`,
    noProgress: "Last progress: no report yet",
    cta: "Reply to this message with the latest progress, e.g. \"60% draft SOP done\", or type /report.",
    nudgeTitle: "👋 <b>Your coordinator asks about this step</b>",
    manyTitle: (n: number) => `⏰ <b>Reminder: ${n} steps</b>`,
    manyCta: "Type /report to report progress, or reply to this message to pick the step.",
  },
  escalation: {
    headTitle: "⚠️ <b>Your unit's steps are overdue and not reported</b>",
    coordinatorTitle: "⚠️ <b>Escalation: overdue steps without a report</b>\nThe head of unit has been told.",
    reminded: (n: number, last: string | null) => (n > 0 ? `Reminders sent: ${n}${last ? `, last on ${last}` : ""}` : "No reminder has been sent yet."),
    focalPoints: (names: string) => `Focal point: ${names}`,
    noFocalPoint: "none yet",
    headAsk: "Please follow up with your unit's focal point. This message is sent once per step.",
    coordinatorAsk: "This message is sent once per step. Type /overdue to see everything overdue.",
  },
  broadcast: {
    header: (sender: string) => `📢 <b>Message from the coordinator</b>${sender ? ` (${sender})` : ""}`,
  },
  status: {
    header: "📊 <b>Progress of the innovations</b>",
    none: "There are no innovations you can see yet.",
    notFound: (query: string) => `Innovation "${query}" was not found among those you can see.`,
    initiative: (name: string, unit: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b> — ${unit}\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} overdue)` : ""}`,
    milestone: (title: string, due: string, what: string, late: number) =>
      `  ${late > 0 ? "🔴" : "•"} ${title} — ${due} — ${what}${late > 0 ? ` (${days(late)} late)` : ""}`,
  },
  recap: {
    header: (program: string) => `📊 <b>Recap ${program}</b>`,
    none: "There is no program you can see yet. Load an action plan with pantau import.",
    region: (name: string) => `🏛 <b>${name}</b>`,
    unit: (name: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b>\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} overdue)` : ""}`,
    initiative: (name: string, percent: number, overdue: number) =>
      `  • ${name}: ${percent}%${overdue > 0 ? ` (${overdue} overdue)` : ""}`,
    total: (percent: number, overdue: number) => `Program total: ${percent}% · ${overdue} steps overdue`,
  },
  overdue: {
    header: "🔴 <b>Overdue steps</b>",
    none: "No overdue steps 👍",
    line: (unit: string, initiative: string, title: string, due: string, late: number, what: string, pics: string) =>
      `<b>${unit}</b> — ${initiative}\n  ${title}\n  Due ${due}, <b>${days(late)}</b> late · ${what}\n  PIC: ${pics}`,
    noPic: "none yet",
  },
  fallback: "I did not understand that. Type /help to see the commands you can use.",
  cancel: { done: "Cancelled.", nothing: "There is nothing to cancel." },
  cli: {
    usage: [
      "Usage: pantau <command>",
      "",
      "  start                               run the bot (applies migrations first)",
      "  migrate                             apply database migrations and exit",
      "  import <file.csv>                   load or update action plans",
      "  invite --unit <code> [--role pic|kepala] [--uses N] [--days N]",
      "  invite --role koordinator [--program <name>] [--region <name>] [--uses N] [--days N]",
      "  remind [--at <ISO time>] [--dry-run]  one reminder pass",
    ].join("\n"),
    unknownCommand: (name: string) => `Unknown command: ${name}`,
    badOption: (message: string) => `Invalid option: ${message}`,
    configProblems: "The configuration is not right:",
    migrated: (names: string[]) => (names.length ? `Migrations applied: ${names.join(", ")}` : "The database is up to date."),
    fileMissing: "Name the action plan file, e.g. pantau import action-plan.csv",
    fileUnreadable: (file: string) => `Cannot read the file: ${file}`,
    xlsxLater: "XLSX files are not supported by this version yet. Save the sheet as CSV and import again.",
    importRejected: (count: number) => `Import rejected: ${count} errors. Nothing was changed.`,
    importDone: "Import done.",
    counts: (label: string, programs: number, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${programs} programs, ${regions} regions, ${units} units, ${initiatives} initiatives, ${milestones} steps`,
    created: "Created",
    updated: "Updated",
    unchanged: (n: number) => `Unchanged: ${n} steps`,
    inviteCreated: (role: string, target: string, uses: number, expires: string) =>
      `Invite as ${role} for ${target} (up to ${uses} people, valid until ${expires}):`,
    badAt: "--at must be an ISO time, e.g. 2022-01-11T08:00:00+07:00",
    remindNone: "No reminders are due.",
    remindPlanned: (n: number) => `${n} reminders would be sent:`,
    remindLine: (who: string, unit: string, title: string, slot: string) => `- ${who} (${unit}): ${title} [${slot}]`,
    remindDone: (sent: number, blocked: number, failed: number, retrying: number) =>
      `Sent ${sent}, blocked the bot ${blocked}, failed ${failed}, to be retried ${retrying}.`,
    receivingStopped: (reason: string) => `The bot stopped receiving messages: ${reason}. Is another process using the same token?`,
    stopped: "Pantau stopped.",
  },
  importErrors: {
    row: (row: number, column: string, message: string) => (column ? `Row ${row}, column ${column}: ${message}` : `Row ${row}: ${message}`),
    codes: {
      missing_column: () => "required column missing from the header row",
      required: () => "required",
      bad_date: (v: string) => `date "${v}" is not valid (use 2022-03-14, 14/03/2022 or 14 March 2022)`,
      bad_timezone: (v: string) => `time zone "${v}" is unknown (use WIB, WITA, WIT or a name such as Asia/Jakarta)`,
      bad_weight: (v: string) => `weight "${v}" must be a number above 0`,
      bad_unit_code: (v: string) => `unit code "${v}" may only hold letters, digits, - and _`,
      too_long: (v: string) => `too long (at most ${v} characters)`,
      duplicate_row: (v: string) => `repeats row ${v} (program, region, unit, initiative and step)`,
      timezone_conflict: (v: string) => `this region was given another time zone in the file (${v})`,
      unit_code_conflict: (v: string) => `unit code "${v}" contradicts another row (used for another unit, or this unit given another code)`,
      unit_code_taken: (v: string) => `unit code "${v}" already belongs to another unit in the database`,
      empty_file: () => "the file has no data rows",
    },
    unreadable: "the CSV file is damaged (e.g. an unclosed quote)",
  },
  errors: {
    generic: "Sorry, something went wrong. Please try again in a moment.",
    codes: {
      "access.not_allowed": "You do not have access to this step.",
      "report.bad_percent": "Progress must be a number from 0 to 100.",
      "report.reason_required": "Please write what is blocking it first (one sentence is enough).",
      "invite.unknown_unit": "There is no unit with code {unit}. Check kode_opd in the action plan file.",
      "invite.unknown_program": "There is no program \"{program}\".",
      "invite.no_program": "There is no program yet. Load an action plan first with pantau import.",
      "invite.choose_program": "There are several programs; name one with --program: {programs}",
      "invite.unknown_region": "There is no region \"{region}\" in program \"{program}\".",
      "invite.unit_required": "Name the unit with --unit <unit code>.",
      "invite.bad_days": "--days must be a whole number from 1 to 365.",
      "invite.bad_uses": "--uses must be a whole number from 1 to 1000.",
      "invite.refused": "This invite code is not valid (wrong, expired, or used up). Ask your coordinator for a new invite link.",
    },
  },
};

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
    siaran: "Send a message to many units at once",
    ingatkan: "Remind a unit or a step now",
    aturan: "Reminder rules of the program",
    libur: "Days off: national holidays, collective leave, the program's own",
    undang: "Create an invite link (and QR code) for a unit; without a unit: open invites",
    anggota: "Focal points and head of a unit: remove or replace",
    keluar: "Leave your unit or program",
    jangkauan: "Units without a focal point, unused invites, who blocked the bot",
    ekspor: "Download the XLSX recap",
    bahasa: "Language of the bot's messages (id/en)",
    riwayat: "Report history of a unit or an innovation",
    impor: "Load an action plan from a CSV/XLSX file",
    batal: "Cancel the current flow",
    privasi: "What Pantau stores, why, and for how long",
    dataku: "A copy of all your data (JSON file)",
    nama: "Correct your name in recaps and lists",
    hapusdata: "Erase the personal data of someone who left",
    sistem: "System status: version, send queue, reminders, backups",
    jejak: "Your program's audit trail: who did what, when",
    ringkasan: "Weekly digest: switch it on or off",
    cuti: "Away: your reminders go to a colleague until you are back",
  },
  start: {
    anonymous:
      "Hello! I am <b>Pantau</b>, the reminder bot for public-service innovation action plans.\n\n" +
      "To use this bot you need an invite link from your coordinator (Bagian Organisasi). " +
      "Open that link on your phone, then press <b>Start</b>.",
    welcomeBack: (name: string) => `Hello ${name}, you are already registered. Type /help to see the commands.`,
    joined: (role: string, where: string) => `Welcome! You are now registered as <b>${role}</b> for <b>${where}</b>.\n\nType /help to see the commands.`,
    alreadyMember: (role: string, where: string) => `You are already registered as <b>${role}</b> for <b>${where}</b>.`,
    inviteRefused: "This invite code is not valid (wrong, expired, or used up). Ask your coordinator for a new invite link.",
  },
  roles: { pic: "focal point (PIC)", kepala: "head of unit", koordinator: "coordinator" },
  allRegions: "all regions",
  help: {
    header: "Commands you can use:",
    line: (command: string, description: string) => `/${command} — ${description}`,
    strangerHint: "You are not registered yet. Ask your coordinator for an invite link.",
    lastBackup: (date: string, hour: number, minute: number, file: string) =>
      `Last backup (admin): ${date} at ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}, ${file}.`,
    noBackup: "Last backup (admin): none yet.",
    dailyBackupsOff: "Daily backups are off: BACKUP_DIR is not set.",
  },
  system: {
    header: "🖥 Pantau system",
    version: (version: string, database: string) => `Version ${version} · database ${database}`,
    uptime: (duration: string) => `Running for ${duration} (this process).`,
    outbox: (due: number, oldest: string | null) =>
      due === 0 ? "Send queue: empty." : `Send queue: ${due} ${due === 1 ? "message" : "messages"} due, the oldest waiting ${oldest}.`,
    lastPass: (date: string, hour: number, minute: number, ok: boolean, seconds: number) =>
      `Last reminder pass (this process): ${date} at ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}, ${
        ok ? "succeeded" : "FAILED (see the log)"
      }, ${seconds.toFixed(1)} s.`,
    noPass: "Last reminder pass (this process): none yet.",
    counts: (registered: number, known: number, units: number) => `People registered: ${registered} (known to the bot: ${known}) · units: ${units}.`,
    duration: (days: number, hours: number, minutes: number) =>
      days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : minutes > 0 ? `${minutes} min` : "less than a minute",
  },
  access: {
    notRegistered: "You are not registered yet. Ask your coordinator for an invite link, then open it.",
    notAllowed: "This command is not for your role. Type /help to see your commands.",
    staleButton: "This button is no longer valid.",
    noSeat:
      "You are no longer registered in any unit or program, so this command or button no longer works for you. If needed, ask your coordinator for a new invite link.",
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
    listCut: (shown: number, total: number) => `(The ${shown} soonest of ${total} steps. Report on the others by replying to their reminders.)`,
    noMilestones: "There are no open steps to report on.",
    pickPercent: (title: string, progress: number) => `<b>${title}</b>\nLast progress: ${progress}%.\n\nPick the progress now, or type the number (0–100).`,
    blockedButton: "⚠️ Blocked",
    askNote: "Write a short note (e.g. what was done), or press Skip.",
    askReason: 'What is blocking it? Write it briefly (e.g. "budget not released yet").',
    skip: "Skip",
    confirm: (title: string, what: string, note: string | null, files = 0) =>
      `Check your report:\n\n<b>${title}</b>\nProgress: ${what}\nNote: ${note ?? "—"}\nEvidence: ${files > 0 ? `${files} file${files === 1 ? "" : "s"}` : "—"}\n\n📎 Any evidence (a photo of the activity, the decree as PDF)? Send it here first.\n\nSave?`,
    save: "✅ Save",
    cancel: "Cancel",
    saved: (title: string, what: string, note: string | null) => `✅ Saved: <b>${title}</b> — ${what}. Thank you!${note ? `\nNote: ${note}` : ""}`,
    cancelled: "Report cancelled. Nothing was saved.",
    badPercent: "Progress must be a number from 0 to 100, e.g. 60. Try again, or type /cancel.",
    needReason: "Please write what is blocking it first (one sentence is enough), or type /cancel.",
    askDecreaseReason: (from: number, to: number) =>
      `Progress goes down from ${from}% to ${to}%. Write briefly why (e.g. "the SOP must be revised"), or type /cancel.`,
    decreaseRefused: (from: number, to: number) =>
      `Progress would go down from ${from}% to ${to}% without a reason, so nothing was saved. Type /report again and write why in the note.`,
    undoButton: "↩️ Undo",
    undoHint: "A mistake? Press ↩️ Undo (valid for 30 minutes), then type /report to report again.",
    undone: (title: string, what: string) =>
      `↩️ The report on <b>${title}</b> was undone. Progress is back to ${what}.\nTo correct it, type /report and report again.`,
    undoRefused: {
      not_found: "This report was not found.",
      not_yours: "Only the person who made this report can undo it.",
      already_undone: "This report was already undone.",
      expired: "A report can only be undone within 30 minutes. To correct it, type /report and report again.",
    } as Record<string, string>,
  },
  progressText: (percent: number, status: string) =>
    status === "done" ? "done (100%)" : status === "blocked" ? `blocked (${percent}%)` : status === "not_started" ? "not started (0%)" : `${percent}%`,
  statusNames: { not_started: "not started", in_progress: "in progress", done: "done", blocked: "blocked" },
  reply: {
    needReason: 'What is blocking it? Reply to the reminder again with the reason, e.g. "blocked: budget not released yet".',
    notUnderstood:
      'Sorry, I did not understand. Reply with the progress, e.g. "60% draft SOP done", "done", or "blocked by budget". You can also type /report.',
    outOfRange: "Progress must be between 0 and 100%. Reply again with the right number.",
    notYours: "This reminder is not for your unit.",
    relieved:
      "You got this reminder standing in for a focal point on leave. The unit's focal points are back and the step was reported on since, so reports are theirs again. Nothing was recorded.",
    pickStep: "This reminder lists several steps. Which one are you reporting?",
    whichStep: (report: string) =>
      `Your reply: ${report}\nThis reminder lists several steps and I cannot tell which one. Press its step; no need to type your reply again.`,
    fileKept: "📎 File received. It is saved with that report as soon as you pick its step.",
    pendingCancelled: "Cancelled. That reply was not saved.",
    pendingFull: (max: number) => `At most ${max} files per report; this one was not kept.`,
    needDecreaseReason: (from: number, to: number) =>
      `Progress goes down from ${from}% to ${to}%. Reply to the reminder again with the reason, e.g. "${to}% the SOP must be revised". Nothing was saved.`,
  },
  reminder: {
    title: (label: string) => `⏰ <b>Deadline reminder (${label})</b>`,
    overdueTitle: (late: number) => `🔴 <b>Step ${days(late)} overdue</b>`,
    initiative: (name: string, origin: string | null) => `Innovation: ${name}${origin ? ` — replicated from ${origin}` : ""}`,
    unit: (name: string) => `Unit: ${name}`,
    milestone: (title: string) => `Step: ${title}`,
    due: (date: string, daysLeft: number) => `Due: ${date} (${daysLeft > 0 ? `in ${days(daysLeft)}` : daysLeft === 0 ? "today" : `${days(-daysLeft)} ago`})`,
    lastProgress: (what: string, when: string | null) => `Last progress: ${what}${when ? ` (${when})` : ""}`,
    noProgress: "Last progress: no report yet",
    cta: 'Reply to this message with the latest progress, e.g. "60% draft SOP done", or use its buttons below.',
    nudgeTitle: "👋 <b>Your coordinator asks about this step</b>",
    manyTitle: (n: number) => `⏰ <b>Reminder: ${n} steps</b>`,
    manyCta: 'Reply to this message with the progress and its step, e.g. "SOP 60%", or tap the step\'s number below.',
  },
  reminderButtons: {
    done: "✅ Done",
    report: "📝 Report",
    snooze: "⏰ Tomorrow",
    back: (n: number) => `⬅️ Back (step ${n})`,
    opened: (n: number, title: string) => `Step ${n}: ${title}`,
    notYours: "This reminder is for someone else, so its buttons do not work for you.",
    removed: "You can no longer report on this step, so this button no longer works. Nothing was changed.",
    relieved:
      "You got this reminder standing in for a focal point on leave. The unit's focal points are back and the step was reported on since, so this button no longer works for you.",
    changedDone: "This step has been done (100%) since this reminder was sent. Nothing was changed.",
    changedReported: (what: string, when: string) =>
      `A new report came in since this reminder was sent: the progress is now ${what} (${when}). Nothing was changed; see /tasks.`,
    changedRevised: (due: string) => `This step's due date changed since this reminder was sent, to ${due}. Nothing was changed; see /tasks.`,
    at: (date: string, hour: number, zone: string) => `${date} at ${String(hour).padStart(2, "0")}:00 ${zone}`,
    snoozed: (title: string, when: string, count: number, max: number) =>
      `⏰ OK, you will be reminded of <b>${title}</b> again on ${when}.\nSnooze ${count} of at most ${max}. Tapped by mistake? Tap ↩️ Undo.`,
    snoozedAlready: (when: string) => `Already done: you will be reminded again on ${when}.`,
    snoozeLimit: (max: number) =>
      `This step's reminder has been snoozed ${max} times already (the limit is ${max}). Report its progress with ✅ Done or 📝 Report.`,
    snoozeEscalation: (when: string) =>
      `Cannot snooze: on ${when} this step goes to the head of unit, before tomorrow's reminder. Report its progress now with 📝 Report.`,
    undo: "↩️ Undo",
    snoozeUndone: (title: string, when: string, earlier: string | null) =>
      `↩️ Snooze undone: you will not be reminded of <b>${title}</b> again on ${when}.${earlier ? ` The earlier snooze stands again: you are reminded on ${earlier}.` : ""}`,
    undoRefused: {
      not_found: "This snooze was not found.",
      not_yours: "Only the person who snoozed this reminder can undo it.",
      sent: "That reminder has been sent already, so its snooze can no longer be undone.",
      cancelled: "This snooze has been undone already.",
    } as Record<string, string>,
  },
  escalation: {
    headTitle: "⚠️ <b>Your unit's steps are overdue and not reported</b>",
    coordinatorTitle: "⚠️ <b>Escalation: overdue steps without a report</b>",
    reminded: (n: number, last: string | null) => (n > 0 ? `Reminders sent: ${n}${last ? `, last on ${last}` : ""}` : "No reminder has been sent yet."),
    focalPoints: (names: string) => `Focal point: ${names}`,
    noFocalPoint: "none yet",
    headTold: (date: string) => `The head of unit has been told (${date}).`,
    headNotTold: "The head of unit has not been told.",
    noHead: "This unit has no head of unit in Pantau, so no head has been told.",
    headAsk: "Please follow up with your unit's focal point (if there is none yet, ask the coordinator to invite one). This message is sent once per step.",
    coordinatorAsk: "This message is sent once per step. Type /overdue to see everything overdue.",
    earlierHead: (steps: number) =>
      `🕓 Before you joined, ${steps === 1 ? "1 step of your unit was" : `${steps} steps of your unit were`} already overdue without a report. Type /status to see the progress.`,
    earlierCoordinator: (steps: number, units: number) =>
      `🕓 Before you joined, ${steps === 1 ? "1 step" : `${steps} steps`} in ${units === 1 ? "1 unit" : `${units} units`} ${steps === 1 ? "was" : "were"} already overdue without a report. Type /overdue to see them.`,
    unreachedTitle: (units: number, program: string) =>
      `🔕 <b>${units === 1 ? "1 unit with overdue steps has" : `${units} units with overdue steps have`} no focal point the bot can remind</b> (${program})\nTheir steps are not escalated one by one.`,
    someUnits: (names: string[], more: number) => `${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}`,
    moreRegions: (n: number) => `… and ${n} more ${n === 1 ? "region" : "regions"}`,
    unreachedAsk: "Type /reach to see them and invite their focal points. This summary is sent at most once a day.",
  },
  broadcast: {
    header: (sender: string) => `📢 <b>Message from the coordinator</b>${sender ? ` (${sender})` : ""}`,
    privateOnly: "Broadcasts are composed in a private chat with the bot. Open a chat with me and type /broadcast.",
    noProgram: "You are not a coordinator of any program yet.",
    pickProgram: "Which program is the broadcast for?",
    compose: (program: string) =>
      `📢 <b>New broadcast — ${program}</b>\n\nSend the message to broadcast: text, or a photo/document with a caption.\nType /cancel to stop.`,
    empty: "The message is empty. Send text, or a photo/document with a caption.",
    needCaption: "Add a caption to the photo or document so that people know what it is about, then send it again.",
    tooLong: (length: number, max: number) => `The message is too long for one message: ${length} characters, at most ${max}. Shorten it and send it again.`,
    pickAudience: "Message ready. Who should get it?\n🔕 = units that reported nothing for 7, 14 or 30 days.",
    audienceProgram: "All units of the program",
    audienceOverdue: "🔴 Units with overdue steps",
    audienceSilent: (days: number) => `🔕 ${days} days`,
    audienceUnits: "Choose units…",
    pickUnits: (selected: number, page: number, pages: number) =>
      `Tap a unit to choose or unchoose it, then press Done.\nChosen: ${selected} units.${pages > 1 ? ` Page ${page} of ${pages}.` : ""}`,
    unitsDone: (n: number) => `Done (${n})`,
    noneSelected: "Choose at least one unit.",
    unitOutOfReach: "This unit is outside your program or region.",
    noUnits: "No unit matches that choice. Choose other recipients.",
    audienceName: {
      program: "all units of the program",
      overdue: "units with overdue steps",
      silent: (days: number) => `units without a report for ${days} days`,
      units: (n: number) => `${n} chosen units`,
    },
    media: { photo: "[photo]", document: "[document]" } as Record<string, string>,
    preview: (program: string, audience: string, message: string) => `📢 <b>Broadcast preview — ${program}</b>\nRecipients: ${audience}\n\n${message}`,
    unitNames: (n: number, names: string) => `Units (${n}): ${names}`,
    reach: (people: number, units: number) => `It will reach <b>${people} people</b> in <b>${units} units</b>.`,
    unreached: (n: number, names: string) => `⚠️ In ${n} units nobody has opened the bot yet: ${names}`,
    andMore: (n: number) => `and ${n} more`,
    blockedPeople: (n: number) => `🚫 ${n} people blocked the bot and will not get it.`,
    noRecipients: "Nobody in these units can be sent to yet. Invite their focal points first, or choose other recipients.",
    send: "✅ Send",
    change: "↩️ Change recipients",
    cancel: "Cancel",
    cancelled: "Broadcast cancelled. Nothing was sent.",
    notSent: "The broadcast was not sent: nobody can be reached any more, or you no longer coordinate this program. Nothing was sent.",
    prepareFailed: "The broadcast could not be prepared. Nothing was sent; try again in a moment.",
    report: {
      title: (program: string) => `📢 <b>Broadcast report — ${program}</b>`,
      sending: "Status: ⏳ sending",
      done: "Status: ✅ done",
      cancelled: "Status: ⛔ cancelled",
      recipients: (n: number) => `Recipients: ${n} people`,
      sent: (n: number) => `✅ Delivered: ${n}`,
      failed: (n: number) => `❌ Failed: ${n}`,
      blocked: (n: number) => `🚫 Blocked the bot: ${n}`,
      pending: (n: number) => `⏳ Waiting: ${n}`,
      notSent: (n: number, sent: number) => `⛔ Cancelled: ${n} not sent (${sent} delivered before the cancel)`,
      unreachedHeader: (n: number) => `Nobody has opened the bot yet in ${n} units:`,
      unreachedLine: (unit: string, invited: boolean) => `• ${unit} — ${invited ? "invite not used yet" : "not invited yet"}`,
      more: (n: number) => `• and ${n} more units`,
    },
    cancelButton: "⛔ Cancel broadcast",
    cancelDone: "Broadcast cancelled. What has not been delivered will not be sent.",
    alreadyFinished: "This broadcast has already finished or been cancelled.",
    notYours: "You cannot cancel this broadcast.",
  },
  nudge: {
    usage: "Name the unit or step to nudge, e.g. /nudge BABAR-DISPARBUD or /nudge Penyusunan SOP layanan.",
    queuedUnit: (people: number, steps: number, unit: string) =>
      `👋 Nudged now: ${people} focal points, ${steps} steps of ${unit} that are overdue or due within 14 days.`,
    queuedStep: (people: number, title: string, unit: string) => `👋 Nudged now: ${people} focal points of ${unit} about the step <b>${title}</b>.`,
    already: (target: string) => `${target} was already nudged this hour; nothing more was sent.`,
    noFocalPoint: (unit: string, code: string, invited: boolean) =>
      `${unit} has no focal point who opened the bot yet${invited ? " (its invite is not used yet)" : ""}. Invite one with /invite ${code} or <code>pantau invite --unit ${code}</code>.`,
    allBlocked: (unit: string) => `Every focal point of ${unit} blocked the bot, so no reminder can be sent. Reach them another way.`,
    nothingDue: (unit: string) => `${unit} has no open step that is overdue or due within 14 days. Nobody was nudged.`,
    stepDone: (title: string, unit: string) => `The step <b>${title}</b> (${unit}) is already done. Nobody was nudged.`,
    notFound: (query: string) => `No unit or step "${query}" in your program.`,
    suggestions: "Did you mean:",
    ambiguous: (query: string) => `"${query}" matches more than one unit or step. Use the unit code:`,
    unitLine: (code: string, name: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    stepLine: (title: string, unit: string, code: string) => `• ${title} — ${unit} (<code>${code}</code>)`,
    stepHint: "For one step of one unit: /nudge UNIT-CODE step title",
  },
  status: {
    header: "📊 <b>Progress of the innovations</b>",
    none: "There are no innovations you can see yet.",
    notFound: (query: string) => `Innovation "${query}" was not found among those you can see.`,
    summary: (initiatives: number, overdue: number) =>
      `${initiatives} ${initiatives === 1 ? "innovation" : "innovations"} · ${overdue} overdue ${overdue === 1 ? "step" : "steps"}`,
    narrow: "The search words are too long for page buttons: narrow the search to see the rest.",
    initiative: (name: string, unit: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b> — ${unit}\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} overdue)` : ""}`,
    milestone: (title: string, due: string, what: string, late: number) =>
      `  ${late > 0 ? "🔴" : "•"} ${title} — ${due} — ${what}${late > 0 ? ` (${days(late)} late)` : ""}`,
  },
  recap: {
    none: "There is no program you can see yet. Load an action plan with pantau import.",
    header: (program: string, date: string) => `📊 <b>Recap ${program}</b>\n${date}`,
    total: (progressBar: string, percent: number, units: number, regions: number, overdue: number) =>
      `${progressBar} <b>${percent}%</b> · ${units} ${units === 1 ? "unit" : "units"}${regions > 1 ? ` in ${regions} regions` : ""} · ${overdue} overdue ${overdue === 1 ? "step" : "steps"}`,
    counts: (c: Record<"late" | "blocked" | "silent" | "on_track", number>, silentDays: number) =>
      `🟢 ${c.on_track} on track · 🔴 ${c.late} late · ⛔ ${c.blocked} blocked · 🔕 ${c.silent} silent for ${days(silentDays)}`,
    attention: (n: number) => `❗ <b>To follow up today (${n})</b>`,
    noAttention: "👍 No unit is late, blocked or silent.",
    moreAttention: (n: number) => `… and ${n} more: see the buttons below.`,
    others: "<b>Other units</b>",
    othersHidden: (n: number) => `${n} other ${n === 1 ? "unit is" : "units are"} on track: press 📋 All.`,
    byRegion: "<b>By region</b>",
    region: (name: string) => `🏛 <b>${name}</b>`,
    regionLine: (name: string, progressBar: string, percent: number, units: number, states: string) =>
      `🏛 <b>${name}</b> ${progressBar} ${percent}% · ${units} ${units === 1 ? "unit" : "units"}${states ? ` · ${states}` : ""}`,
    unit: (icon: string, name: string, region: string | null, progressBar: string, percent: number, facts: string[]) =>
      `${icon} <b>${name}</b>${region ? ` (${region})` : ""} ${progressBar} ${percent}%${facts.length ? ` · ${facts.join(" · ")}` : ""}`,
    initiative: (name: string, percent: number, overdue: number, blocked: number) =>
      `   • ${name}: ${percent}%${overdue > 0 ? ` · ${overdue} overdue` : ""}${blocked > 0 ? ` · ${blocked} blocked` : ""}`,
    moreInitiatives: (n: number) => `   • … and ${n} more ${n === 1 ? "innovation" : "innovations"}`,
    late: (steps: number, late: number) => `${steps} overdue, the oldest ${days(late)} late`,
    blocked: (steps: number) => `${steps} blocked`,
    silent: (silence: number | null) => (silence === null ? "never reported" : `no report for ${days(silence)}`),
    icons: { late: "🔴", blocked: "⛔", silent: "🔕", on_track: "🟢", all: "📋" } as Record<string, string>,
    lists: { late: "Late", blocked: "Blocked", silent: "Silent", all: "All" } as Record<string, string>,
    listHeader: (icon: string, list: string, program: string, units: number) =>
      `${icon} <b>${list}</b> — ${program} (${units} ${units === 1 ? "unit" : "units"})`,
    regionHeader: (region: string, program: string) => `🏛 <b>${region}</b> — ${program}`,
    regionsHeader: (program: string, regions: number) => `🏛 <b>By region</b> — ${program} (${regions} ${regions === 1 ? "region" : "regions"})`,
    empty: "No unit is in this list now.",
    button: (icon: string, list: string, units: number) => `${icon} ${list} (${units})`,
    regionsButton: (regions: number) => `🏛 By region (${regions})`,
    chartButton: "📈 Chart",
    exportButton: "📥 Export XLSX",
    summaryButton: "⬅️ Summary",
  },
  chart: {
    subtitle: (byRegion: boolean, date: string, percent: number, overdue: number) =>
      `Progress per ${byRegion ? "region" : "unit"} · ${date} · overall ${percent}% · ${overdue} overdue ${overdue === 1 ? "step" : "steps"}`,
    regionLabel: (name: string, units: number) => `${name} (${units} ${units === 1 ? "unit" : "units"})`,
    overdue: (n: number) => `${n} overdue`,
    legend: "Green: nothing overdue · orange: something overdue. Progress is weighted by the steps' weights.",
    caption: (program: string) => `📈 Progress chart of ${program}`,
  },
  overdue: {
    header: "🔴 <b>Overdue steps</b>",
    none: "No overdue steps 👍",
    summary: (steps: number, units: number) => `${steps} overdue ${steps === 1 ? "step" : "steps"} in ${units} ${units === 1 ? "unit" : "units"}`,
    line: (unit: string, initiative: string, title: string, due: string, late: number, what: string, pics: string) =>
      `<b>${unit}</b> — ${initiative}\n  ${title}\n  Due ${due}, <b>${days(late)}</b> late · ${what}\n  PIC: ${pics}`,
    noPic: "none yet",
    unitLine: (unit: string, region: string, steps: number, mostLate: number) =>
      `<b>${unit}</b> (${region}): ${steps === 1 ? "1 overdue step" : `${steps} overdue steps`}, the oldest <b>${days(mostLate)}</b> late`,
    groupHint: "🔒 Focal points' names and the steps are not shown in groups. To see them, type /overdue in your private chat with me.",
  },
  rules: {
    header: (program: string, canChange: boolean) => `⚙️ <b>Reminder rules — ${program}</b>${canChange ? "" : " (view only)"}`,
    reminders: (offsets: number[], hour: number) => {
      const days = offsets.map((o) => (o === 0 ? "on the due date" : `D-${o}`));
      const list = days.length > 1 ? `${days.slice(0, -1).join(", ")} and ${days.at(-1)}` : days[0];
      return list ? `Reminders: ${list} at ${String(hour).padStart(2, "0")}:00 local time` : "Reminders: none before the due date";
    },
    overdue: (every: number, max: number) =>
      max === 0 ? "When overdue: no more reminders" : `When overdue: ${every === 1 ? "every day" : `every ${every} days`}, at most ${max} times`,
    workingDays: (on: boolean) =>
      `Working days only: ${on ? "yes (weekends, national holidays, collective leave and the program's own days off skipped; see /holidays)" : "no"}`,
    quietHours: (start: number, end: number) =>
      start === end ? "Quiet hours: none" : `Quiet hours: ${String(start).padStart(2, "0")}:00–${String(end).padStart(2, "0")}:00`,
    escalation: (enabled: boolean, head: number, coord: number) =>
      enabled
        ? `Escalation: to the head of unit ${head === 0 ? "on the first day overdue" : `after ${head} days`} without a report, to the coordinators ${coord === 0 ? "the same day" : `${coord} days later`}`
        : "Escalation: off",
    silent: (offsets: number[], from: number) => {
      if (from === 0) return "Silent: none, every reminder with sound";
      const list = (days: number[]) => days.map((o) => (o === 0 ? "on the due date" : `D-${o}`)).join(", ");
      const quiet = offsets.filter((o) => o >= from);
      const loud = offsets.filter((o) => o < from);
      return `Silent: reminders D-${from} or earlier${quiet.length ? ` (${list(quiet)})` : ""}; ${loud.length ? `${list(loud)} and ` : ""}overdue ones with sound`;
    },
    digest: (enabled: boolean, weekday: string, hour: number, sendHour: boolean) =>
      enabled ? `Weekly digest: every ${weekday} at ${String(hour).padStart(2, "0")}:00 local time${sendHour ? " (the send hour)" : ""}` : "Weekly digest: off",
    sendHourInQuiet: (hour: number, end: number) =>
      `ℹ️ The send hour ${String(hour).padStart(2, "0")}:00 falls in the quiet hours, so reminders go out at ${String(end).padStart(2, "0")}:00 when the quiet hours end.`,
    howTo: [
      "<b>How to change</b> (one rule per command):",
      "/rules reminders 14,7,3,1,0 — days before the due date (0–60, at most 8 numbers; 0 = on the day)",
      "/rules hour 8 — send hour, local time (0–23)",
      "/rules overdue 3 10 — when overdue: every 3 days (1–30), at most 10 times (0–60)",
      "/rules workingdays yes — working days only: yes or no",
      "/rules quiet 21-6 — quiet hours, or /rules quiet off",
      "/rules escalation 3 4 — days until the head of unit is told, then until the coordinators (0–30); or /rules escalation off, /rules escalation on",
      "/rules silent 7 — reminders D-7 or earlier go without a notification sound (0–60); /rules silent off: all with sound",
      "/rules digest monday 8 — weekly digest for heads of unit and coordinators: day and hour (without an hour: the send hour); or /rules digest off, /rules digest on",
    ].join("\n"),
    namePrograms: "You coordinate several programs: add the program name at the end of the command, e.g. /rules hour 8 KIPP 2023.",
    readOnly: "These rules apply to every region in the program, so only a coordinator of the whole program can change them.",
    changed: (program: string, line: string, who: string) => `✅ Rules of <b>${program}</b> changed:\n${line}\n\nThis change is logged under ${who}'s name.`,
    unchanged: (program: string, line: string) => `The rules of <b>${program}</b> already say so; nothing was changed.\n${line}`,
    notAllowed: (program: string) =>
      `Sorry, the rules of <b>${program}</b> apply to every region in the program, so only a coordinator of the whole program can change them. You can still see them with /rules.`,
    unknownRule: (word: string) => `There is no rule "${word}". Nothing was changed.`,
    chooseProgram: (names: string[]) =>
      `Which program? Add the program name at the end of the command, e.g. /rules hour 8 ${names[0] ?? ""}\n\nYour programs:\n${names.map((n) => `• ${n}`).join("\n")}`,
    unknownProgram: (query: string, names: string[]) =>
      `"${query}" is not one of your programs. Nothing was changed.\n\nYour programs:\n${names.map((n) => `• ${n}`).join("\n")}`,
    none: "You are not a coordinator of any program yet.",
    invalid: {
      offsets:
        "Reminders are days before the due date: numbers from 0 to 60 (0 = on the day), at most 8, separated by commas. Example: /rules reminders 14,7,3,1,0. Nothing was changed.",
      sendHour: "The send hour must be a whole hour from 0 to 23, local time. Example: /rules hour 8. Nothing was changed.",
      overdue: "Write two numbers: every how many days (1 to 30), then at most how many times (0 to 60). Example: /rules overdue 3 10. Nothing was changed.",
      workingDaysOnly: "Write yes or no. Example: /rules workingdays yes. Nothing was changed.",
      quietHours: "Write the start and end hour (0 to 23) joined by a minus sign, or off. Example: /rules quiet 21-6 or /rules quiet off. Nothing was changed.",
      escalation:
        "Write two numbers of days (0 to 30): until the head of unit is told, then until the coordinators are told; or off, or on. Example: /rules escalation 3 4. Nothing was changed.",
      silent:
        "Write how many days before the due date (0 to 60): reminders that far ahead or earlier go without sound; 0 or off: all with sound. Example: /rules silent 7. Nothing was changed.",
      digest: "Write the day (monday to sunday) and, if you like, the hour (0 to 23); or off, or on. Example: /rules digest monday 8. Nothing was changed.",
    },
  },
  holidays: {
    header: (program: string) => `📅 <b>Days off — ${program}</b>`,
    until: (date: string) => `Until ${date}, and every day off of the program after it:`,
    line: (date: string, name: string, kind: string) => `• ${date} — ${name} (${kind})`,
    kinds: { "libur nasional": "national holiday", "cuti bersama": "collective leave" } as Record<string, string>,
    estimated: "national holiday, estimated",
    programDay: "program's day off",
    regionDay: (region: string) => `program's day off, ${region}`,
    none: "No days off in this range.",
    notWorkingDaysOnly: "ℹ️ This program sends reminders on days off too, so days off do not move them yet. To skip them: /rules workingdays yes.",
    source: (year: number, decrees: string) => `National holidays and collective leave ${year}: ${decrees}.`,
    noSource: (year: number) =>
      `${year}: the official calendar (SKB 3 Menteri) is not in Pantau yet; national holidays are computed (estimated, possibly a day off) and collective leave is not known.`,
    howTo: (date: string, region: string | null, severalPrograms: boolean) =>
      [
        "<b>The program's own days off</b> (a regional anniversary, an office closure): reminders move to the working day before.",
        `/holidays add ${date} Regency Anniversary — the date (like 14 March 2026, 14/03/2026 or 2026-03-14), then the day's name`,
        ...(region ? [`/holidays add ${region} ${date} Anniversary — a region's name before the date: for that region only`] : []),
        `/holidays remove ${date} — removes it`,
        ...(severalPrograms ? ["You coordinate several programs: write the program's (or its region's) name before the date."] : []),
      ].join("\n"),
    wholeProgram: (program: string) => `the whole program ${program}`,
    region: (region: string, program: string) => `${region} (${program})`,
    added: (name: string, date: string, where: string, who: string) =>
      `✅ <b>${name}</b>, ${date}, is now a day off for ${where}. Reminders falling on it go out on the working day before.\n\nLogged under ${who}'s name.`,
    removed: (name: string, date: string, where: string, who: string) =>
      `✅ The day off <b>${name}</b>, ${date}, for ${where} was removed: it is a working day again.\n\nLogged under ${who}'s name.`,
    noDate: {
      add: "The date could not be read. Write it like 14 March 2026, 14/03/2026 or 2026-03-14, then the day's name, e.g. /holidays add 14/03/2026 Regency Anniversary. Nothing was changed.",
      remove: "The date could not be read. Write it like 14 March 2026, 14/03/2026 or 2026-03-14, e.g. /holidays remove 14/03/2026. Nothing was changed.",
    },
    badName: {
      empty: () => "Write the day's name after the date, e.g. /holidays add 14/03/2026 Regency Anniversary. Nothing was changed.",
      too_long: (max: number) => `A day off's name has at most ${max} characters. Nothing was changed.`,
      control: () => "A day off's name must be one line, without special characters. Nothing was changed.",
    },
    placeUnknown: (query: string, places: string) =>
      `"${query}" is not one of your programs or regions. Nothing was changed.\n\nWhat you may write before the date:\n${places}`,
    placeAmbiguous: (places: string) => `For which program or region? Write its name before the date. Nothing was changed.\n\nYour choices:\n${places}`,
    past: (date: string) =>
      `${date} has begun or passed: the program's days off can be added or removed for days to come only (reminders already planned are not planned again). Nothing was changed.`,
    weekend: (date: string) => `${date} falls on a weekend, which is skipped anyway. Nothing was changed.`,
    national: (date: string, name: string, kind: string) => `${date} is a day off already: ${name} (${kind}). Nothing was changed.`,
    duplicate: (date: string, name: string, where: string) => `${date} is a day off for ${where} already: ${name}. Nothing was changed.`,
    notFound: (date: string) => `None of your programs or regions has a day off of its own on ${date} (see the list with /holidays). Nothing was changed.`,
    wholeProgramOnly: (name: string, date: string, program: string) =>
      `The day off <b>${name}</b>, ${date}, is for the whole program ${program}, so only a coordinator of the whole program can remove it. Nothing was changed.`,
    several: (date: string, days: string, example: string) =>
      `Several days off of your programs fall on ${date}:\n${days}\n\nWrite the region or program before the date, e.g. /holidays remove ${example}. Nothing was changed.`,
    unknownWord: (word: string) => `"${word}" is not known. Write /holidays for the list of days off, /holidays add or /holidays remove. Nothing was changed.`,
    noProgram: "You do not coordinate any program yet.",
  },
  digest: {
    title: (program: string) => `📬 <b>Weekly digest — ${program}</b>`,
    week: (from: string, to: string) => `Week ${from} – ${to}`,
    unit: (name: string, region: string) => `🏢 <b>${name}</b> (${region})`,
    reported: (n: number) => `<b>✍️ Reported this week (${n})</b>`,
    reportedNone: "✍️ No reports this week.",
    reportLine: (title: string, what: string, by: string | null, when: string) => `• ${title}: ${what} — ${by ? `${by}, ` : ""}${when}`,
    due: (n: number, days: number) => `<b>📅 Due in the next ${days} days (${n})</b>`,
    dueNone: (days: number) => `📅 No steps due in the next ${days} days.`,
    dueLine: (title: string, due: string, daysLeft: number, what: string) =>
      `• ${title} — ${due} (${daysLeft === 0 ? "today" : `in ${daysLeft} days`}) · ${what}`,
    late: (n: number) => `<b>🔴 Overdue (${n})</b>`,
    lateNone: "🔴 No overdue steps 👍",
    lateLine: (title: string, days: number, what: string) => `• ${title} — ${days} days late · ${what}`,
    silentFocalPoints: (n: number, days: number) => `<b>🔕 Focal points without a report for ${days} days (${n})</b>`,
    silentFocalPointsNone: (days: number) => `🔕 Every focal point reported in the last ${days} days.`,
    silentFocalPoint: (name: string, last: string | null, blocked: boolean) =>
      `• ${name} — ${last ? `last report ${last}` : "never reported"}${blocked ? " (blocked the bot)" : ""}`,
    noFocalPoint: "🔕 This unit has no registered focal point yet. Ask the coordinator for a focal point's invite.",
    more: (n: number) => `• and ${n} more`,
    regions: (names: string) => `Regions: ${names}`,
    progress: (bar: string, percent: number) => `Progress: ${bar} ${percent}%`,
    steps: (onTrack: number, late: number, blocked: number, done: number) => `Steps: ${onTrack} on track · ${late} overdue · ${blocked} blocked · ${done} done`,
    reports: (count: number, units: number) => (count > 0 ? `✍️ Reports this week: ${count} from ${units} units` : "✍️ No reports this week."),
    silentUnits: (n: number, days: number) => `<b>🔕 Units without a report for ${days} days (${n})</b>`,
    silentUnitsNone: (days: number) => `🔕 Every unit reported in the last ${days} days 👍`,
    silentUnit: (name: string, region: string) => `• ${name} (${region})`,
    coordinatorHint: (days: number) => `Details: /summary and /overdue. To reach the silent units: /broadcast, then 🔕 ${days} days.`,
    footer: (weekday: string, hour: number) => `Sent every ${weekday} at ${String(hour).padStart(2, "0")}:00. To stop: the button below or /digest off.`,
    stopButton: "🔕 Stop the weekly digest",
    status: (on: boolean) => `📬 Weekly digest for you: <b>${on ? "on" : "off"}</b>.`,
    about: "Every week a head of unit gets their unit's digest and a coordinator their program's, one message each.",
    schedule: (program: string, enabled: boolean, weekday: string, hour: number) =>
      enabled
        ? `• ${program}: every ${weekday} at ${String(hour).padStart(2, "0")}:00 local time`
        : `• ${program}: switched off for the whole program (/rules)`,
    noPrograms: "None of your programs has a digest for you yet.",
    howTo: (on: boolean) => (on ? "Type /digest off to stop it." : "Type /digest on to get it again."),
    turnedOn: "✅ Weekly digest switched on: you will get the next one.",
    turnedOff: "🔕 Weekly digest switched off: you will not get it any more. Type /digest on to get it again.",
    already: (on: boolean) => `The weekly digest is already ${on ? "on" : "off"}; nothing was changed.`,
    unknown: (word: string) => `"${word}" is not a choice. Write /digest on or /digest off. Nothing was changed.`,
  },
  languageSetting: {
    // Each language by its own name, the same in both catalogues, so anyone finds theirs.
    names: { id: "Bahasa Indonesia", en: "English" },
    current: (name: string) => `Language of the bot's messages for you: <b>${name}</b>.`,
    choose: "Pick a language with the buttons below, or type /language id or /language en.",
    unknown: (value: string) =>
      `"${value}" is not a language choice. The choices are <b>id</b> (Bahasa Indonesia) or <b>en</b> (English). Nothing was changed.`,
    changed: (name: string) => `✅ The bot's messages are now in <b>${name}</b>.\nType /help to see the commands.`,
    already: (name: string) => `The bot's messages are already in <b>${name}</b>; nothing was changed.`,
  },
  inviteCommand: {
    usage:
      "Write the unit's code or name, then the role: pic (focal point, when none is written), kepala (head) or koordinator (coordinator).\n" +
      "Examples: /invite BABAR-DISPARBUD · /invite BABAR-DISPARBUD kepala · /invite koordinator",
    noProgram: "You are not a coordinator of any program yet.",
    unitTarget: (name: string, code: string) => `${name} (${code})`,
    created: (role: string, target: string, uses: number, expires: string, link: string) =>
      `✉️ Invite for a <b>${role}</b> of <b>${target}</b>\n` +
      `Can be used by ${uses} ${uses === 1 ? "person" : "people"}, valid until ${expires}.\n\n${link}\n\n` +
      "Send this link only to the person it is for: whoever opens it can join. " +
      "The QR code below holds the same link, to print or to scan with a phone camera.",
    qrCaption: (role: string, target: string) => `QR code of the invite for a ${role} of ${target}. Scan it with a phone camera, then press Start.`,
    sentPrivately: (role: string, target: string, name: string) =>
      `🔒 The invite for a ${role} of ${target} was sent to ${name} in a private message. Invite links are not shared in groups.`,
    openPrivateFirst: (bot: string) =>
      `🔒 Invite links are not shared in groups, and I cannot write to you privately yet. ` +
      `Open @${bot}, press Start, then type /invite again (there or in this group).`,
    notFound: (query: string) => `No unit "${query}" in the programs (and regions) you coordinate.`,
    suggestions: "Did you mean:",
    askCode: "Use the unit code (the kode_opd column of the action plan file), e.g. /invite BABAR-DISPARBUD.",
    ambiguous: (query: string) => `"${query}" matches several units. Use the unit code:`,
    unitLine: (code: string, name: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    chooseProgram: (names: string[]) =>
      `A coordinator invite for which program? Write the program's name, e.g. /invite ${names[0] ?? ""} koordinator\n\n${names.map((n) => `• ${n}`).join("\n")}`,
    chooseUnitProgram: (code: string, names: string[]) =>
      `Unit ${code} takes part in several of your programs, and an invite holds for one program only. Write the program's name after the unit's code, e.g. /invite ${code} ${names[0] ?? ""}\n\n${names.map((n) => `• ${n}`).join("\n")}`,
    chooseRegion: (names: string[]) =>
      `A coordinator invite for which region? Write the region's name, e.g. /invite ${names[0] ?? ""} koordinator\n\n${names.map((n) => `• ${n}`).join("\n")}`,
  },
  paging: {
    previous: "◀️ Previous",
    next: "Next ▶️",
    page: (page: number, pages: number) => `Page ${page} of ${pages}.`,
  },
  inviteList: {
    header: (n: number) => `📨 <b>Open invites</b> (${n}):`,
    none: "There are no open invites.",
    line: (n: number, target: string, role: string, uses: number, max: number, expires: string, by: string) =>
      `<b>${n}.</b> ${target} — ${role}\n   used ${uses} of ${max}, valid until ${expires}, made by ${by}`,
    byAdmin: "admin (command line)",
    hint: "Press ❌ to revoke an invite: its link stops working at once; people who already joined stay.",
    revokeButton: (n: number) => `❌ Revoke ${n}`,
    confirm: (role: string, target: string) =>
      `Revoke the <b>${role}</b> invite for <b>${target}</b>? Its link will no longer work; people who already joined stay registered.`,
    yes: "✅ Yes, revoke",
    no: "Cancel",
    revoked: (role: string, target: string) => `✅ The <b>${role}</b> invite for <b>${target}</b> is revoked.`,
    kept: "The invite was not revoked.",
    gone: "This invite is no longer open (revoked, expired, or used up). Nothing was changed.",
    notAllowed: "This invite is not of a program or unit you coordinate. Nothing was changed.",
    privateOnly: "The list of invites is shown only in your private chat with me. Press the button below.",
  },
  members: {
    usage: "Write the code or name of a unit, e.g. /members BABAR-DISPARBUD, to see its focal points and head, and remove or replace them.",
    adminUsage: "Admins: /members coordinator lists the coordinators of every program.",
    header: (unit: string, code: string) => `👥 <b>${unit}</b> (${code})`,
    coordinatorsHeader: "👥 <b>Coordinators</b>",
    line: (n: number, name: string, role: string, where: string | null, since: string) =>
      `<b>${n}.</b> ${name} — ${role}${where ? `, ${where}` : ""}, since ${since}`,
    none: (code: string) => `No focal point (PIC) or head of unit here yet. Invite one with /invite ${code}.`,
    noCoordinators: "There are no coordinators yet.",
    hint: "❌ Remove: that person no longer gets this role's reminders and escalations; their past reports stay. 🔁 Replace: remove, then make a new invite link for the same role.",
    removeButton: (n: number) => `❌ Remove ${n}`,
    replaceButton: (n: number) => `🔁 Replace ${n}`,
    confirmRemove: (name: string, role: string, where: string) =>
      `Remove <b>${name}</b> as ${role} of <b>${where}</b>? This role's reminders and escalations stop for them; their past reports stay. They will be told.`,
    confirmReplace: (name: string, role: string, where: string) =>
      `Replace <b>${name}</b> as ${role} of <b>${where}</b>? They are removed (and told), then I make a new invite link for whoever takes over.`,
    yesRemove: "✅ Yes, remove",
    yesReplace: "✅ Yes, replace",
    no: "Cancel",
    removed: (name: string, role: string, where: string, cancelled: number) =>
      `✅ ${name} is no longer ${role} of <b>${where}</b>.${cancelled > 0 ? ` ${cancelled} scheduled messages to them were cancelled.` : ""} Their past reports stay.`,
    kept: "Nothing was changed.",
    gone: "This person is no longer registered there. Nothing was changed.",
    notAllowed: "This membership is not in a unit you coordinate. Nothing was changed.",
    adminOnly: "Coordinators can only be removed by an admin (ADMIN_TELEGRAM_IDS) or on the command line (pantau remove).",
    removedNotice: (role: string, where: string, by: string | null) =>
      `ℹ️ You are no longer registered as <b>${role}</b> for <b>${where}</b>: ${by ? `coordinator ${by}` : "the Pantau admin"} removed you (for example because your duties moved).\n\n` +
      "You will not get reminders or escalations for that role any more, and old buttons no longer work; your past reports stay. If this is a mistake, contact your coordinator.",
  },
  leave: {
    choose: "Which role do you want to leave?",
    option: (role: string, where: string) => `${role} — ${where}`,
    confirm: (role: string, where: string) =>
      `Leave your role as <b>${role}</b> of <b>${where}</b>? You will no longer get reminders for it; your past reports stay. To join again, open your invite link again (while it is still valid) or ask for a new invite.`,
    yes: "✅ Yes, leave",
    no: "Cancel",
    done: (role: string, where: string) => `✅ You have left your role as <b>${role}</b> of <b>${where}</b>. Thank you for your work!`,
    kept: "You stay registered. Nothing was changed.",
  },
  snoozeHeads: {
    told: (when: string) => `Cannot snooze any more: this step has gone to the head of unit (${when}). Report its progress with 📝 Report.`,
    away: (when: string, until: string) =>
      `Cannot snooze any more: since ${when} this step is due to go to the head of unit, away until ${until}. Report its progress with 📝 Report.`,
    waiting: (when: string) => `Cannot snooze any more: since ${when} this step is due to go to the head of unit. Report its progress with 📝 Report.`,
  },
  away: {
    status: (until: string | null, nextDay: string | null) =>
      until
        ? `🏖 You are away until <b>${until}</b>. Meanwhile your reminders go to your unit's other focal points, or to its head when no focal point is present; from ${nextDay} you get them again.\n\nChange your last day away, or press "I am back":`
        : "You are not away. Until when will you be away? Meanwhile your reminders go to your unit's other focal points (or to its head when nobody is present), then back to you by themselves.",
    days: (n: number, until: string) => `${days(n)} (until ${until})`,
    weeks: (n: number, until: string) => `${n === 1 ? "1 week" : `${n} weeks`} (until ${until})`,
    pickDate: "📅 Until a date…",
    backButton: "✅ I am back",
    cancel: "Cancel",
    askDate: (max: number) =>
      `Until which day will you be away (your last day away)? Write e.g. <b>12 December</b>, <b>12/12/2026</b> or <b>2026-12-12</b>; at most ${max} days from today. Type /cancel if not.`,
    set: (until: string, nextDay: string) =>
      `🏖 Noted: you are away until <b>${until}</b>. Meanwhile your reminders go to your colleagues in your unit; from ${nextDay} you get them again. Back earlier? Type /away off.`,
    unchanged: (until: string) => `You are already away until <b>${until}</b>. Nothing was changed.`,
    ended: "✅ Welcome back! Your leave ended today; your reminders come to you again.",
    notAway: "You are not away. Nothing was changed.",
    notADate: (text: string) =>
      `"${text}" is not a date I know. Write e.g. 12 December, 12/12/2026, 2026-12-12 or 3 days; /away off to end your leave. Nothing was changed.`,
    notAfterToday: (today: string) => `Your last day away must be after today (${today}). Nothing was changed.`,
    tooFar: (max: number, latest: string) => `A leave is at most ${max} days, that is until ${latest}. Nothing was changed.`,
    cancelled: "Nothing was changed.",
    standIn: (people: { name: string; until: string }[]) =>
      people.length === 1
        ? `🏖 You get this reminder because ${people[0]!.name} is away until ${people[0]!.until}.`
        : `🏖 You get this reminder because ${people.map((p) => `${p.name} (until ${p.until})`).join(" and ")} are away.`,
    colleaguesAway: (people: { name: string; until: string }[]) => `🏖 ${people.map((p) => `${p.name} is away until ${p.until}`).join("; ")}.`,
    headAway: (until: string) => `The head of unit is away until ${until}, so they have not been told.`,
    recapFact: (until: string) => `🏖 away until ${until}`,
    reachHeader: (n: number) => `<b>Away</b> (${n}):`,
    reachLine: (name: string, role: string, where: string, until: string) => `• ${name} — ${role}, ${where}, until ${until}`,
    reachHint: "While they are away, their reminders go to their unit's other focal points, or to its head when no focal point is present.",
    nudgeAllAway: (unit: string, until: string) => `Every focal point and head of ${unit} is away (the first leave ends ${until}). Nobody was reminded.`,
    nudgeHeads: "🏖 Every focal point of this unit is away: the reminder goes to the head of unit.",
    auditSet: (until: string) => `said they are away until ${until}`,
    auditEnd: "ended their leave",
  },
  reachReport: {
    header: (program: string) => `📡 <b>Reach — ${program}</b>`,
    region: (name: string) => `🏛 <b>${name}</b>`,
    wholeProgram: "🏛 <b>The whole program</b>",
    none: "You are not a coordinator of any program yet.",
    allReached: "Every unit has a focal point, no invite is waiting, and nobody blocked the bot 👍",
    withoutPic: (n: number) => `<b>Units without a focal point</b> (${n}):`,
    unitLine: (name: string, code: string) => `• ${name} (<code>${code}</code>)`,
    withoutPicHint: "Invite one with /invite UNIT-CODE.",
    pending: (n: number) => `<b>Invites not used yet</b> (${n}):`,
    pendingLine: (target: string, role: string, created: string, expires: string) => `• ${target} — ${role}, made ${created}, valid until ${expires}`,
    expired: (n: number) => `<b>Invites that expired unused</b> (${n}):`,
    expiredLine: (target: string, role: string, created: string, expired: string) => `• ${target} — ${role}, made ${created}, expired ${expired}`,
    expiredHint: "Make a new one with /invite.",
    blocked: (n: number) => `<b>Blocked the bot</b> (${n}):`,
    blockedLine: (name: string, role: string, where: string, since: string) => `• ${name} — ${role}, ${where}, since ${since}`,
    blockedHint: "The bot's messages do not reach them until they open the bot again; reach them another way.",
  },
  exportFile: {
    recapSheet: "Summary",
    stepsSheet: "Steps",
    recapHeaders: {
      program: "Program",
      region: "Region",
      unit: "Unit",
      initiative: "Initiative",
      progress: "Progress (%)",
      steps: "Steps",
      done: "Done",
      overdue: "Overdue",
    },
    // Names `pantau import` also reads, so the "Steps" sheet can be loaded again as a plan.
    stepHeaders: {
      program: "Program",
      region: "Region",
      unit: "Unit",
      unitCode: "Unit code",
      initiative: "Initiative",
      origin: "Origin",
      step: "Milestone",
      dueDate: "Due date",
      weight: "Weight",
      progress: "Progress (%)",
      status: "Status",
      daysLate: "Days late",
      lastReportDate: "Last report",
      lastReportNote: "Last report note",
      reportedBy: "Reported by",
    },
    caption: (program: string, date: string, percent: number, overdue: number) =>
      `📊 Summary of <b>${program}</b> as of ${date}: ${percent}% · ${overdue} ${overdue === 1 ? "step" : "steps"} overdue.\n` +
      "Sheet Summary: per initiative. Sheet Steps: every step with its latest report.",
    none: "There is no program you can export yet. Load an action plan with pantau import.",
  },
  evidence: {
    received: (n: number, name: string, total: number) =>
      `📎 Evidence ${n} received: ${name}.\nEvidence: ${total} file${total === 1 ? "" : "s"}. Send more, or press Save.`,
    save: (n: number) => `✅ Save (${n} evidence)`,
    photo: "photo",
    document: "document",
    tooMany: (max: number) => `At most ${max} files per report; this one was not kept. Press Save.`,
    notYet: "Evidence can be sent in a moment, once the progress (and the note) is given.",
    line: (n: number) => `📎 Evidence: ${n} file${n === 1 ? "" : "s"}`,
    attached: (title: string, n: number) => `📎 Evidence added to your latest report on <b>${title}</b> (now ${n} file${n === 1 ? "" : "s"}).`,
    needCaption:
      'This file was not kept: write the progress in its caption, e.g. "60% draft SOP done", and send it again as a reply to the reminder. Or use /report.',
  },
  groupChat: {
    privateOnly: (command: string) =>
      `/${command} works in a private chat with me, so that its contents stay out of the group. Press the button below to open it.`,
    openPrivate: "Open private chat",
    unknownCommand: (bot: string) => `I do not know that command. Type /help@${bot} to see the commands you can use.`,
  },
  planUpload: {
    privateOnly: "Action plans are loaded in your private chat with me, not in a group. Open the chat with the bot and type /import.",
    askFile: (programs: string) =>
      `📥 Send the action plan as a <b>CSV or XLSX</b> file for ${programs} (one row per step, column headers in row 1), as a document.\n\n` +
      "I will show what would change first; nothing is saved before you press <b>Apply</b>. " +
      "A new program can only be created by the admin on the command line (pantau import). Type /cancel to stop.",
    regionOnly: (region: string) => `only ${region}`,
    noProgram: "You do not coordinate any program yet, so there is no action plan you can load.",
    waitingFile: "I am waiting for the action plan as a CSV or XLSX file (send it as a document). Type /cancel to stop.",
    wrongType: (name: string) =>
      `${name ? `"${name}" is` : "That is"} not an action plan file. Send a <b>.csv</b> or <b>.xlsx</b> file as a document (not a photo, not a .docx or .pdf).`,
    tooBig: (megabytes: string, limit: number) =>
      `This file is too large (${megabytes} MB); an action plan file may be up to ${limit} MB. Remove the sheets or columns that are not needed, or save it as .csv, then send it again.`,
    downloadFailed: "The file could not be downloaded from Telegram. Send it again in a moment.",
    stillReading: "I am still reading your previous file. Wait for its result, then send the next file if needed.",
    rejected: (count: number) => `❌ <b>File rejected: ${count} errors.</b> Nothing was changed. Fix the file and send it again (or /cancel).`,
    rejectedOnApply: (count: number) =>
      `❌ <b>Import rejected: ${count} errors</b> (the data changed since the preview). Nothing was changed. Fix the file and send it again (or /cancel).`,
    moreErrors: (n: number) => `… and ${n} more errors.`,
    scopeCodes: {
      program_new: (v: string) => `program "${v}" does not exist; a new program can only be created by the admin on the command line (pantau import)`,
      program_not_coordinated: (v: string) => `you do not coordinate program "${v}"`,
      region_not_coordinated: (v: string) => `you do not coordinate region "${v}" in this program`,
      shared_region: (v: string) => `region "${v}" is used by other programs too; only the admin can change its time zone`,
      shared_unit: (v: string) => `this unit is used by other programs too; only the admin can change its code (${v})`,
    } as Record<string, (value: string) => string>,
    previewHeader: (file: string) => `🔎 <b>Import preview</b> ${file}\nNothing has been changed yet.`,
    counts: (label: string, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${regions} regions, ${units} units, ${initiatives} initiatives, ${milestones} steps`,
    willCreate: "Would create",
    willUpdate: "Would update",
    created: "Created",
    updated: "Updated",
    unchanged: (n: number) => `Unchanged: ${n} steps`,
    changesHeader: "Steps that change:",
    createdLine: (title: string, initiative: string, unit: string, due: string, weight: number) =>
      `➕ <b>${title}</b> — ${initiative} (${unit}): due ${due}, weight ${weight}`,
    updatedLine: (title: string, initiative: string, unit: string, changes: string) => `✏️ <b>${title}</b> — ${initiative} (${unit}): ${changes}`,
    dueChange: (from: string, to: string) => `due ${from} → ${to}`,
    weightChange: (from: number, to: number) => `weight ${from} → ${to}`,
    moreChanges: (n: number) => `… and ${n} more steps.`,
    nothingToApply: "Every step in the file is already as in the database; there is nothing to apply.",
    confirmHint:
      "Press <b>Apply</b> to save all of it (or nothing at all). If someone changes the data before you press, the file is applied as it is at that moment; importing the same file again changes nothing.",
    apply: "✅ Apply",
    cancel: "Cancel",
    cancelled: "Import cancelled. Nothing was changed.",
    done: "✅ <b>Import done.</b>",
  },
  history: {
    usage:
      "Name the unit or innovation whose history you want, e.g.:\n/history BABAR-DISPARBUD\n/history SIP Banget 01/01/2022 15/01/2022\n\n" +
      "Without dates: the last 30 days. One date: from that date to today.",
    badDate: (text: string) =>
      `"${text}" is not a valid date. Write dates like 14/01/2022, 2022-01-14 or 14 January 2022, e.g. /history BABAR-DISPARBUD 01/01/2022 15/01/2022.`,
    fromAfterTo: (from: string, to: string) =>
      `The start date (${from}) is after the end date (${to}). Write the start date first, e.g. /history BABAR-DISPARBUD 01/01/2022 15/01/2022.`,
    notFound: (query: string) =>
      `No unit or innovation "${query}" whose history you can see. Write a unit code (e.g. BABAR-DISPARBUD), a unit name or an innovation name.`,
    ambiguous: (query: string) => `"${query}" matches several units or innovations. Write it again with one of these codes or names:`,
    matchUnit: (name: string, code: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    matchInitiative: (name: string, unit: string, code: string) => `• ${name} — ${unit} (<code>${code}</code>)`,
    moreMatches: (n: number) => `… and ${n} more. Be more specific.`,
    header: (target: string, from: string, to: string, count: number) =>
      `📜 <b>Report history</b> — ${target}\n${from} to ${to} · ${count === 1 ? "1 report" : `${count} reports`}, newest first`,
    targetUnit: (name: string, code: string) => `<b>${name}</b> (${code})`,
    targetInitiative: (name: string, unit: string) => `<b>${name}</b>, ${unit}`,
    none: "No reports in this date range.",
    entry: (n: number, when: string, who: string) => `<b>${n}.</b> ${when} · ${who}`,
    step: (title: string, initiative: string | null) => `📌 ${initiative ? `${initiative} › ` : ""}${title}`,
    progress: (what: string, undone: boolean) => `Progress: ${undone ? `<s>${what}</s> <i>(undone)</i>` : what}`,
    note: (note: string) => `💬 ${note}`,
    files: (photos: number, documents: number) =>
      `📎 ${[photos > 0 ? (photos === 1 ? "1 photo" : `${photos} photos`) : "", documents > 0 ? (documents === 1 ? "1 document" : `${documents} documents`) : ""].filter(Boolean).join(", ")}`,
    evidenceButton: (n: number) => `📎 View evidence #${n}`,
    groupHint: "🔒 Notes, reporters' names and evidence are not shown in groups. To see them, type /history in your private chat with me.",
    more: (n: number) => `… and ${n} older ${n === 1 ? "report" : "reports"}. Narrow the date range to see them.`,
    unknownReporter: "no name",
    sending: (n: number) => `Sending ${n === 1 ? "1 evidence file" : `${n} evidence files`}…`,
    caption: (title: string, when: string, i: number, total: number) => `📎 ${title} — ${when} (${i}/${total})`,
    noEvidence: "This report has no evidence.",
    notVisible: "This report was not found, or is not one you can see.",
    privateOnly: "Evidence is only sent in a private chat. Type /history in your private chat with me.",
    sendFailed: (name: string) => `The file ${name} could not be sent again (it may have been deleted from Telegram).`,
  },
  flood: {
    notice: "Your messages are coming in too fast, so I skipped some of them. Please wait a moment, then send again what still matters.",
  },
  fallback: "I did not understand that. Type /help to see the commands you can use.",
  cancel: { done: "Cancelled.", nothing: "There is nothing to cancel." },
  flows: { unreadable: "Sorry, the step in progress cannot be continued, so it was stopped. Nothing was saved; please start again." },
  privacy: {
    atJoin:
      "🔒 Pantau stores your name, Telegram id, role and reports for this program's reminders and recaps. Type /privacy for the details, /mydata for a copy of your data.",
    notice: (controller: string | null) =>
      "🔒 <b>Pantau privacy notice</b>\n\n" +
      `<b>Data controller:</b> the regional government running this Pantau${controller ? `, contact: ${controller}` : "; ask your program's coordinator (Bagian Organisasi)"}.\n\n` +
      "<b>What is stored:</b> your Telegram id, name, username and language; your role at a unit or program (memberships) and the invites you made; " +
      "your progress reports with their notes and the ids of evidence files (the files themselves stay on Telegram); the days away you declared (/away); " +
      "a record of the messages the bot sent you (when, delivered or not); an audit trail (who changed or read what, and when).\n\n" +
      "<b>Why:</b> to remind you of the action plan's deadlines, to recap progress for coordinators and heads of unit, and to account for every change. " +
      "Nothing else, and it is not shared outside the regional government.\n\n" +
      "<b>For how long:</b> while you are registered. After you leave, your personal data is erased on request: your name and username go, and so do the records of messages to you (those a step not yet done still needs stay, without the chat they went to); " +
      'your reports stay as the unit\'s work record, shown as "PIC &lt;unit&gt;". ' +
      "Some data goes by itself: records of messages a year after they were due (once their step is done), unfinished /report flows a week after they expired, " +
      "records of who read personal data after a year. The trail of changes is kept as the record of how Pantau was run.\n\n" +
      "<b>Your rights (Law 27/2022):</b> /mydata — a copy of all your data in one file; /name — correct your name in recaps; " +
      "erasure after you leave — ask the data controller.",
    nothingStored: "Pantau stores no data about you.",
    dataCaption:
      "📄 All the data Pantau stores about you, with the record of its processing (messages sent to you, audit trail). This request is recorded too.",
    nameUsage: (current: string) =>
      `Your name in recaps and lists: <b>${current}</b>.\nTo change it, type /name followed by your name, e.g. /name Rina Marlina.`,
    nameSet: (after: string) => `✅ Your name is now <b>${after}</b> in recaps, histories and lists. Your Telegram name no longer replaces it.`,
    nameErrors: {
      empty: "Type your name after /name, e.g. /name Rina Marlina.",
      too_long: "A name is at most 64 characters. Try again with a shorter one.",
      control: "A name must be one line without special characters. Try again, e.g. /name Rina Marlina.",
    },
    eraseUsage: "Type /erase followed by the Telegram id (digits) or @username of someone who left, e.g. /erase 123456789.",
    eraseNone: (who: string) => `Nobody called ${who} in Pantau. Write their Telegram id (digits) or @username.`,
    eraseSeveral: (who: string, count: number) => `${count} people match ${who}. Give their Telegram id (digits).`,
    eraseHasSeats: (name: string, seats: number) =>
      `${name} still holds ${seats} seat(s). Personal data is erased only after the person left: remove them first (/members or pantau remove), then try again.`,
    eraseAlready: (name: string) => `The personal data of ${name} was already erased.`,
    eraseConfirm: (name: string, reports: number) =>
      `Erase the personal data of ${name}? Their name, username and language go, and the records of messages to them that no step not yet done still needs; their ${reports} report(s) stay, shown as "PIC <unit>". This cannot be undone.`,
    eraseButton: "🗑 Erase data",
    keepButton: "Cancel",
    eraseKept: "Nothing was erased.",
    erased: (telegramId: number, reports: number, deliveries: number) =>
      `✅ Personal data of #${telegramId} erased. ${reports} report(s) stay, shown as "PIC <unit>"; ${deliveries} message record(s) deleted, the rest kept without the chat they went to. The Telegram id is kept so that an invite they were removed from still refuses them.`,
    eraseMissing: "Name the person: pantau erase --person <Telegram id|@username>",
  },
  auditTrail: {
    header: (scope: string) => `🧾 <b>Audit trail</b> — ${scope}`,
    everything: "every program",
    none: "Nothing recorded in this trail yet.",
    older: "◀️ Older",
    newer: "Newer ▶️",
    hint: "Newest first. The full trail for auditors: pantau audit on the server.",
    line: (when: string, who: string, what: string, where: string) => `${when} — ${who} ${what}${where}`,
    inGroup: " (in a group)",
    cli: (user: string | null) => (user ? `Admin (command line, ${user})` : "Admin (command line)"),
    scheduler: "Pantau's scheduler",
    system: "Pantau",
    roleWords: { pic: "PIC", kepala: "Head of", koordinator: "Coordinator" } as Record<string, string>,
    seat: (name: string, role: string, where: string) => `${name} (${role} ${where})`,
    statusNames: { not_started: "not started", in_progress: "in progress", done: "done", blocked: "blocked" } as Record<string, string>,
    actions: {
      reported: (percent: number, status: string, step: string) => `reported ${percent}% (${status}) on '${step}'`,
      undid: (step: string, percent: number) => `undid a report on '${step}' (back to ${percent}%)`,
      evidence: (files: number, step: string) => `added ${files} evidence file${files === 1 ? "" : "s"} to '${step}'`,
      imported: (target: string, created: number, updated: number) => `loaded the action plan of ${target}: ${created} new steps, ${updated} changed`,
      dueMoved: (step: string, from: string, to: string) => `'${step}' due ${from} → ${to}`,
      weightChanged: (step: string, from: number, to: number) => `'${step}' weight ${from} → ${to}`,
      more: (n: number) => `and ${n} more`,
      inviteCreated: (role: string, target: string) => `created a ${role} invite for ${target}`,
      inviteAccepted: (role: string, target: string) => `joined as ${role} of ${target}`,
      inviteRevoked: (role: string, target: string) => `revoked a ${role} invite for ${target}`,
      removed: (person: string, role: string, where: string) => `removed ${person} (${role}, ${where})`,
      left: (role: string, where: string) => `left as ${role} of ${where}`,
      broadcast: (people: number) => `sent a broadcast to ${people} people`,
      broadcastCancelled: (notSent: number) => `stopped a broadcast (${notSent} messages not sent)`,
      nudged: (target: string, people: number) => `nudged ${target} now (${people} people)`,
      rules: (program: string, changes: string) => `changed the reminder rules of ${program}: ${changes}`,
      holidayAdded: (name: string, date: string, where: string) => `added the day off '${name}' on ${date} for ${where}`,
      holidayRemoved: (name: string, date: string, where: string) => `removed the day off '${name}' on ${date} for ${where}`,
      renamed: (from: string, to: string) => `changed their name from '${from}' to '${to}'`,
      language: (from: string, to: string) => `changed the bot's language ${from} → ${to}`,
      blocked: "blocked the bot",
      unblocked: "unblocked the bot",
      digest: (on: boolean) => (on ? "switched the weekly digest on" : "switched the weekly digest off"),
      erased: "erased the personal data of someone who left",
      dataAccess: "asked for a copy of their data (/mydata)",
      exported: (program: string) => `downloaded the recap of ${program}`,
      historyRead: (target: string) => `read the report history of ${target}`,
      evidenceRead: (step: string) => `viewed the evidence of '${step}'`,
      backup: (file: string) => `backed up the database (${file})`,
      restore: (file: string) => `restored the database from ${file}`,
      snoozed: (step: string, date: string) => `snoozed the reminder of '${step}' to ${date}`,
      snoozeUndone: (step: string, date: string) => `undid the snooze of the reminder of '${step}' to ${date}`,
      other: (action: string, target: string) => `${action} ${target}`.trim(),
    },
  },
  cli: {
    usage: [
      "Usage: pantau <command>",
      "",
      "  start                               run the bot (applies migrations first)",
      "  migrate                             apply database migrations and exit",
      "  import <file.csv|file.xlsx> [--no-limits]  load or update action plans (--no-limits: no size or row limit)",
      "  invite --unit <code> [--role pic|kepala] [--uses N] [--days N] [--qr <file.png>]",
      "  invite --role koordinator [--program <name>] [--region <name>] [--uses N] [--days N]",
      "  remind [--at <ISO time>] [--dry-run]  one reminder pass",
      "  export <file.xlsx|file.csv>         write the recap and every step with its latest report",
      "  invites [--program <name>] [--unit <code>]  list open invites",
      "  revoke <invite number|code>         revoke an invite (its code is then refused like a wrong one)",
      "  remove --person <Telegram id|@username> [--unit <code>] [--role pic|kepala|koordinator] [--program <name>]",
      "  backup [file]                       back up the running database (default: into BACKUP_DIR or ./backups)",
      "  restore <file> [--replace]          restore a backup into an empty database (--replace: overwrite, after a safety copy)",
      "  erase --person <Telegram id|@username>  erase the personal data of someone who left (their reports stay)",
      "  audit [--since <date>] [--until <date>] [--program <name>] [--actor <Telegram id|@username|cli|scheduler>] [--csv <file>]",
      "                                      the audit trail: who, from where, what, before → after",
    ].join("\n"),
    unknownCommand: (name: string) => `Unknown command: ${name}`,
    badOption: (message: string) => `Invalid option: ${message}`,
    configProblems: "The configuration is not right:",
    migrated: (names: string[]) => (names.length ? `Migrations applied: ${names.join(", ")}` : "The database is up to date."),
    limitsHint: "If this file is really right, the limit can be lifted: pantau import --no-limits <file>.",
    fileMissing: "Name the action plan file, e.g. pantau import action-plan.csv",
    fileUnreadable: (file: string) => `Cannot read the file: ${file}`,
    exportFileMissing: "Name the file to write, e.g. pantau export rekap.xlsx (or rekap.csv)",
    exportBadExtension: (file: string) => `The file to write must end in .xlsx or .csv: ${file}`,
    exportUnwritable: (file: string) => `Cannot write the file: ${file}`,
    exportDone: (file: string, programs: number, steps: number) => `Recap written to ${file}: ${programs} programs, ${steps} steps.`,
    importRejected: (count: number) => `Import rejected: ${count} errors. Nothing was changed.`,
    importDone: "Import done.",
    counts: (label: string, programs: number, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${programs} programs, ${regions} regions, ${units} units, ${initiatives} initiatives, ${milestones} steps`,
    created: "Created",
    updated: "Updated",
    unchanged: (n: number) => `Unchanged: ${n} steps`,
    qrWritten: (file: string) => `The QR code of this link was saved to ${file}.`,
    qrUnwritable: (file: string, reason: string) => `The QR code could not be saved to ${file} (${reason}); the link above still works.`,
    inviteCreated: (role: string, target: string, uses: number, expires: string) =>
      `Invite as ${role} for ${target} (up to ${uses} people, valid until ${expires}):`,
    badAt: "--at must be an ISO time, e.g. 2022-01-11T08:00:00+07:00",
    remindNone: "No reminders are due.",
    remindPlanned: (n: number) => `${n} reminders would be sent:`,
    remindLine: (who: string, unit: string, title: string, slot: string) => `- ${who} (${unit}): ${title} [${slot}]`,
    remindUnreached: "summary of units nobody is reminded in",
    remindDigest: (level: "head" | "coordinator") => `weekly digest of a ${level === "head" ? "head of unit" : "coordinator"}`,
    remindDone: (sent: number, blocked: number, failed: number, retrying: number) =>
      `Sent ${sent}, blocked the bot ${blocked}, failed ${failed}, to be retried ${retrying}.`,
    receivingStopped: (reason: string) => `The bot stopped receiving messages: ${reason}. Is another process using the same token?`,
    portInUse: (address: string) =>
      `Pantau cannot listen on ${address}: another process (another Pantau?) uses that address. Stop it, or set PORT (and HTTP_HOST) to another.`,
    stopped: "Pantau stopped.",
    invitesNone: "There are no open invites.",
    inviteLine: (id: number, role: string, target: string, uses: number, max: number, expires: string, by: string) =>
      `#${id} ${role} — ${target}: used ${uses} of ${max}, valid until ${expires}, made by ${by}`,
    byAdmin: "admin (command line)",
    revokeMissing: "Name the invite to revoke: its number (from pantau invites) or its code, e.g. pantau revoke 12",
    revokeUnknown: (what: string) => `There is no invite ${what}. See the numbers with pantau invites.`,
    revokeGone: (id: number) => `Invite #${id} is no longer open (revoked, expired, or used up). Nothing was changed.`,
    revoked: (id: number, role: string, target: string) => `Invite #${id} (${role} for ${target}) revoked; its code is now refused.`,
    removeMissing: "Name the person with --person <Telegram id or @username>, e.g. pantau remove --person @rina_disparbud",
    removeNone: (who: string) => `${who} holds no matching role. Nothing was changed.`,
    removeChoose: (who: string) => `${who} holds several roles; pick one with --unit, --role or --program. Nothing was changed:`,
    seatLine: (role: string, where: string) => `- ${role}: ${where}`,
    removed: (name: string, role: string, where: string, cancelled: number) =>
      `${name} is no longer ${role} of ${where}; ${cancelled} scheduled messages to them were cancelled. Their past reports stay.`,
    removedToldFailed: "They could not be told on Telegram; tell them another way.",
    backupDone: (file: string, rows: number, tables: number, schema: string) =>
      `Backup written to ${file}: ${rows} rows of ${tables} tables, schema ${schema}.`,
    tableRows: (table: string, rows: number) => `- ${table}: ${rows}`,
    restoreFileMissing: "Name the backup file, e.g. pantau restore backups/pantau-daily-20261130T190000Z.jsonl.gz",
    safetyBackup: (file: string) => `A safety copy of this database was written to ${file} before it is replaced.`,
    restoreUpgraded: (from: string, to: string) => `This backup is of an older schema (${from}); it was brought to schema ${to} first.`,
    restoreDone: (file: string, createdAt: string, from: string, rows: number, tables: number) =>
      `Restored from ${file} (made ${createdAt} from ${from}): ${rows} rows in ${tables} tables. Every table's row count and the references between tables were checked.`,
    databaseNames: { sqlite: "SQLite", postgresql: "PostgreSQL" } as Record<string, string>,
    auditBadDate: (option: string, value: string) =>
      `${option} is not a date: ${value} (e.g. 2022-03-14, 14/03/2022, 14 March 2022, or an exact time with its zone: 2022-03-14T08:00+07:00)`,
    auditUntilBeforeSince: "--until falls before --since: there is nothing to show.",
    auditUnknownProgram: (name: string) => `There is no program named ${name}.`,
    auditUnknownActor: (who: string) => `Pantau knows no one ${who} (use a Telegram id, @username, cli or scheduler).`,
    auditCsvUnwritable: (file: string) => `The file cannot be written: ${file}`,
    auditNone: "No audit entries match.",
    auditCount: (n: number) => `${n} entries.`,
    auditCsvDone: (file: string, n: number) => `${n} audit entries written to ${file}.`,
    auditColumns: ["Time", "Who", "From", "What", "Target", "Before → after"],
    auditOrigins: {
      private: "Telegram (private)",
      group: "Telegram (group)",
      telegram: "Telegram",
      cli: "command line",
      scheduler: "scheduler",
      system: "system",
    } as Record<string, string>,
    auditCsvHeaders: [
      "id",
      "time_utc",
      "local_time",
      "actor_kind",
      "person_id",
      "telegram_id",
      "actor_name",
      "role",
      "seat",
      "origin",
      "chat_id",
      "action",
      "entity",
      "entity_id",
      "target",
      "program",
      "region",
      "before",
      "after",
      "detail",
    ],
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
    xlsxUnreadable: "The XLSX file is damaged or not an Excel workbook. Open it in Excel, save it again as .xlsx (or .csv), and import again.",
    xlsxEncrypted:
      "The XLSX file is protected with a password, so it cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password), save, and import again.",
    xlsxTooLarge: (megabytes: number) =>
      `This XLSX file is too large for an action plan (more than ${megabytes} MB once unpacked). Remove the sheets that are not needed or save it as .csv, and import again.`,
    fileTooLarge: (megabytes: number) =>
      `This file is larger than ${megabytes} MB, the limit for an action plan file. Remove the sheets or columns that are not needed, or save it as .csv, and import again.`,
    tooManyRows: (max: number) =>
      `This file holds more than ${max.toLocaleString("en-US")} steps, the limit of one import. Split the action plan into several files (e.g. one per region) and import them one by one.`,
    xlsxFormat: "This file is not XLSX (e.g. an Excel 97-2003 .xls or an .ods). Save it as .xlsx or .csv and import again.",
    unreadable: "the CSV file is damaged (e.g. an unclosed quote)",
    outOfMemory:
      "This file needs too much memory to be read as an action plan. Split the plan into several files (e.g. one per region) and import them one by one.",
    readTimeout: (seconds: number) =>
      `Reading this file took too long (more than ${seconds} seconds). Remove sheets, columns or formulas you do not need, or save it as .csv, then import again.`,
  },
  miniApp: {
    button: "🖥 Open dashboard",
    groupButton: "🖥 Dashboard (in private chat)",
    menuButton: "Dashboard",
    page: {
      title: "Pantau dashboard",
      loading: "Loading…",
      needTelegram: "Open this dashboard from the 🖥 Open dashboard button under /summary, or from the Pantau bot's menu button in Telegram.",
      unauthorized: "The dashboard session is not valid or has expired. Close the dashboard and open it again from the bot.",
      expired:
        "This dashboard session has expired. Close the dashboard and open it again from the bot (the 🖥 Open dashboard button under /summary, or the menu button).",
      accessLost: "You no longer have access to this dashboard: your seat in Pantau was removed or changed. If this is a mistake, ask your coordinator.",
      tooMany: "Too many requests in a short time. The dashboard tries again in {seconds} s.",
      notRegistered: "You are not registered in Pantau yet. Ask your coordinator for an invite link, open it, then open the dashboard again from the bot.",
      notAllowed: "This dashboard is for coordinators and heads of unit. Your unit's steps are in /tasks in the chat with the bot.",
      failed: "Sorry, the dashboard cannot be loaded right now. Please try again shortly.",
      retry: "Try again",
      noPrograms: "There is no program you can see yet.",
      asOf: "As of {date}",
      total: "units: {units} · regions: {regions} · overdue steps: {overdue}",
      totalOneRegion: "units: {units} · overdue steps: {overdue}",
      silentLabel: "Silent {days} days",
      onTrack: "On track",
      filters: "Filter and sort",
      region: "Region",
      allRegions: "All regions",
      search: "Search unit or code",
      overdueOnly: "Has overdue steps",
      blockedOnly: "Has blocked steps",
      silentDays: "No report for at least (days)",
      sort: "Sort",
      sortUrgency: "Most urgent first",
      sortName: "Unit name",
      sortProgress: "Lowest progress first",
      sortSilence: "Longest without a report",
      shown: "{shown} of {total} units",
      noMatch: "No unit matches the filters.",
      overdue: "overdue: {n}",
      blocked: "blocked: {n}",
      lastReport: "Last report {date}",
      neverReported: "Never reported",
      focalPoints: "Focal points",
      noFocalPoint: "No focal point yet",
      blockedBot: "blocked the bot",
      pendingInvites: "focal-point invites not opened: {n}",
      due: "Due {date}",
      daysLate: "{n} days late",
      reports: "Reports",
      noReports: "No reports on this step yet.",
      undone: "undone",
      moreReports: "… and {n} older reports: see /history in the chat with the bot.",
      photo: "Photo {n}",
      download: "⬇ Download {name}",
      fileFailed: "This file could not be fetched from Telegram.",
      back: "← Back",
      stepGone: "This step no longer exists or is not part of your program.",
    },
  },
  errors: {
    generic: "Sorry, something went wrong. Please try again in a moment.",
    codes: {
      "access.not_allowed": "You do not have access to this step.",
      "report.bad_percent": "Progress must be a number from 0 to 100.",
      "report.reason_required": "Please write what is blocking it first (one sentence is enough).",
      "invite.unknown_unit": "There is no unit with code {unit}. Check kode_opd in the action plan file.",
      "invite.unknown_program": 'There is no program "{program}".',
      "invite.no_program": "There is no program yet. Load an action plan first with pantau import.",
      "invite.choose_program": "There are several programs; name one with --program: {programs}",
      "invite.unknown_region": 'There is no region "{region}" in program "{program}".',
      "invite.unit_required": "Name the unit with --unit <unit code>.",
      "invite.bad_days": "--days must be a whole number from 1 to 365.",
      "invite.bad_uses": "--uses must be a whole number from 1 to 1000.",
      "invite.refused": "This invite code is not valid (wrong, expired, or used up). Ask your coordinator for a new invite link.",
      "member.unknown_person": "There is no person {person} in Pantau. Write their Telegram id (a number) or @username.",
      "backup.no_database": "The database {database} does not exist. Check DATABASE_URL.",
      "backup.no_schema": "This database has no Pantau tables yet (it was never migrated), so there is nothing to back up.",
      "backup.file_exists": "The file {file} exists already, and a backup does not overwrite files. Choose another name.",
      "backup.unreadable": "The backup file {file} does not exist or cannot be read.",
      "backup.not_a_backup": "{file} is not a Pantau backup file. Nothing was changed.",
      "backup.newer_schema":
        "This backup was made by Pantau {version} with schema {schema}, newer than this Pantau (whose latest schema is {current}). Update Pantau first, then restore again. Nothing was changed.",
      "backup.target_newer":
        "The target database has schema {schema}, which this Pantau does not know (it is newer). Update Pantau first. Nothing was changed.",
      "backup.target_not_empty":
        "The target database is not empty (tables {tables} have rows). Nothing was changed. To overwrite it, run again with --replace: a safety copy of its rows is written first.",
      "backup.schema_mismatch": "Table {table} of the target database differs from the backup's. No data was changed.",
      "backup.truncated":
        "The backup file {file} is cut short (it does not reach its end). The restore was cancelled; the target database's rows are as they were.",
      "backup.damaged": "The backup file {file} is damaged ({reason}). The restore was cancelled; the target database's rows are as they were.",
      "backup.count_mismatch":
        "Table {table} held {actual} rows after the restore, not {expected} as in the backup. The restore was cancelled; the target database's rows are as they were.",
      "backup.foreign_keys":
        "{count} rows refer to rows that do not exist ({problems}). The restore was cancelled; the target database's rows are as they were.",
      "backup.restore_failed":
        "The restore failed: {reason}. The target database's rows are as they were. If the bot still runs on this database, stop it during the restore.",
    },
  },
};

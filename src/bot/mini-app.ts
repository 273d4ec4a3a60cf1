import { Composer, Markup } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import { catalogue } from "../i18n/index.js";
import { findPerson, readsDashboard } from "../services/people.js";
import type { PantauContext } from "./context.js";
import { privateChatLink } from "./features/private-only.js";

// The ways into the dashboard (the Mini App, see src/miniapp/): a Web App button under /rekap and
// the chat's menu button, in private chats only, as Telegram allows; a group gets a link to the
// private chat instead. Without MINIAPP_URL the admin has not published it: no button at all.

/** The address Telegram opens: MINIAPP_URL ending in "/", so the page's relative links stay under it. */
export function dashboardUrl(miniAppUrl: string): string {
  const url = new URL(miniAppUrl);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.toString();
}

/** The dashboard button for this chat: the Web App in a private chat, the private chat's /rekap in a group. */
export function dashboardButton(ctx: PantauContext): InlineKeyboardButton | null {
  const url = ctx.deps.miniAppUrl;
  if (!url) return null;
  if (ctx.chat?.type === "private") return Markup.button.webApp(ctx.t.miniApp.button, dashboardUrl(url));
  return Markup.button.url(ctx.t.miniApp.groupButton, privateChatLink(ctx.botInfo.username, "rekap"));
}

/**
 * After /start and /rekap in a private chat, the chat's menu button opens the dashboard for those
 * it shows something (read again after the command: /start may just have made them a member),
 * and is Telegram's own again for someone it no longer shows anything, or once MINIAPP_URL is
 * unset. A failure is logged and changes nothing the person sees.
 */
export const dashboardMenu = new Composer<PantauContext>();

dashboardMenu.command(["start", "rekap", "summary"], async (ctx, next) => {
  await next();
  const url = ctx.deps.miniAppUrl;
  if (ctx.chat.type !== "private") return;
  const person = await findPerson(ctx.deps.db, ctx.from.id);
  if (!person) return;
  const reads = readsDashboard(person);
  // Nothing to take back where the dashboard was never offered to them.
  if (!url && !reads) return;
  await ctx.telegram
    .setChatMenuButton({
      chatId: ctx.chat.id,
      menuButton:
        url && reads ? { type: "web_app", text: catalogue(person.language).miniApp.menuButton, web_app: { url: dashboardUrl(url) } } : { type: "default" },
    })
    .catch((err: unknown) => ctx.log.warn({ err }, "could not set the dashboard menu button"));
});

import { Markup } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import type { Catalogue } from "../i18n/index.js";
import { messageBudget, packPages, splitMessages } from "./format.js";

/** One page of a long list under its header, as a message text, and its ◀️/▶️ buttons. */
export interface ListPage {
  text: string;
  nav: InlineKeyboardButton[];
  /** The index of the page's first item in the whole list, and how many it shows. */
  start: number;
  shown: number;
}

/**
 * Page `page` of `items` (at most `size` a page, and what fits one message) under `header`, with
 * "Halaman 2 dari 5" and Previous/Next buttons carrying `data(page)`; /rekap, /status and
 * /terlambat page the same way. An item too long for a message keeps its first lines and "…".
 */
export function listPage(
  t: Catalogue,
  parts: { header: string; items: string[]; empty: string; footer?: string },
  page: number,
  size: number,
  data: ((page: number) => string) | null,
): ListPage {
  const budget = messageBudget - parts.header.length - (parts.footer?.length ?? 0) - 64;
  const items = parts.items.map((item) => (item.length > budget ? `${splitMessages([item], budget - 4)[0]}\n…` : item));
  const shown = packPages(items, page, size, budget);
  const text = [
    parts.header,
    shown.items.length ? shown.items.join("\n") : parts.empty,
    ...(shown.pages > 1 ? [t.paging.page(shown.page + 1, shown.pages)] : []),
    ...(parts.footer ? [parts.footer] : []),
  ].join("\n\n");
  const nav = data
    ? [
        ...(shown.page > 0 ? [Markup.button.callback(t.paging.previous, data(shown.page - 1))] : []),
        ...(shown.page < shown.pages - 1 ? [Markup.button.callback(t.paging.next, data(shown.page + 1))] : []),
      ]
    : [];
  return { text, nav, start: shown.start, shown: shown.items.length };
}

import { escapeRegExp } from '../regex';
import { TSC_TRANSLATIONS } from './tscMessages';

/** tsc's watch-mode lines in one language, as TypeScript's translations give them ({0}: the error count). */
export interface TscMessages {
  start: string;
  change: string;
  watchOne: string;
  watchMany: string;
}

/** A message as the end of a line (tsc puts a time before it); `count` stands for {0}. */
function line(message: string, count: string): string {
  return `${escapeRegExp(message).replace('\\{0\\}', count)}$`;
}

/**
 * One pattern per kind of line, an alternation over the languages at its top level (so each language's text is a
 * literal of the prefilter): one entry per plan, not thirteen.
 */
function anyLanguage(messages: (m: TscMessages) => string[], count = '\\d+'): string {
  const lines = Object.values(TSC_TRANSLATIONS).flatMap((m) => messages(m).map((text) => line(text, count)));
  return [...new Set(lines)].join('|');
}

/**
 * `tsc --locale <lang>` translates the watch-mode lines (the one-shot summary too, but the exit code decides those
 * builds, so the generator leaves the summaries out: they would only add needles to every line's search).
 */
export const TSC_LOCALIZED = {
  buildStart: anyLanguage((m) => [m.start, m.change]),
  buildError: anyLanguage((m) => [m.watchOne, m.watchMany], '[1-9]\\d*'),
  buildSuccess: anyLanguage((m) => [m.watchMany], '0'),
  watchReady: anyLanguage((m) => [m.watchOne, m.watchMany]),
};

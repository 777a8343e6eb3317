/**
 * Translates the pattern database's JavaScript regexes to POSIX extended regexes for `grep -E`, so the parser can
 * be compared with grep on the same patterns. Patterns using features ERE lacks (lookaround) are left out and
 * counted.
 */
const CLASS_ESCAPES: Record<string, string> = {
  d: '0-9',
  w: '[:alnum:]_',
  s: '[:space:]',
};
const ESCAPES: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  w: '[[:alnum:]_]',
  W: '[^[:alnum:]_]',
  s: '[[:space:]]',
  S: '[^[:space:]]',
  b: '\\b',
  n: '\n',
};

export function toEre(source: string): string | undefined {
  if (/\(\?[=!]|\(\?<[=!]|\\[pPuxck]/.test(source)) return undefined;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[++i];
      if (next in ESCAPES) out += ESCAPES[next];
      else out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      let cls = '[';
      if (source[j] === '^') {
        cls += '^';
        j++;
      }
      let hasBracket = false;
      let hasDash = false;
      let body = '';
      for (; j < source.length && source[j] !== ']'; j++) {
        if (source[j] === '\\') {
          const e = source[++j];
          if (e in CLASS_ESCAPES) body += CLASS_ESCAPES[e];
          else if (e === ']') hasBracket = true;
          else if (e === '-') hasDash = true;
          else body += e;
        } else if (source[j] === '-' && (j === i + 1 || source[j + 1] === ']')) {
          hasDash = true;
        } else {
          body += source[j];
        }
      }
      // POSIX: a literal ] must come first and a literal - last
      out += cls + (hasBracket ? ']' : '') + body + (hasDash ? '-' : '') + ']';
      i = j;
      continue;
    }
    if (ch === '(' && source[i + 1] === '?') {
      if (source[i + 2] === ':') i += 2;
      else if (source[i + 2] === '<') i = source.indexOf('>', i);
      out += '(';
      continue;
    }
    if ((ch === '?' || ch === '+' || ch === '*') && source[i + 1] === '?') {
      out += ch; // lazy → greedy: same lines match
      i++;
      continue;
    }
    out += ch;
  }
  return out;
}

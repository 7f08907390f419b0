import { endOf, textBetween, type SentenceContext } from './sentence.ts'

/**
 * `plain/simpler` for formal wording found by its shape rather than a list: a conditional that starts a clause with
 * "Should you…" ("Should you need help" → "If you need help"), and "in a … manner" or "in a … fashion" for one word
 * of manner ("in a timely manner" → "promptly"). Skips what another rule reported and someone else's words.
 */
export function checkFormal(context: SentenceContext, matched: ReadonlySet<number>): void {
  const { tokens, lines, quoted, emit, place } = context
  const free = (from: number, to: number) => {
    for (let k = from; k <= to; k++) if (matched.has(k) || quoted.has(k) || (k > from && tokens[k]!.afterBreak)) return false
    return true
  }
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i]!
    const next = tokens[i + 1]!
    if (token.normal === 'should' && next.normal === 'you' && (i === 0 || token.afterBreak) && free(i, i + 1)) {
      emit(
        'plain/simpler',
        place(token.start),
        `Prefer plain words: \`${textBetween(lines, token.start, endOf(next))}\`, use \`if you\` instead`,
        'Write "If you need help, call 4444" rather than "Should you need help…"',
      )
    }
    const manner = tokens[i + 3]
    if (token.normal === 'in' && /^an?$/.test(next.normal) && manner && /^(manner|fashion)$/.test(manner.normal) && free(i, i + 3)) {
      emit(
        'plain/simpler',
        place(token.start),
        `Prefer plain words: \`${textBetween(lines, token.start, endOf(manner))}\`, say how in a word`,
        'Write one word of manner: "promptly", "carefully", "safely"',
      )
    }
  }
}

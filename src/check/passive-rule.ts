import { auxiliaries, beVerbs, irregularParticiples, passiveFillers, pastBeVerbs, selfWords, stateParticiples, timeWords } from './grammar-words.ts'
import type { Token } from './phrases.ts'
import { endOf, textBetween, type SentenceContext } from './sentence.ts'

const isParticiple = (word: string) => irregularParticiples.has(word) || /[a-z]{2}ed$/.test(word)
const isFiller = (word: string) => beVerbs.has(word) || passiveFillers.has(word) || word.endsWith('ly')

// "by" names who did it, unless a time follows: "should arrive by 11:00", "by Friday", "by the end of the day".
function isAgent(next: Token | undefined, after: Token | undefined): boolean {
  if (!next || next.afterBreak || /^\d/.test(next.text) || timeWords.has(next.normal)) return false
  return !(next.normal === 'the' && after?.normal === 'end')
}

/**
 * The length of an agentless passive of what already happened starting at the be-verb `i`, or 0: "was identified",
 * "were made", "has been taken", and "was caused by" unless we did it ("caused by our mistake"). A passive in the
 * present or future states a fact or a plan whose doer is plain ("mail is being queued and will be delivered").
 */
function pastPassiveAt(tokens: readonly Token[], i: number): number {
  if (!pastBeVerbs.has(tokens[i]!.normal)) return 0
  // "Files may need to be reopened" asks the reader to do something; it hides no one.
  if (i >= 2 && tokens[i - 1]!.normal === 'to' && /^needs?$|^have$|^has$/.test(tokens[i - 2]!.normal)) return 0
  for (let j = i + 1; j < tokens.length && j <= i + 3 && !tokens[j]!.afterBreak; j++) {
    const word = tokens[j]!.normal
    if (isFiller(word)) continue
    if (!isParticiple(word) || stateParticiples.has(word)) return 0
    const by = tokens[j + 1]
    if (word === 'caused' && by?.normal === 'by' && !by.afterBreak) return tokens[j + 2] && selfWords.has(tokens[j + 2]!.normal) ? 0 : j - i + 2
    for (let k = j + 1; k < tokens.length && k <= j + 4 && !tokens[k]!.afterBreak; k++)
      if (tokens[k]!.normal === 'by' && isAgent(tokens[k + 1], tokens[k + 2])) return 0
    return j - i + 1
  }
  return 0
}

/** The length of an impersonal passive starting at "it", or 0: "It is acknowledged that", "It has been agreed that". */
function impersonalAt(tokens: readonly Token[], i: number): number {
  if (tokens[i]!.normal !== 'it') return 0
  let be = false
  for (let j = i + 1; j < tokens.length && j <= i + 5 && !tokens[j]!.afterBreak; j++) {
    const word = tokens[j]!.normal
    if (beVerbs.has(word)) be = true
    else if (!auxiliaries.has(word) && !isFiller(word))
      return be && isParticiple(word) && tokens[j + 1]?.normal === 'that' && !tokens[j + 1]!.afterBreak ? j - i + 2 : 0
  }
  return 0
}

/**
 * `plain/passive`: wording that hides who did something. Skips what another rule already reported (`matched`) and
 * someone else's words.
 */
export function checkPassive(context: SentenceContext, matched: ReadonlySet<number>): void {
  const { tokens, lines, quoted, emit, place } = context
  let end = -1
  for (let i = 0; i < tokens.length; i++) {
    if (i <= end) continue
    const impersonal = impersonalAt(tokens, i)
    const length = impersonal || pastPassiveAt(tokens, i)
    if (length === 0) continue
    const last = i + length - 1
    let spoken = true
    for (let k = i; k <= last; k++) if (matched.has(k) || quoted.has(k)) spoken = false
    if (!spoken) continue
    end = last
    const from = impersonal === 0 && i > 0 && !tokens[i]!.afterBreak && auxiliaries.has(tokens[i - 1]!.normal) ? i - 1 : i
    const text = textBetween(lines, tokens[from]!.start, endOf(tokens[last]!))
    emit(
      'plain/passive',
      place(tokens[from]!.start),
      `\`${text}\` does not say who did it`,
      'Say who did what: "We restored the service at 14:05", or "We made a mistake: …"',
    )
  }
}

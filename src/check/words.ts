import lemmatizer from 'wink-lemmatizer'

// British spellings whose American form differs by more than a regular ending.
const spelling = new Map([
  ['licence', 'license'],
  ['licences', 'licenses'],
  ['defence', 'defense'],
  ['offence', 'offense'],
  ['programme', 'program'],
  ['programmes', 'programs'],
  ['catalogue', 'catalog'],
  ['dialogue', 'dialog'],
  ['enrol', 'enroll'],
  ['enrolment', 'enrollment'],
  ['cancelled', 'canceled'],
  ['cancelling', 'canceling'],
  ['labelled', 'labeled'],
  ['labelling', 'labeling'],
  ['modelling', 'modeling'],
  ['travelled', 'traveled'],
  ['travelling', 'traveling'],
  ['grey', 'gray'],
  ['judgement', 'judgment'],
  ['ageing', 'aging'],
  ['centre', 'center'],
  ['centres', 'centers'],
  ['practise', 'practice'],
])

const normals = new Map<string, string>()

/** A word as the checks compare it: lower case, curly apostrophes straightened, British spelling made American. */
export function normalizeWord(word: string): string {
  let normal = normals.get(word)
  if (normal === undefined) normals.set(word, (normal = americanize(word)))
  return normal
}

function americanize(word: string): string {
  const lower = word.toLowerCase().replace(/’/g, "'").replace(/'s$/, '')
  const known = spelling.get(lower)
  if (known) return known
  // -ise/-isation, -yse and -our endings; the stem length keeps "rise", "hour" and "your" as they are.
  return lower
    .replace(/(?<=\w{3})is(ation|ations|e|es|ed|ing|er|ers)$/, 'iz$1')
    .replace(/(?<=\w{2})ys(e|es|ed|ing)$/, 'yz$1')
    .replace(/(?<=\w{3})our(s|ed|ing|ite|ites|able|ably)?$/, 'or$1')
}

const cache = new Map<string, readonly string[]>()

/**
 * The forms a word may stand for: itself and its verb and noun lemmas (WordNet's Morphy through wink-lemmatizer), so
 * "provisioned", "patches" and "utilised" meet "provision", "patch" and "utilize". Two words match when they share a form.
 */
export function wordForms(word: string): readonly string[] {
  const normal = normalizeWord(word)
  let forms = cache.get(normal)
  if (!forms) {
    const plain = word.toLowerCase().replace(/’/g, "'").replace(/'s$/, '')
    const found = new Set([normal, plain, lemmatizer.verb(normal), lemmatizer.noun(normal), lemmatizer.verb(plain), lemmatizer.noun(plain)])
    // A word WordNet does not know ("reimaged", "upskilling"): strip a regular ending so it still meets its stem.
    if (found.size <= 2 && normal.length >= 5) for (const stem of regularStems(normal)) found.add(stem)
    forms = [...found]
    cache.set(normal, forms)
  }
  return forms
}

function regularStems(word: string): string[] {
  if (word.endsWith('ied') || word.endsWith('ies')) return [`${word.slice(0, -3)}y`]
  if (word.endsWith('ed')) return [word.slice(0, -1), word.slice(0, -2)]
  if (word.endsWith('ing')) return [word.slice(0, -3), `${word.slice(0, -3)}e`]
  if (word.endsWith('es')) return [word.slice(0, -1), word.slice(0, -2)]
  if (word.endsWith('s') && !word.endsWith('ss')) return [word.slice(0, -1)]
  return []
}

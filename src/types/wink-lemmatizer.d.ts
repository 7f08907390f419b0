/** wink-lemmatizer ships no types: WordNet's Morphy, one function per part of speech. */
declare module 'wink-lemmatizer' {
  const lemmatizer: {
    verb(word: string): string
    noun(word: string): string
    adjective(word: string): string
  }
  export default lemmatizer
}

/** How a file's bytes were read. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/** A file's text as people's editors write it: BOM dropped, CRLF and CR line endings made LF. */
export interface DecodedText {
  text: string
  encoding: Encoding
  /** True when the bytes were not valid UTF-8 and were read as Windows-1252 (worth a warning). */
  guessed: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1252 when the bytes are not
 * valid UTF-8 (Notepad and Excel on Windows still write it). Line endings become `\n`, so lines and columns
 * are the ones an editor shows.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let decoded: Omit<DecodedText, 'text'> & { raw: string }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = { raw: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', guessed: false }
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = { raw: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', guessed: false }
  else {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
    try {
      decoded = { raw: utf8.decode(bytes.subarray(start)), encoding: 'utf-8', guessed: false }
    } catch {
      decoded = { raw: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', guessed: true }
    }
  }
  return { text: normalizeNewlines(decoded.raw), encoding: decoded.encoding, guessed: decoded.guessed }
}

/** CRLF and lone CR line endings → LF (a BOM that survived is dropped too). */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

/** How a file's bytes were read. */
export type Encoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252'

/** A file's text and how its bytes were read. */
export interface DecodedText {
  text: string
  encoding: Encoding
  /** True when the encoding is a guess (no byte order mark, or not valid UTF-8): worth a warning. */
  guessed: boolean
}

/**
 * Decode a text file as people's programs save it: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode
 * text") or recognisable without one, and otherwise Windows-1252 (Notepad and Excel on Windows) when the bytes are not
 * UTF-8. Line endings are left as they are (see `decodeText`).
 */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE', guessed: false }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE', guessed: false }
  // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'UTF-16LE', guessed: true }
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'UTF-16BE', guessed: true }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(bom)), encoding: 'UTF-8', guessed: false }
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'Windows-1252', guessed: true }
  }
}

/** `decodeBytes`, then CRLF and CR line endings made LF, so lines and columns are the ones an editor shows. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const decoded = decodeBytes(bytes)
  return { ...decoded, text: normalizeNewlines(decoded.text) }
}

/** CRLF and lone CR line endings → LF (a BOM that survived is dropped too). */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

// Windows-1252 is Latin-1 except for 0x80–0x9F (WHATWG Encoding, index-windows-1252); Node's
// TextDecoder('windows-1252') decodes those as C1 controls, so they are mapped here.
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'

function decodeWindows1252(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += byte >= 0x80 && byte < 0xa0 ? cp1252High[byte - 0x80] : String.fromCharCode(byte)
  return text
}

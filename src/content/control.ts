import type { Position } from '../errors.ts'
import { createLocator } from './position.ts'

// C0 and C1 controls but tab and line ends, DEL, lone surrogates, and the noncharacters U+FFFE and U+FFFF: none is
// text a reader should get, XML 1.0 forbids most of them, and ESC drives the terminal that prints a message.
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/gu

/** A control character found in a text: where, and its code point written out (`U+001B`). */
export interface ControlCharacter {
  place: Position
  name: string
}

/** Every control character in `text` between `start` and `end` (tab, CR and LF excepted), at most 20 of them. */
export function findControlCharacters(text: string, start = 0, end = text.length): ControlCharacter[] {
  const locate = createLocator(text)
  const found: ControlCharacter[] = []
  controls.lastIndex = start
  for (let match = controls.exec(text); match && match.index < end && found.length < 20; match = controls.exec(text)) {
    found.push({ place: locate(match.index), name: codePoint(match[0]) })
  }
  return found
}

/** The first control character in a value (`U+001B`), or undefined: for values YAML escapes (`"\e"`) put there. */
export function controlIn(text: string): string | undefined {
  const match = new RegExp(controls.source, 'u').exec(text)
  return match ? codePoint(match[0]) : undefined
}

/** `text` safe to print on a terminal: each control character written as `\u{1b}`. */
export function printable(text: string): string {
  return text.replace(controls, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`)
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

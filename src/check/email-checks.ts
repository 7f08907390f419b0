import type { Heading, Image, Link } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { EmailArtifact } from '../email/build-email.ts'
import type { Emit } from './rules.ts'
import { placeOf, type Segment } from './segments.ts'

// Gmail clips messages whose HTML is over about 102 KB and hides the rest behind "View entire message".
// Counted in bytes of 1,000 to stay on the safe side of the limit.
/** HTML size at which Gmail clips an email. */
export const clipBytes = 102_000
/** HTML size at which we start warning. */
export const warnBytes = 90_000
// Gmail drops a whole <style> block when the styles add up to more than 16 KB.
/** Total `<style>` size Gmail keeps. */
export const styleBytes = 16_000

const top = { line: 1, column: 1 }

/** Email budget and accessibility: size, styles, alt text, link text, heading order. */
export function checkEmail(email: EmailArtifact, segments: readonly Segment[], emit: Emit): void {
  const kb = (email.bytes / 1000).toFixed(1)
  if (email.bytes > clipBytes) {
    emit('email/size', top, `The email is ${kb} KB; Gmail clips emails over 102 KB`, 'Shorten the body or move detail to a linked page')
  } else if (email.bytes > warnBytes) {
    // Close to the limit is never an error, whatever the rule's severity: only a clipped email is.
    emit('email/size', top, `The email is ${kb} KB, close to Gmail's 102 KB clipping limit`, 'Consider shortening the body', 'warning')
  }
  const styles = [...email.html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].reduce((sum, match) => sum + Buffer.byteLength(match[1]!), 0)
  if (styles > styleBytes) {
    emit(
      'email/style-size',
      top,
      `The email's <style> blocks add up to ${(styles / 1000).toFixed(1)} KB; Gmail ignores them over 16 KB`,
      'Trim the CSS in layouts/email/head.mjml',
    )
  }
  for (const img of email.html.matchAll(/<img\b[^>]*>/gi)) {
    if (!/\salt(?:\s|=|\/?>)/i.test(img[0]))
      emit(
        'email/image-alt',
        top,
        `The layout has an image without an alt attribute: ${img[0].slice(0, 80)}`,
        'Add alt="…" in the layout, or alt="" if the image is decoration',
      )
  }
  for (const segment of segments) {
    visit(segment.tree, (node) => {
      if (node.type === 'image' && !(node as Image).alt?.trim()) {
        emit(
          'email/image-alt',
          placeOf(segment, node),
          `The image \`${(node as Image).url}\` has no alt text`,
          'Describe it in the brackets: ![What the picture shows](…); many readers see images blocked',
        )
      }
      if (node.type === 'link') {
        const text = toString(node as Link).trim()
        if (vagueLinkText.test(text)) {
          emit(
            'email/link-text',
            placeOf(segment, node),
            `Link text \`${text}\` does not say where the link goes`,
            'Use the name of the page, like [the IT Help page](…); screen readers list links by their text',
          )
        }
      }
    })
  }
  const body = segments.at(-1)
  if (!body) return
  // The layout's title is the <h1>; a `##` section is an <h2>.
  let previous = 1
  visit(body.tree, 'heading', (heading: Heading) => {
    if (heading.depth === 1) {
      emit('email/heading-order', placeOf(body, heading), 'A `#` heading in the body competes with the title', 'Start sections with `##`')
    } else if (heading.depth > previous + 1) {
      emit(
        'email/heading-order',
        placeOf(body, heading),
        `Heading level ${heading.depth} follows level ${previous}: a level is skipped`,
        `Use ${'#'.repeat(previous + 1)} here`,
      )
    }
    previous = heading.depth
  })
}

const vagueLinkText = /^(click here|here|click|this|this link|link|read more|more|learn more|go|see here)[.!]?$/i

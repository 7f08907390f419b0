import type { Page } from 'playwright-core'

/** What a reader's thumb and eyes meet in an email, measured in the browser. */
export interface InboxFacts {
  /** How wide the page scrolls. */
  scrollWidth: number
  /** Visible elements sticking out past the right edge (tag, class and the start of their text). */
  wider: string[]
  /** Visible text set under 14 px (its size and the start of the text). */
  small: string[]
  /** Links that stand on their own (not inside a sentence) with a tap area under 44 × 44 px. */
  smallTargets: string[]
}

/** Measure the page as it is laid out now. */
export function inboxFacts(page: Page): Promise<InboxFacts> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const shown = (element: Element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden'
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}${typeof element.className === 'string' && element.className ? `.${element.className.split(' ').join('.')}` : ''}: ${(element.textContent ?? '').trim().slice(0, 30)}`
    const wider = [...document.body.querySelectorAll('*')].filter((element) => shown(element) && element.getBoundingClientRect().right > width + 0.5).map(name)
    const small: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || !node.textContent?.trim() || !shown(parent)) continue
      const size = parseFloat(getComputedStyle(parent).fontSize)
      if (size < 14) small.push(`${size}px: ${node.textContent.trim().slice(0, 30)}`)
    }
    // WCAG 2.5.8 leaves out a link inside a sentence: its height is the line's. A label before it ("Email:") is no sentence.
    const around = (link: Element, step: 'previousSibling' | 'nextSibling') => {
      let text = ''
      for (let node = link[step]; node && node.nodeName !== 'BR'; node = node[step]) text += node.textContent ?? ''
      return text.trim()
    }
    const inSentence = (link: Element) => {
      const before = around(link, 'previousSibling')
      return (before !== '' && !before.endsWith(':')) || /\w/.test(around(link, 'nextSibling'))
    }
    const smallTargets = [...document.querySelectorAll('a')]
      .filter((link) => shown(link) && !inSentence(link))
      .filter((link) => {
        const box = link.getBoundingClientRect()
        return box.width < 44 || box.height < 44
      })
      .map((link) => `${name(link)} (${Math.round(link.getBoundingClientRect().width)} × ${Math.round(link.getBoundingClientRect().height)})`)
    return { scrollWidth: document.documentElement.scrollWidth, wider, small, smallTargets }
  })
}

/** Remove every `<style>` element, as Gmail does for accounts it does not host and as some Outlook apps do. */
export function removeStyles(page: Page): Promise<void> {
  return page.evaluate(() => document.querySelectorAll('style').forEach((style) => style.remove()))
}

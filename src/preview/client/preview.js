// @ts-check
// The preview page's script: tabs that survive a reload, frames sized and arranged, the test-send and approve buttons,
// and reload on save. The preview server serves this file as it is, so it is plain JavaScript typed with JSDoc.

/** @typedef {{ all: boolean, keys: string[] }} Change what a save changed, as the server's event stream says it */
/** @typedef {{ ok: boolean, output: string }} ActionReply the server's answer to a test send or an approval */

const key = document.body.dataset.key

/**
 * The elements a selector matches, typed as the caller knows them to be.
 * @template {Element} T
 * @param {string} selector
 * @param {new () => T} type
 * @param {ParentNode} [root]
 * @returns {T[]}
 */
function all(selector, type, root = document) {
  return [...root.querySelectorAll(selector)].filter(/** @returns {element is T} */ (element) => element instanceof type)
}

// A frame in a hidden tab has no layout yet, so frames are sized again whenever their tab is shown.
// The body, not the root: the root is never shorter than the frame, so the frame could only grow.
/** @param {HTMLIFrameElement} frame */
function fit(frame) {
  const body = frame.contentDocument && frame.contentDocument.body
  if (!body || body.scrollHeight === 0) return
  const style = getComputedStyle(body)
  const height = Math.ceil(body.scrollHeight + parseFloat(style.marginTop) + parseFloat(style.marginBottom))
  frame.style.height = height + 'px'
  // Content that spills out of the body by a fraction of a pixel (a rounded line box) still scrolls the root: add it.
  const root = body.ownerDocument.documentElement
  const spill = root.scrollHeight - root.clientHeight
  if (spill > 0) frame.style.height = height + spill + 'px'
}

/**
 * Scale a frame down by `scale` (at most 1). In 75ths: 600 and 375 px frames then scale to whole pixels, so each email
 * keeps its exact width inside.
 * @param {HTMLIFrameElement} frame
 * @param {number} scale
 */
function zoom(frame, scale) {
  if (scale < 1) frame.style.zoom = String(Math.floor(scale * 75) / 75)
}

// From 900 px wide, the desktop and phone frames stay side by side, scaled down together when they do not fit. A frame
// wider than its row (a 600 px email on a phone) is scaled down to fit it, so the page never scrolls sideways. The frame,
// not its figure, is scaled, so its caption keeps its size and wraps.
function arrange() {
  for (const row of all('.tab.active .frames', HTMLElement)) {
    const frames = all(':scope > figure > iframe', HTMLIFrameElement, row)
    for (const frame of frames) frame.style.zoom = ''
    const widths = frames.map((frame) => frame.getBoundingClientRect().width)
    if (row.classList.contains('side-by-side') && innerWidth >= 900) {
      const gaps = parseFloat(getComputedStyle(row).columnGap) * (frames.length - 1)
      const scale = (row.clientWidth - gaps) / widths.reduce((sum, width) => sum + width, 0)
      for (const frame of frames) zoom(frame, scale)
    } else frames.forEach((frame, i) => zoom(frame, row.clientWidth / (widths[i] ?? 0)))
  }
}

/**
 * Scroll the row of tabs sideways, if it must, to bring the selected one into view.
 * @param {HTMLElement} tab
 */
function reveal(tab) {
  const row = tab.parentElement
  if (!row) return
  const box = row.getBoundingClientRect()
  const own = tab.getBoundingClientRect()
  if (own.left < box.left) row.scrollLeft -= box.left - own.left
  else if (own.right > box.right) row.scrollLeft += own.right - box.right
}

function show() {
  const tabs = all('[data-tab]', HTMLElement)
  const wanted = location.hash.slice(1)
  const id = tabs.some((tab) => tab.dataset.tab === wanted) ? wanted : 'email'
  for (const tab of tabs) {
    tab.setAttribute('aria-selected', String(tab.dataset.tab === id))
    if (tab.dataset.tab === id) reveal(tab)
  }
  for (const section of all('.tab', HTMLElement)) section.classList.toggle('active', section.id === 'tab-' + id)
  for (const frame of all('.tab.active iframe', HTMLIFrameElement)) {
    if (!frame.getAttribute('src') && frame.dataset.src) frame.src = frame.dataset.src
    fit(frame)
  }
  arrange()
}

// Images and fonts arriving late change an email's height: follow its body, not just the load event.
function watchFrames() {
  for (const frame of all('iframe.email', HTMLIFrameElement)) {
    frame.addEventListener('load', () => {
      fit(frame)
      if (frame.contentDocument && frame.contentDocument.body) new ResizeObserver(() => fit(frame)).observe(frame.contentDocument.body)
    })
  }
}

// After a save the new page is swapped in rather than reloaded: quicker, and the event stream, the scroll
// position, the frames' heights, what was typed into the action forms and what they answered all stay.
async function update() {
  const response = await fetch(location.href, { cache: 'no-store' }).catch(() => undefined)
  if (!response || !response.ok || !(response.headers.get('Content-Type') || '').startsWith('text/html')) return location.reload()
  const next = new DOMParser().parseFromString(await response.text(), 'text/html')
  for (const frame of all('iframe.email', HTMLIFrameElement)) {
    const twin = next.getElementById(frame.id)
    if (twin && frame.style.height) twin.style.height = frame.style.height
  }
  for (const input of all('form.action input[name]', HTMLInputElement)) {
    const twin = next.querySelector(`#${input.form?.id} input[name="${input.name}"]`)
    if (twin instanceof HTMLInputElement) twin.value = input.value
  }
  for (const output of all('form.action output, output[for]', HTMLOutputElement)) {
    const twin = next.getElementById(output.id)
    if (twin instanceof HTMLOutputElement) {
      twin.className = output.className
      twin.textContent = output.textContent
    }
  }
  const scroll = scrollY
  document.title = next.title
  document.body.replaceWith(document.adoptNode(next.body))
  watchFrames()
  show()
  scrollTo(0, scroll)
}

addEventListener('hashchange', show)
addEventListener('resize', arrange)
watchFrames()
show()

// A save (or the approval itself, which rewrites the file) may swap the page while a request is out: the answer goes
// to the form and output the page has when it arrives.
document.addEventListener('submit', async (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('action')) return
  event.preventDefault()
  const id = form.id
  const outputId = form.dataset.output ?? ''
  /** @param {string} className @param {string} text */
  const say = (className, text) => {
    const output = document.getElementById(outputId)
    if (!output) return
    output.className = className
    output.textContent = text
  }
  const button = () => document.querySelector(`#${id} button`)
  const fields = Object.fromEntries([...new FormData(form)].map(([name, value]) => [name, String(value)]))
  button()?.setAttribute('disabled', '')
  say('', id === 'approve' ? 'Approving…' : 'Sending…')
  try {
    const response = await fetch(form.dataset.action ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...fields, token: form.dataset.token }),
    })
    /** @type {ActionReply} */
    const reply = (response.headers.get('Content-Type') || '').startsWith('application/json')
      ? await response.json()
      : { ok: false, output: await response.text() }
    say(reply.ok ? 'ok' : 'bad', reply.output)
  } catch (error) {
    say('bad', 'The preview did not answer: ' + (error instanceof Error ? error.message : String(error)))
  } finally {
    button()?.removeAttribute('disabled')
  }
})

// The reader and edition pickers each change their own query parameter and keep the other's, and the tab.
document.addEventListener('change', (event) => {
  const select = event.target
  if (!(select instanceof HTMLSelectElement) || !select.dataset.param) return
  const url = new URL(location.href)
  if (select.value) url.searchParams.set(select.dataset.param, select.value)
  else url.searchParams.delete(select.dataset.param)
  location.href = url.href
})

// Saves in a burst are applied one after another, each to the page the one before left.
/** @type {Promise<unknown>} */
let updating = Promise.resolve()
const events = new EventSource('/events')
events.addEventListener('change', (event) => {
  /** @type {Change} */
  const change = JSON.parse(event.data)
  if (!key || change.all || change.keys.includes(key)) updating = updating.then(update).catch(() => location.reload())
})

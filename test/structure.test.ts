import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'

// The shape of the code, measured: what the README's "layout" section promises stays true.
const src = join(import.meta.dirname, '../src')
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .sort()

/** Every module's imports of other modules of src/ (type-only imports included: they are still a dependency of design). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const name of files) {
    const text = readFileSync(join(src, name), 'utf8')
    const targets = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+\.ts)'/g)].map((match) => normalize(join(dirname(name), match[1]!)))
    graph.set(name, [...new Set(targets)])
  }
  return graph
}

/** Cycles in a graph, each as the path that closes it (Tarjan's strongly connected components of more than one module). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let next = 0
  const visit = (node: string): void => {
    index.set(node, next)
    low.set(node, next++)
    stack.push(node)
    onStack.add(node)
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node)!, low.get(target)!))
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('the structure of src/', () => {
  it('resolves every relative import to a module that exists', () => {
    const missing = [...importGraph()].flatMap(([from, targets]) => targets.filter((target) => !files.includes(target)).map((target) => `${from} → ${target}`))
    expect(missing).toEqual([])
  })

  it('has no import cycles', () => {
    expect(cyclesOf(importGraph())).toEqual([])
  })

  it('finds a cycle when there is one (the measure itself can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ])
    expect(cyclesOf(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']])
  })

  it('has no module below the commands importing a command (the preview once sent through the CLI flag parser)', () => {
    const upward = [...importGraph()].flatMap(([from, targets]) =>
      !from.startsWith('commands') && from !== 'cli.ts' ? targets.filter((target) => target.startsWith('commands')).map((target) => `${from} → ${target}`) : [],
    )
    expect(upward).toEqual([])
  })
})

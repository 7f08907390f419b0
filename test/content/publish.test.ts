import { describe, expect, it } from 'vitest'
import { isPublished } from '../../src/content/publish.ts'

describe('the publishing rule', () => {
  it('publishes only approved documents, and drafts and reviews too when asked', () => {
    expect(['draft', 'review', 'approved'].map((status) => isPublished({ status } as never))).toEqual([false, false, true])
    expect(['draft', 'review', 'approved'].map((status) => isPublished({ status } as never, { drafts: true }))).toEqual([true, true, true])
  })
})

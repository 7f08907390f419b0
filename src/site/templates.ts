import { Liquid, type LiquidOptions } from 'liquidjs'

/** Liquid options shared by Eleventy and `renderDocPage`: every `{{ value }}` is escaped; sanitized HTML goes through `| raw`. */
export const liquidOptions: LiquidOptions = { outputEscape: 'escape', strictFilters: true, extname: '.liquid', cache: true }

/** A Liquid engine over the site layouts, configured like Eleventy's, for rendering one page outside a build. */
export function createSiteLiquid(layoutsDir: string): Liquid {
  return new Liquid({ ...liquidOptions, root: [layoutsDir], relativeReference: false })
}

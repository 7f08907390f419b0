import { absoluteUrl, dateToRfc3339, rssPlugin } from '@11ty/eleventy-plugin-rss'

/**
 * Eleventy's side of the archive. `newsletter build` runs Eleventy from src/site/build-site.ts, which sets the
 * folders (page templates in src/site/pages, layouts in layouts/site) and hands over the already rendered
 * issues as global data: Eleventy never reads content/*.md, so no second Markdown engine touches an issue.
 */
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(rssPlugin)
  // The plugin registers these for Nunjucks only; the feed template is Liquid like every other page.
  eleventyConfig.addLiquidFilter('dateToRfc3339', dateToRfc3339)
  eleventyConfig.addLiquidFilter('absoluteUrl', absoluteUrl)
  return {
    templateFormats: ['liquid'],
    markdownTemplateEngine: false,
    htmlTemplateEngine: false,
  }
}

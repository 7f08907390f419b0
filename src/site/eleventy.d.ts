// Eleventy 3 ships JavaScript without types: this declares the part of its programmatic API the build uses.
declare module '@11ty/eleventy' {
  /** Eleventy's configuration API, as passed to the `config` callback. */
  export interface UserConfig {
    setIncludesDirectory(dir: string): void
    setLiquidOptions(options: object): void
    addGlobalData(name: string, data: unknown): void
    /** Change each page's output before it is written. */
    addTransform(name: string, transform: (content: unknown) => unknown): void
  }
  /** One file Eleventy wrote. */
  export interface WrittenTemplate {
    inputPath: string
    outputPath: string | false
    url: string | false
  }
  /** Eleventy run from code: `new Eleventy(input, output, options).write()`. */
  export default class Eleventy {
    constructor(
      input: string,
      output: string,
      options?: { quietMode?: boolean; configPath?: string; pathPrefix?: string; config?: (config: UserConfig) => void | Promise<void> },
    )
    /** Stop Eleventy printing to the console: the CLI reports the build itself. */
    disableLogger(): void
    /** Resolves to the passthrough copies and the templates written. */
    write(): Promise<[unknown, WrittenTemplate[]]>
  }
}

// Lint rules that catch mistakes; formatting is Prettier's (.prettierrc.json). Run by `npm test` through `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.newsletter/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        queueMicrotask: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Control characters in patterns are deliberate here: header injection and terminal output are checked with them.
      'no-control-regex': 'off',
    },
  },
  {
    // The preview page's script runs in the browser: its globals are the window's, and Node's are not there.
    files: ['src/preview/client/**/*.js'],
    languageOptions: {
      globals: {
        process: 'off',
        Buffer: 'off',
        document: 'readonly',
        location: 'readonly',
        innerWidth: 'readonly',
        scrollY: 'readonly',
        scrollTo: 'readonly',
        addEventListener: 'readonly',
        getComputedStyle: 'readonly',
        DOMParser: 'readonly',
        EventSource: 'readonly',
        FormData: 'readonly',
        ResizeObserver: 'readonly',
        HTMLElement: 'readonly',
        HTMLFormElement: 'readonly',
        HTMLIFrameElement: 'readonly',
        HTMLInputElement: 'readonly',
        HTMLOutputElement: 'readonly',
        HTMLSelectElement: 'readonly',
      },
    },
  },
  {
    // Tests look into JSON payloads and match indented YAML and text literally.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-regex-spaces': 'off' },
  },
)

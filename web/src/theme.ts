import { Badge, type CSSVariablesResolver, createTheme } from '@mantine/core'

// Mantine's defaults, with a primary colour dark enough for white text to pass contrast checks.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  components: {
    // A status badge in a crowded table row keeps its whole word instead of "AC…".
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
  },
})

// Mantine's dimmed grey (gray.6 on white, 3.3:1) and error red (red.6) fail WCAG AA for text;
// one shade darker passes.
export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
})

import { createTheme } from '@mantine/core'

// Mantine's defaults, with a primary colour dark enough for white text to pass contrast checks.
export const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8 })

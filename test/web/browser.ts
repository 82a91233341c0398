import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'

/** Debian's Chromium; .ci/run installs it when missing. */
export const CHROMIUM = process.env.BACKTRACK_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(import.meta.dirname, '../../test-output/screenshots')

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/** A headless Chromium with a fresh, empty profile that is deleted on close. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'backtrack-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/** axe-core's serious and critical violations on the page as shown now, one line each. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page, where axe was just added
    const page = globalThis as any
    const result = await page.axe.run(page.document)
    return result.violations as {
      id: string
      impact: string
      help: string
      nodes: { target: string[] }[]
    }[]
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    )
}

/** Saves what the page shows under test-output/screenshots/, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false })
}

/** Checks the page as shown now: no serious accessibility problem, and a screenshot saved. */
export async function inspect(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([])
  await screenshot(page, name)
}

/** A form field by its label; a required field's label ends in " *" (hidden from its name). */
export function field(page: Page | Locator, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return page.getByLabel(new RegExp(`^${escaped}( \\*)?$`))
}

/** Opens a page by its link in the navigation, and waits for its heading. */
export async function openFromNavigation(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click()
  await page.getByRole('heading', { name, level: 1 }).waitFor()
}

import { describe, expect, it } from 'vitest'
import { compileMacros, fillCompiled, fillMacros } from '../../src/shared/macros.ts'

describe('macros', () => {
  const values: Record<string, string> = { click_id: 'abc', sub1: 'a b&c', empty: '' }
  const encode = (value: string) => encodeURIComponent(value)

  it('fills a compiled template exactly as the template text is filled', () => {
    for (const template of [
      '',
      'https://x.example/',
      '{click_id}',
      'https://x.example/?c={click_id}&s={sub1}',
      '{click_id}{sub1}{click_id}',
      'https://x.example/{unknown}/{click_id}?e={empty}',
      '{ click_id }{}{sub1-x}{{sub1}}',
      'tail {sub1}',
    ]) {
      const compiled = compileMacros(template)
      const filled = fillCompiled(compiled, values, (source, name) => source[name], encode)
      expect(filled, template).toBe(fillMacros(template, values, encode))
    }
  })

  it('asks only for the macros a template uses', () => {
    const asked: string[] = []
    fillCompiled(
      compileMacros('https://x.example/?c={click_id}&c2={click_id}'),
      values,
      (source, name) => {
        asked.push(name)
        return source[name]
      },
      encode,
    )
    expect(asked).toEqual(['click_id', 'click_id'])
  })
})

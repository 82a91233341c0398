/** The fewest estimated bits of guessing an operator-chosen API key may cost. */
export const MIN_KEY_BITS = 80

// Words people put in keys they make up. A key built from them is guessed word by word, not
// character by character, so each one counts as one pick from a short list.
const WORDS = new Set(
  (
    'a an and api admin administrator access auth backtrack be change changeme default demo dev ' +
    'do example go here i in is it key letmein login long master me mine my no of on pass passwd ' +
    'password please prod production qwerty random root secret secure so string super test the ' +
    'this to token up us we welcome your'
  ).split(' '),
)
const WORD_BITS = 8
const MIN_WORD = 3

/**
 * A rough count of the guesses a key costs, in bits: each character is worth log2 of the
 * alphabet its classes span (lower, upper, digits, other), except that a known word counts as one
 * word (8 bits: a pick from a few hundred common words), a run or sequence (`aaaa`, `1234`, `abcd`) as one character, a separator seen before as
 * one bit, and a key that repeats a shorter chunk as that chunk.
 */
export function keyStrengthBits(key: string): number {
  const chars = [...key]
  const period = shortestPeriod(chars)
  const chunk = chars.slice(0, period)
  const repeats = chars.length / period
  return estimate(chunk, alphabetBits(chars)) + Math.log2(repeats)
}

function estimate(chars: string[], perChar: number): number {
  let bits = 0
  const seenSymbols = new Set<string>()
  let i = 0
  while (i < chars.length) {
    const run = sequenceLength(chars, i)
    if (run >= 3) {
      bits += perChar + Math.log2(run)
      i += run
      continue
    }
    const char = chars[i]!
    if (/\p{L}/u.test(char)) {
      let end = i
      while (end < chars.length && /\p{L}/u.test(chars[end]!)) end++
      const words = wordCount(chars.slice(i, end).join('').toLowerCase())
      bits += words === undefined ? perChar * (end - i) : words * WORD_BITS
      i = end
      continue
    }
    if (!/\p{N}/u.test(char)) {
      bits += seenSymbols.has(char) ? 1 : perChar
      seenSymbols.add(char)
    } else {
      bits += perChar
    }
    i++
  }
  return bits
}

/** How many known words a run of letters splits into exactly, or undefined. */
function wordCount(letters: string): number | undefined {
  if (WORDS.has(letters)) return 1
  // Fewest words covering the run: best[n] for its first n letters.
  const best: Array<number | undefined> = [0]
  for (let end = 1; end <= letters.length; end++) {
    for (let start = Math.max(0, end - 16); start <= end - MIN_WORD; start++) {
      const before = best[start]
      if (before === undefined || !WORDS.has(letters.slice(start, end))) continue
      if (best[end] === undefined || before + 1 < best[end]!) best[end] = before + 1
    }
  }
  return best[letters.length]
}

/** Length of the run at `from` where each character repeats or steps by one from the last. */
function sequenceLength(chars: string[], from: number): number {
  const code = (at: number) => chars[at]!.codePointAt(0)!
  if (from + 1 >= chars.length) return 1
  const step = code(from + 1) - code(from)
  if (Math.abs(step) > 1) return 1
  let end = from + 2
  while (end < chars.length && code(end) - code(end - 1) === step) end++
  return end - from
}

function shortestPeriod(chars: string[]): number {
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.length % period !== 0) continue
    if (chars.every((char, index) => char === chars[index % period])) return period
  }
  return chars.length
}

function alphabetBits(chars: string[]): number {
  let size = 0
  if (chars.some((c) => /[a-z]/.test(c))) size += 26
  if (chars.some((c) => /[A-Z]/.test(c))) size += 26
  if (chars.some((c) => /[0-9]/.test(c))) size += 10
  if (chars.some((c) => !/[A-Za-z0-9]/.test(c))) size += 33
  return Math.log2(size)
}

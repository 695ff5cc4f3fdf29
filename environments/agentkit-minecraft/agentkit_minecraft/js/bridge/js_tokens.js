'use strict'
// A small JavaScript tokenizer: enough to see identifiers, punctuators and loop headers
// outside strings, comments, template text and regular expressions. Used by /check (calls
// to unknown functions) and by the program runner (a time check in every loop condition).
// It is not a parser: syntax errors are found by V8 (vm.Script) before this runs.

const KEYWORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'return', 'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var',
  'void', 'while', 'with', 'yield', 'let', 'static', 'await', 'async', 'of', 'get', 'set',
  'null', 'true', 'false', 'undefined'
])

// After these words a `/` starts a regular expression, not a division.
const REGEX_AFTER_WORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case',
  'do', 'else', 'yield', 'await'
])

const ID_START = /[A-Za-z_$\u0080-\uffff]/
const ID_PART = /[\w$\u0080-\uffff]/

function lineStarts (src) {
  const starts = [0]
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1)
  return starts
}

function lineOf (starts, offset) {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

// Returns [{type, value, start, end, line}], type in ident, num, str, template, regex, punct.
// Comments and whitespace are dropped.
function tokenize (src) {
  const starts = lineStarts(src)
  const tokens = []
  const braces = [] // 'brace' for `{`, 'template' for `${`
  const n = src.length
  let i = 0

  const push = (type, start) => {
    tokens.push({ type, value: src.slice(start, i), start, end: i, line: lineOf(starts, start) })
  }
  const last = () => tokens[tokens.length - 1]
  const regexAllowed = () => {
    const t = last()
    if (!t) return true
    if (t.type === 'ident') return REGEX_AFTER_WORDS.has(t.value)
    if (t.type === 'punct') return !(t.value === ')' || t.value === ']' || t.value === '}')
    return false
  }
  // Scan template text from i (just after '`' or after the `}` closing a `${`).
  const scanTemplate = (start) => {
    while (i < n) {
      const c = src[i]
      if (c === '\\') { i += 2; continue }
      if (c === '`') { i++; push('template', start); return }
      if (c === '$' && src[i + 1] === '{') {
        i += 2
        push('template', start)
        braces.push('template')
        return
      }
      i++
    }
    push('template', start) // unterminated: let V8 complain
  }

  while (i < n) {
    const c = src[i]
    const start = i
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' ||
        c === '\u00a0' || c === '\ufeff' || c === '\u2028' || c === '\u2029') { i++; continue }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++
      continue
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
      continue
    }
    if (c === '"' || c === "'") {
      i++
      while (i < n && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1
      i++
      push('str', start)
      continue
    }
    if (c === '`') { i++; scanTemplate(start); continue }
    if (ID_START.test(c) || c === '#' || (c === '\\' && src[i + 1] === 'u')) {
      i++
      while (i < n && (ID_PART.test(src[i]) || src[i] === '\\')) i++
      push('ident', start)
      continue
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] || ''))) {
      i++
      while (i < n && /[\w.]/.test(src[i])) {
        if ((src[i] === 'e' || src[i] === 'E') && (src[i + 1] === '+' || src[i + 1] === '-')) i++
        i++
      }
      push('num', start)
      continue
    }
    if (c === '/' && regexAllowed()) {
      // A regular expression literal ends on its line; if it does not, it was a division.
      let j = i + 1
      let inClass = false
      let ok = false
      while (j < n && src[j] !== '\n') {
        const d = src[j]
        if (d === '\\') { j += 2; continue }
        if (d === '[') inClass = true
        else if (d === ']') inClass = false
        else if (d === '/' && !inClass) { ok = true; break }
        j++
      }
      if (ok) {
        i = j + 1
        while (i < n && ID_PART.test(src[i])) i++
        push('regex', start)
        continue
      }
    }
    if (c === '{') { braces.push('brace'); i++; push('punct', start); continue }
    if (c === '}') {
      if (braces.length && braces[braces.length - 1] === 'template') {
        braces.pop()
        i++
        scanTemplate(start)
        continue
      }
      braces.pop()
      i++
      push('punct', start)
      continue
    }
    if (c === '?' && src[i + 1] === '.' && !/[0-9]/.test(src[i + 2] || '')) { i += 2; push('punct', start); continue }
    if (c === '=' && src[i + 1] === '>') { i += 2; push('punct', start); continue }
    if (c === '.' && src[i + 1] === '.' && src[i + 2] === '.') { i += 3; push('punct', start); continue }
    i++
    push('punct', start)
  }
  return tokens
}

// Index of the token closing the bracket opened at tokens[open] (or -1).
function matching (tokens, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' }
  const want = pairs[tokens[open].value]
  let depth = 0
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.type !== 'punct') continue
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++
    else if (t.value === ')' || t.value === ']' || t.value === '}') {
      depth--
      if (depth === 0) return t.value === want ? k : -1
    }
  }
  return -1
}

const isPunct = (t, v) => t && t.type === 'punct' && t.value === v
const isMember = (t) => isPunct(t, '.') || isPunct(t, '?.')

// Inserts `tick() && (...)` into every `while (...)` and classic `for (;;)` condition,
// keeping line numbers unchanged, so that loops (also synchronous ones) stop at the
// program's deadline. Returns the new source.
function instrumentLoops (src, tick) {
  const tokens = tokenize(src)
  const inserts = [] // [offset, text]
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.type !== 'ident' || isMember(tokens[k - 1])) continue
    if (t.value === 'while' && isPunct(tokens[k + 1], '(')) {
      const close = matching(tokens, k + 1)
      if (close < 0) continue
      inserts.push([tokens[k + 1].end, `${tick}() && (`], [tokens[close].start, ')'])
    } else if (t.value === 'for' && isPunct(tokens[k + 1], '(')) {
      const close = matching(tokens, k + 1)
      if (close < 0) continue
      const semis = []
      let depth = 0
      for (let m = k + 2; m < close; m++) {
        const u = tokens[m]
        if (u.type !== 'punct') continue
        if (u.value === '(' || u.value === '[' || u.value === '{') depth++
        else if (u.value === ')' || u.value === ']' || u.value === '}') depth--
        else if (u.value === ';' && depth === 0) semis.push(m)
      }
      if (semis.length !== 2) continue // for-in / for-of: bounded by their collection
      const a = semis[0]
      const b = semis[1]
      if (b === a + 1) inserts.push([tokens[a].end, ` ${tick}() `])
      else inserts.push([tokens[a].end, ` ${tick}() && (`], [tokens[b].start, ')'])
    }
  }
  inserts.sort((x, y) => y[0] - x[0])
  let out = src
  for (const [at, text] of inserts) out = out.slice(0, at) + text + out.slice(at)
  return out
}

// Calls and names of a source: {calls: [{name, line}], names: Set} where `calls` are plain
// identifier calls `f(...)` / `new F(...)` (not methods `a.f()`, not declarations) and
// `names` are identifiers that appear in any other position (declared, assigned, passed
// around) plus declared function and class names.
function callsAndNames (src) {
  const tokens = tokenize(src)
  const calls = []
  const names = new Set()
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.type !== 'ident') continue
    const prev = tokens[k - 1]
    if (isMember(prev)) continue
    const prevIsDecl = prev && prev.type === 'ident' && (prev.value === 'function' || prev.value === 'class')
    const prevIsGen = isPunct(prev, '*') && tokens[k - 2] && tokens[k - 2].value === 'function'
    if (prevIsDecl || prevIsGen) { names.add(t.value); continue }
    let next = tokens[k + 1]
    let openIdx = k + 1
    if (isPunct(next, '?.') && isPunct(tokens[k + 2], '(')) { openIdx = k + 2; next = tokens[k + 2] }
    if (isPunct(next, '(') && !KEYWORDS.has(t.value)) {
      const close = matching(tokens, openIdx)
      const after = close >= 0 ? tokens[close + 1] : null
      if (isPunct(after, '{') || isPunct(after, '=>')) { names.add(t.value); continue } // method / arrow
      calls.push({ name: t.value, line: t.line })
      continue
    }
    if (isPunct(next, ':') && (isPunct(prev, '{') || isPunct(prev, ','))) continue // object key
    names.add(t.value)
  }
  return { calls, names }
}

module.exports = { tokenize, instrumentLoops, callsAndNames, KEYWORDS }

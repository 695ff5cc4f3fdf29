'use strict'
// /check: finds, without running anything, what would fail at once in /program: syntax
// errors (with their line), calls to functions that are not primitives, skills, functions
// or variables of the program, or built-ins, and a missing entry function.

const { PRIMITIVES } = require('./primitives')
const { callsAndNames } = require('./js_tokens')
const { compile, EXTRA_GLOBALS, builtins, PROGRAM_FILE } = require('./program_runner')

function checkProgram (code, { skills = {}, entry = 'run' } = {}) {
  const problems = []
  const compiled = compile(code, PROGRAM_FILE)
  if (compiled.error) {
    const e = compiled.error
    problems.push(`line ${compiled.line ?? '?'}: ${e.name || 'SyntaxError'}: ${e.message}`)
    return problems
  }
  const known = new Set([...EXTRA_GLOBALS, ...Object.keys(PRIMITIVES), ...builtins()])
  for (const [name, source] of Object.entries(skills || {})) {
    known.add(name)
    if (typeof source !== 'string') { problems.push(`skill ${name}: source must be a string`); continue }
    const c = compile(source, `skills/${name}.js`)
    if (c.error) { problems.push(`skill ${name}: line ${c.line ?? '?'}: ${c.error.name || 'SyntaxError'}: ${c.error.message}`); continue }
    for (const n of callsAndNames(source).names) known.add(n)
  }
  const { calls, names } = callsAndNames(code)
  const reported = new Set()
  for (const call of calls) {
    if (known.has(call.name) || names.has(call.name) || reported.has(call.name)) continue
    reported.add(call.name)
    problems.push(`line ${call.line}: ${call.name} is not defined: it is not a primitive, a skill, a function of this program or a built-in`)
  }
  if (!names.has(entry || 'run')) problems.push(`the program must define async function ${entry || 'run'}(bot)`)
  return problems
}

module.exports = { checkProgram }

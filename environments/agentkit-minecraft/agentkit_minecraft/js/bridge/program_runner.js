'use strict'
// Code mode: runs a program that defines `async function run(bot)` in a V8 isolate of its
// own (isolated-vm; see isolate_host.js and isolate_prelude.js). Its globals are a `bot`
// facade (plain data, and methods that forward a fixed set of calls), the primitives (bot
// first, as in Voyager), the skills, Vec3, mcData, the pathfinder goals and Movements, a
// console that writes to feedback, timers, and the JavaScript built-ins: no Node.js, no
// host object, nothing whose constructor leads back to the bridge. The program is run as
// its own script named program.js and each skill as skills/<name>.js, so an error's stack
// tells where it happened. The run's deadline disposes the isolate, which stops even a
// synchronous endless loop; its heap is capped at MEMORY_MB.

const path = require('node:path')
const vm = require('node:vm')
const pathfinder = require('mineflayer-pathfinder')
const { IsolateRun, MEMORY_MB } = require('./isolate_host')
const { CancelledError } = require('./run_context')

const PROGRAM_FILE = 'program.js'
const SKILL_DIR = 'skills/'
const PRIMITIVES_DIR = path.join(__dirname, 'primitives') + path.sep
const IDENT = /^[A-Za-z_$][\w$]*$/

// Globals a program may use besides the primitives, its skills and the built-ins.
const EXTRA_GLOBALS = ['bot', 'Vec3', 'mcData', 'console', 'Movements', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', ...Object.keys(pathfinder.goals)]

// What every program step runs under, for the step reply (recorded in the trajectory).
const ISOLATION = Object.freeze({
  layers: ['v8_isolate', 'host_facade', 'isolate_memory_limit', 'deadline_dispose'],
  missing: {},
  opted_out: false,
  memory_mb: MEMORY_MB
})

let builtinNames = null
function builtins () {
  if (!builtinNames) builtinNames = Object.getOwnPropertyNames(vm.runInNewContext('globalThis'))
  return builtinNames
}

class ProgramError extends Error {
  constructor (message, line = null, stack = null) {
    super(message)
    this.name = 'ProgramError'
    this.programLine = line
    this.programStack = stack
  }
}

// Line of a SyntaxError raised while compiling `filename` ("program.js:3\n..." stacks).
function syntaxLine (err, filename) {
  const first = String(err && err.stack ? err.stack : '').split('\n')[0]
  if (first.startsWith(filename + ':')) {
    const n = parseInt(first.slice(filename.length + 1), 10)
    if (Number.isFinite(n)) return n
  }
  return null
}

// A syntax check that runs nothing (node:vm only compiles here): {error, line} or {}.
function compile (source, filename) {
  try {
    new vm.Script(source, { filename }) // eslint-disable-line no-new
  } catch (err) {
    return { error: err, line: syntaxLine(err, filename) }
  }
  return {}
}

const MAX_ERROR_CHARS = 2000 // a program's error message (it chooses it) and each stack line

const clip = (text) => text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}... (${text.length} characters)` : text

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/
// The program chooses its error's message, which comes first in the stack: only this many
// lines, of this many characters, are looked at for frames. FRAME backtracks (quadratic in
// a line's length), and it runs in the bridge, where no deadline can stop it.
const STACK_LINES = 200
const FRAME_CHARS = 1000

function stackLines (err) {
  const stack = String(err && err.stack ? err.stack : '')
  return stack.slice(0, STACK_LINES * (FRAME_CHARS + 1)).split('\n').slice(0, STACK_LINES)
}

const frame = (line) => line.length <= FRAME_CHARS ? FRAME.exec(line) : null

// Where an error happened: {where: 'program'|'skill'|'primitive'|null, line}.
function locate (err) {
  const lines = stackLines(err)
  for (const l of lines) {
    const m = frame(l)
    if (!m) continue
    const file = m[1]
    if (file === PROGRAM_FILE) return { where: 'program', line: parseInt(m[2], 10) }
    if (file.startsWith(SKILL_DIR)) return { where: 'skill', line: null, skill: file }
    if (file.startsWith(PRIMITIVES_DIR)) return { where: 'primitive', line: null }
  }
  return { where: null, line: null }
}

// The stack with only the frames of the program, the skills and the primitives.
function cleanStack (err) {
  const lines = stackLines(err)
  const out = []
  for (const l of lines) {
    const m = frame(l)
    if (!m) {
      if (!/^\s*at /.test(l)) out.push(clip(l))
      continue
    }
    const file = m[1]
    if (file === PROGRAM_FILE || file.startsWith(SKILL_DIR)) out.push(l)
    else if (file.startsWith(PRIMITIVES_DIR)) out.push(l.replace(PRIMITIVES_DIR, 'bridge/primitives/'))
  }
  return out.slice(0, 20).join('\n')
}

const MEMORY_ERROR = /disposed during execution due to memory limit|memory limit/i

async function runProgram (ctx, bot, { code, entry = 'run', skills = {} }) {
  if (typeof code !== 'string') throw new ProgramError('code must be a string')
  entry = entry || 'run'
  if (!IDENT.test(entry)) throw new ProgramError(`entry must be a function name, got ${JSON.stringify(entry)}`)
  if (skills == null) skills = {}
  if (typeof skills !== 'object' || Array.isArray(skills)) throw new ProgramError('skills must be an object {name: source}')

  const checked = []
  for (const [name, source] of Object.entries(skills)) {
    if (typeof source !== 'string') throw new ProgramError(`skill ${name}: source must be a string`)
    const filename = `${SKILL_DIR}${String(name).replace(/[^\w.-]/g, '_')}.js`
    const compiled = compile(source, filename)
    if (compiled.error) {
      throw new ProgramError(`skill ${name} has a syntax error at its line ${compiled.line}: ${compiled.error.message}`)
    }
    checked.push([source, filename])
  }
  const compiled = compile(code, PROGRAM_FILE)
  if (compiled.error) {
    throw new ProgramError(`${compiled.error.name || 'SyntaxError'}: ${compiled.error.message}`, compiled.line,
      String(compiled.error.stack || '').split('\n').slice(0, 4).join('\n'))
  }
  const remaining = () => Math.max(1, Math.min(60000, (ctx.deadline || Date.now() + 60000) - Date.now()))
  const run = new IsolateRun(ctx, bot)
  try {
    await ctx.race(run.setup())
    for (const [source, filename] of checked) await ctx.race(run.runScript(source, filename, remaining()))
    await ctx.race(run.runScript(code, PROGRAM_FILE, remaining()))
    if (!(await ctx.race(run.hasFunction(entry)))) throw new ProgramError(`the program must define async function ${entry}(bot)`)
    return await ctx.race(run.callEntry(entry))
  } catch (err) {
    if (!ctx.cancelled && err && MEMORY_ERROR.test(String(err.message))) {
      throw new ProgramError(`memory limit ${MEMORY_MB} MB exceeded`)
    }
    if (!ctx.cancelled && err && /Script execution timed out/.test(String(err.message))) {
      throw new ProgramError(ctx.timeoutMessage || 'the program timed out')
    }
    throw err
  } finally {
    run.dispose()
  }
}

// {message, line, stack} for the step reply. By class, not by name: a program's own error
// can be named anything (and its message be any size).
function describeError (err) {
  if (err instanceof ProgramError) {
    return { message: clip(String(err.message)), line: err.programLine, stack: err.programStack }
  }
  if (err instanceof CancelledError) return { message: clip(String(err.message)), line: null, stack: null }
  const message = clip(err && err.message !== undefined ? `${err.name && err.name !== 'Error' ? String(err.name).slice(0, 100) + ': ' : ''}${err.message}` : String(err))
  const where = locate(err)
  const out = { message, line: where.where === 'program' ? where.line : null, stack: cleanStack(err) || null }
  if (where.where === 'skill' || where.where === 'primitive') {
    // Not part of the reply's error (line stays null), but worth saying in the feedback.
    const m = /\(?program\.js:(\d+):\d+\)?/.exec(out.stack || '')
    Object.defineProperty(out, 'calledAt', { value: m ? parseInt(m[1], 10) : null, enumerable: false })
    Object.defineProperty(out, 'inside', { value: where.where === 'skill' ? `skill ${where.skill.slice(SKILL_DIR.length, -3)}` : 'a primitive', enumerable: false })
  }
  return out
}

module.exports = { runProgram, describeError, locate, EXTRA_GLOBALS, ISOLATION, builtins, compile, PROGRAM_FILE, SKILL_DIR }

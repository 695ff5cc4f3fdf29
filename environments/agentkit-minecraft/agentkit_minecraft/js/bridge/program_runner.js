'use strict'
// Code mode: runs a program that defines `async function run(bot)` in a node:vm context
// whose globals are bot, the primitives (bot first, as in Voyager), the skills, Vec3,
// mcData, the pathfinder goals and Movements, a console that writes to feedback, tracked
// timers, and the JavaScript built-ins of a fresh context (no require, process, import).
// The program is evaluated as its own script named program.js and each skill as
// skills/<name>.js, so an error's stack tells where it happened. Every while/for loop
// condition gets a time check, so even a synchronous endless loop stops at the deadline.
// node:vm is not a security boundary (bot leads back to the host); it keeps honest
// programs away from Node's globals.

const path = require('node:path')
const util = require('node:util')
const vm = require('node:vm')
const { Vec3 } = require('vec3')
const pathfinder = require('mineflayer-pathfinder')
const { PRIMITIVES } = require('./primitives')
const { instrumentLoops } = require('./js_tokens')

const PROGRAM_FILE = 'program.js'
const SKILL_DIR = 'skills/'
const TICK = '__agentkitLoopCheck'
const PRIMITIVES_DIR = path.join(__dirname, 'primitives') + path.sep
const IDENT = /^[A-Za-z_$][\w$]*$/

// Globals a program may use besides the primitives, its skills and the built-ins.
const EXTRA_GLOBALS = ['bot', 'Vec3', 'mcData', 'console', 'Movements', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', ...Object.keys(pathfinder.goals)]

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

function makeConsole (ctx) {
  const say = (...args) => ctx.say(util.format(...args))
  return { log: say, info: say, warn: say, error: say, debug: say, trace: say }
}

function makeTimers (ctx) {
  const guard = (fn, args) => () => {
    if (ctx.cancelled || typeof fn !== 'function') return
    try { fn(...args) } catch (e) { ctx.say(`Error in a timer callback: ${e && e.message ? e.message : e}`) }
  }
  return {
    setTimeout: (fn, ms, ...args) => {
      const t = setTimeout(() => { ctx.timers.delete(t); guard(fn, args)() }, ms)
      ctx.timers.add(t)
      return t
    },
    setInterval: (fn, ms, ...args) => {
      const t = setInterval(guard(fn, args), Math.max(10, ms || 0))
      ctx.timers.add(t)
      return t
    },
    clearTimeout: (t) => { clearTimeout(t); ctx.timers.delete(t) },
    clearInterval: (t) => { clearInterval(t); ctx.timers.delete(t) }
  }
}

function makeContext (ctx, bot) {
  const sandbox = {
    bot,
    Vec3,
    mcData: bot.registry,
    Movements: pathfinder.Movements,
    console: makeConsole(ctx),
    ...makeTimers(ctx)
  }
  for (const [name, Goal] of Object.entries(pathfinder.goals)) sandbox[name] = Goal
  for (const [name, fn] of Object.entries(PRIMITIVES)) {
    sandbox[name] = ({
      async [name] (...args) {
        ctx.check()
        return fn(ctx, ...args)
      }
    })[name]
  }
  sandbox[TICK] = () => {
    if (ctx.cancelled) throw ctx.cancelled
    if (ctx.deadline && Date.now() > ctx.deadline) {
      ctx.cancel(ctx.timeoutMessage || 'the program timed out')
      throw ctx.cancelled
    }
    return true
  }
  return vm.createContext(sandbox, { name: 'agentkit program', codeGeneration: { strings: false, wasm: false } })
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

function compile (source, filename) {
  let script
  try {
    script = new vm.Script(source, { filename })
  } catch (err) {
    return { error: err, line: syntaxLine(err, filename) }
  }
  let instrumented = null
  try {
    instrumented = new vm.Script(instrumentLoops(source, TICK), { filename })
  } catch (err) {
    process.stderr.write(`[bridge] loop instrumentation failed for ${filename}: ${err.message}; running it as is\n`)
  }
  return { script: instrumented || script }
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/

// Where an error happened: {where: 'program'|'skill'|'primitive'|null, line}.
function locate (err) {
  const lines = String(err && err.stack ? err.stack : '').split('\n')
  for (const l of lines) {
    const m = FRAME.exec(l)
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
  const lines = String(err && err.stack ? err.stack : '').split('\n')
  const out = []
  for (const l of lines) {
    const m = FRAME.exec(l)
    if (!m) {
      if (!/^\s*at /.test(l)) out.push(l)
      continue
    }
    const file = m[1]
    if (file === PROGRAM_FILE || file.startsWith(SKILL_DIR)) out.push(l)
    else if (file.startsWith(PRIMITIVES_DIR)) out.push(l.replace(PRIMITIVES_DIR, 'bridge/primitives/'))
  }
  return out.slice(0, 20).join('\n')
}

async function runProgram (ctx, bot, { code, entry = 'run', skills = {} }) {
  if (typeof code !== 'string') throw new ProgramError('code must be a string')
  entry = entry || 'run'
  if (!IDENT.test(entry)) throw new ProgramError(`entry must be a function name, got ${JSON.stringify(entry)}`)
  if (skills == null) skills = {}
  if (typeof skills !== 'object' || Array.isArray(skills)) throw new ProgramError('skills must be an object {name: source}')

  const context = makeContext(ctx, bot)
  const remaining = () => Math.max(1, Math.min(60000, (ctx.deadline || Date.now() + 60000) - Date.now()))
  for (const [name, source] of Object.entries(skills)) {
    if (typeof source !== 'string') throw new ProgramError(`skill ${name}: source must be a string`)
    const filename = `${SKILL_DIR}${String(name).replace(/[^\w.-]/g, '_')}.js`
    const compiled = compile(source, filename)
    if (compiled.error) {
      throw new ProgramError(`skill ${name} has a syntax error at its line ${compiled.line}: ${compiled.error.message}`)
    }
    compiled.script.runInContext(context, { timeout: remaining() })
  }
  const compiled = compile(code, PROGRAM_FILE)
  if (compiled.error) {
    throw new ProgramError(`${compiled.error.name || 'SyntaxError'}: ${compiled.error.message}`, compiled.line,
      String(compiled.error.stack || '').split('\n').slice(0, 4).join('\n'))
  }
  compiled.script.runInContext(context, { timeout: remaining() })
  const fn = vm.runInContext(`typeof ${entry} === 'function' ? ${entry} : undefined`, context)
  if (!fn) throw new ProgramError(`the program must define async function ${entry}(bot)`)
  return await ctx.race(Promise.resolve().then(() => fn(bot)))
}

// {message, line, stack} for the step reply.
function describeError (err) {
  if (err && err.name === 'ProgramError') {
    return { message: err.message, line: err.programLine, stack: err.programStack }
  }
  if (err && err.name === 'CancelledError') return { message: err.message, line: null, stack: null }
  const message = err && err.message !== undefined ? `${err.name && err.name !== 'Error' ? err.name + ': ' : ''}${err.message}` : String(err)
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

module.exports = { runProgram, describeError, locate, makeContext, EXTRA_GLOBALS, builtins, compile, PROGRAM_FILE, SKILL_DIR }

'use strict'
// The bridge's one bot: connecting (with mineflayer-pathfinder, -tool, -collectblock and
// -pvp), disconnecting, and running one step (/act or /program) under a deadline that
// stops the bot, with the step reply of PROTOCOL.md.

const mineflayer = require('mineflayer')
const { pathfinder } = require('mineflayer-pathfinder')
const { plugin: toolPlugin } = require('mineflayer-tool')
const { plugin: collectBlockPlugin } = require('mineflayer-collectblock')
const { plugin: pvpPlugin } = require('mineflayer-pvp')

const { EventLog, attachBotEvents, textOf } = require('./events')
const { observe } = require('./observation')
const { RunContext } = require('./run_context')
const { stopBot, setupMovements, guardTowerPlacement } = require('./primitives/util')
const { PRIMITIVES } = require('./primitives')
const { runProgram, describeError, ISOLATION } = require('./program_runner')
const { summarizeResult } = require('./format')
const { startViewer } = require('./viewer')

const SETTLE_MS = 3000 // after a cancellation, how long to wait for the run to unwind

const log = (msg) => process.stderr.write(`[bridge] ${msg}\n`)

class Session {
  constructor () {
    this.bot = null
    this.state = null
    this.events = new EventLog()
    this.chests = new Map()
    this.current = null
    this.detach = null
    this.viewer = null
  }

  get connected () {
    return Boolean(this.bot && this.state && this.state.connected)
  }

  async connect (body, timeoutMs) {
    const host = body.host || '127.0.0.1'
    const port = body.port === undefined ? 25565 : Number(body.port)
    const username = body.username || 'bot'
    const version = body.version || '1.20.4'
    if (!Number.isInteger(port) || port <= 0 || port > 65535) return { ok: false, error: `invalid port ${JSON.stringify(body.port)}` }
    if (typeof username !== 'string' || !/^\w{1,16}$/.test(username)) {
      return { ok: false, error: `invalid username ${JSON.stringify(username)}: 1-16 letters, digits or _` }
    }
    if (this.bot) await this.disconnect()

    const state = { connected: false, dead: false, spawned: false, kickReason: null, quitting: false, chests: this.chests }
    this.chests.clear()
    let bot
    try {
      bot = mineflayer.createBot({
        host,
        port,
        username,
        version,
        auth: 'offline',
        hideErrors: true,
        logErrors: false,
        checkTimeoutInterval: 120000
      })
    } catch (err) {
      return { ok: false, error: `cannot create the bot: ${err.message}` }
    }
    this.bot = bot
    this.state = state
    this.detach = attachBotEvents(bot, this.events, state)
    const started = Date.now()
    try {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms connecting to ${host}:${port}`)), timeoutMs)
        const onSpawn = () => done(null)
        const onError = (err) => done(new Error(`cannot connect to ${host}:${port}: ${err && err.message ? err.message : err}`))
        const onKicked = (reason) => done(new Error(`kicked while connecting to ${host}:${port}: ${textOf(reason)}`))
        const onEnd = (reason) => done(new Error(`connection to ${host}:${port} closed: ${reason || 'no reason given'}`))
        function done (err) {
          clearTimeout(timer)
          bot.removeListener('spawn', onSpawn)
          bot.removeListener('error', onError)
          bot.removeListener('kicked', onKicked)
          bot.removeListener('end', onEnd)
          if (err) reject(err)
          else resolve()
        }
        bot.once('spawn', onSpawn)
        bot.once('error', onError)
        bot.once('kicked', onKicked)
        bot.once('end', onEnd)
      })
      bot.loadPlugin(pathfinder)
      bot.loadPlugin(toolPlugin)
      bot.loadPlugin(collectBlockPlugin)
      bot.loadPlugin(pvpPlugin)
      setupMovements(bot)
      guardTowerPlacement(bot)
      const left = Math.max(500, Math.min(10000, timeoutMs - (Date.now() - started)))
      await Promise.race([bot.waitForChunksToLoad(), new Promise((resolve) => setTimeout(resolve, left))])
    } catch (err) {
      this._drop('connect failed')
      return { ok: false, error: err.message }
    }
    state.connected = true
    bot.on('end', (reason) => {
      state.connected = false
      if (this.current) this.current.cancel(`the bot was disconnected: ${state.kickReason || reason || 'connection closed'}`)
    })
    log(`connected to ${host}:${port} as ${username} (${version}) in ${Date.now() - started} ms`)
    const reply = { ok: true, observation: this.observation() }
    if (body.viewer) reply.viewer = await this._startViewer(body.viewer)
    return reply
  }

  // The live view is a window onto the run, never a reason to fail it: a view that cannot
  // start (port taken, viewer not installed) is reported in the reply and the run goes on.
  async _startViewer (options) {
    const port = options.port === undefined ? 0 : Number(options.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `invalid viewer port ${JSON.stringify(options.port)}` }
    try {
      this.viewer = await startViewer(this.bot, { port, viewDistance: Number(options.view_distance) || 4 })
    } catch (err) {
      return { ok: false, error: `the live view could not start: ${err.message}` }
    }
    log(`live view on ${this.viewer.url}`)
    return { ok: true, url: this.viewer.url }
  }

  _drop (why) {
    if (this.viewer) {
      try { this.viewer.close() } catch (e) { /* ignore */ }
      this.viewer = null
    }
    const bot = this.bot
    if (!bot) return
    if (this.state) { this.state.quitting = true; this.state.connected = false }
    try { stopBot(bot) } catch (e) { /* ignore */ }
    try { bot.quit(why) } catch (e) { /* ignore */ }
    try { bot.end(why) } catch (e) { /* ignore */ }
    // the bot may still emit 'error' while closing: keep a listener
    bot.on('error', () => {})
    if (this.detach) this.detach()
    this.detach = null
    this.bot = null
    this.state = null
  }

  async disconnect () {
    const bot = this.bot
    if (!bot) return { ok: true }
    if (this.current) this.current.cancel('the bot is disconnecting')
    const ended = new Promise((resolve) => { bot.once('end', resolve); setTimeout(resolve, 2000) })
    this._drop('disconnect requested')
    await ended
    log('disconnected')
    return { ok: true }
  }

  observation () {
    if (!this.connected || !this.bot.entity) return null
    try {
      return observe(this.bot, this.state)
    } catch (err) {
      this.events.add('error', `observation failed: ${err.message}`)
      return null
    }
  }

  // Runs fn(ctx) as one step with a deadline; returns the step reply.
  async step (label, timeoutMs, signal, fn, onFalse) {
    if (!this.connected) {
      const message = 'not connected: call /connect first'
      return this.reply(false, [], `Error: ${message}`, { message, line: null, stack: null })
    }
    const bot = this.bot
    const ctx = new RunContext(this)
    ctx.deadline = Date.now() + timeoutMs
    ctx.timeoutMessage = `${label} timed out after ${timeoutMs} ms; the bot was stopped`
    this.current = ctx
    const timer = setTimeout(() => ctx.cancel(ctx.timeoutMessage), timeoutMs)
    const onAbort = () => ctx.cancel('the client closed the connection; the bot was stopped')
    if (signal) signal.addEventListener('abort', onAbort)
    let result
    let error = null
    const task = Promise.resolve().then(() => fn(ctx, bot))
    try {
      result = await Promise.race([task, ctx.cancelPromise])
    } catch (err) {
      error = err
    }
    clearTimeout(timer)
    if (signal) signal.removeEventListener('abort', onAbort)
    if (ctx.cancelled) {
      error = ctx.cancelled
      try { stopBot(bot) } catch (e) { /* ignore */ }
      await Promise.race([task.catch(() => {}), new Promise((resolve) => setTimeout(resolve, SETTLE_MS))])
    }
    // Work the run left behind (un-awaited calls, timers) stops at its next check.
    ctx.cancel(`the ${label} step is over`)
    this.current = null

    const lines = ctx.feedback()
    let described = null
    let summary = { result: null, text: undefined }
    if (error) {
      described = describeError(error)
      let where = described.line ? ` (line ${described.line})` : ''
      if (!where && described.calledAt) where = ` (in ${described.inside} called at line ${described.calledAt})`
      lines.push(`Error: ${described.message}${where}`)
    } else {
      summary = summarizeResult(result)
      if (result !== undefined && typeof result !== 'boolean' && summary.text !== undefined) lines.push(`Result: ${summary.text}`)
      if (result === false) {
        const said = ctx.lines.length ? ctx.lines[ctx.lines.length - 1] : null
        described = { message: onFalse(said), line: null, stack: null }
      }
    }
    const reply = this.reply(!described, lines, null, described, summary.result)
    if (label === '/program') reply.sandbox = ISOLATION // what the program ran under
    return reply
  }

  reply (ok, lines, extra, error, result = null) {
    if (extra) lines = lines.concat([extra])
    return {
      ok,
      feedback: lines.join('\n'),
      events: this.events.drain(),
      observation: this.observation(),
      error: error || null,
      result
    }
  }

  async act (body, timeoutMs, signal) {
    const name = body.name
    const prim = Object.prototype.hasOwnProperty.call(PRIMITIVES, name) ? PRIMITIVES[name] : null
    if (!prim) {
      const msg = `unknown primitive ${JSON.stringify(name)}; the primitives are ${Object.keys(PRIMITIVES).join(', ')}`
      return this.reply(false, [], `Error: ${msg}`, { message: msg, line: null, stack: null })
    }
    let args = body.args === undefined || body.args === null ? [] : body.args
    if (!Array.isArray(args)) args = [args]
    return this.step(`/act ${name}`, timeoutMs, signal, (ctx, bot) => prim(ctx, bot, ...args),
      (said) => said || `${name} failed`)
  }

  async program (body, timeoutMs, signal) {
    const entry = body.entry || 'run'
    return this.step('/program', timeoutMs, signal,
      (ctx, bot) => runProgram(ctx, bot, { code: body.code, entry, skills: body.skills || {} }),
      () => `${entry}(bot) returned false`)
  }

  abortCurrent (why) {
    if (this.current) this.current.cancel(why)
  }

  shutdown () {
    this._drop('bridge shutting down')
  }
}

module.exports = { Session }

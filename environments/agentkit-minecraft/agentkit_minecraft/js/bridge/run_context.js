'use strict'
// One /act or /program run: its feedback lines, its cancellation (timeout, disconnect,
// client gone) and Voyager's per-run failure counters ("throws after repeated failure").

const util = require('node:util')

const MAX_FEEDBACK_CHARS = 20000
const MAX_FAILURES = 10

class CancelledError extends Error {
  constructor (message) {
    super(message)
    this.name = 'CancelledError'
  }
}

class RunContext {
  constructor (session) {
    this.session = session
    this.lines = []
    this.chars = 0
    this.truncated = 0
    this.cancelled = null // the CancelledError once cancelled
    this.failures = {}
    this.timers = new Set()
    this.cleanups = [] // run once at cancellation (the program's isolate is disposed here)
    this.cancelPromise = new Promise((resolve, reject) => { this._reject = reject })
    this.cancelPromise.catch(() => {})
  }

  // Feedback: what the primitives (and the program's console) said.
  say (...parts) {
    const text = parts.map((p) => typeof p === 'string' ? p : util.inspect(p, { depth: 2, breakLength: 120 })).join(' ')
    if (this.chars + text.length > MAX_FEEDBACK_CHARS) { this.truncated++; return }
    this.lines.push(text)
    this.chars += text.length + 1
  }

  feedback () {
    const lines = this.lines.slice()
    if (this.truncated) lines.push(`(${this.truncated} more feedback lines were dropped)`)
    return lines
  }

  // An explained failure: say it, count it, throw after too many in one run; returns false.
  fail (primitive, message) {
    this.say(message)
    this.failures[primitive] = (this.failures[primitive] || 0) + 1
    if (this.failures[primitive] > MAX_FAILURES) {
      throw new Error(`${primitive} failed too many times (${this.failures[primitive]}): ${message}`)
    }
    return false
  }

  cancel (message) {
    if (this.cancelled) return
    this.cancelled = new CancelledError(message)
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const f of this.cleanups.splice(0)) {
      try { f() } catch (e) { /* best effort */ }
    }
    this._reject(this.cancelled)
  }

  onCancel (f) {
    if (this.cancelled) f()
    else this.cleanups.push(f)
  }

  check () {
    if (this.cancelled) throw this.cancelled
  }

  // Awaits `promise`, but rejects as soon as the run is cancelled.
  race (promise) {
    this.check()
    const p = Promise.resolve(promise)
    p.catch(() => {}) // a late rejection after cancellation is not unhandled
    return Promise.race([p, this.cancelPromise])
  }

  sleep (ms) {
    return this.race(new Promise((resolve) => {
      const t = setTimeout(() => { this.timers.delete(t); resolve() }, ms)
      this.timers.add(t)
    }))
  }

  // Races `promise` against a timeout of its own; on timeout calls onTimeout() and rejects.
  async within (promise, ms, message, onTimeout) {
    let timer
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        try { if (onTimeout) onTimeout() } catch (e) { /* best effort */ }
        reject(new Error(message))
      }, ms)
    })
    try {
      return await this.race(Promise.race([Promise.resolve(promise), timeout]))
    } finally {
      clearTimeout(timer)
    }
  }
}

module.exports = { RunContext, CancelledError, MAX_FAILURES }

'use strict'
// Helpers for server.test.js: run server/server.js as a child process and connect
// plain mineflayer bots to it.

const { spawn } = require('child_process')
const path = require('path')
const readline = require('readline')
const mineflayer = require('mineflayer')

const SERVER = path.join(__dirname, '..', 'server', 'server.js')

function sleep (ms) { return new Promise(resolve => setTimeout(resolve, ms)) }

async function waitFor (cond, timeoutMs = 10000, what = 'condition', stepMs = 50) {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await cond()
    if (v) return v
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await sleep(stepMs)
  }
}

function withTimeout (promise, ms, what) {
  let timer
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms) })
  ])
}

// Starts `node server/server.js` with stdin/stdout piped; resolves once the ready line came.
function startServerProcess ({ seed = 7, extraArgs = [], timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SERVER, '--port', '0', '--seed', String(seed), '--version', '1.20.4', ...extraArgs], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const stderr = []
    proc.stderr.on('data', d => { stderr.push(d.toString()); if (stderr.length > 400) stderr.splice(0, 200) })
    const lines = []
    const rl = readline.createInterface({ input: proc.stdout })
    let ready = null
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error('server did not become ready: ' + stderr.join('')))
    }, timeoutMs)
    rl.on('line', (line) => {
      lines.push(line)
      if (ready) return
      clearTimeout(timer)
      try {
        ready = JSON.parse(line)
      } catch (err) {
        reject(new Error('first stdout line is not JSON: ' + line))
        return
      }
      resolve({
        proc,
        ready,
        port: ready.port,
        lines,
        stderr: () => stderr.join(''),
        exited: new Promise(resolve => proc.once('exit', (code, signal) => resolve({ code, signal }))),
        async stop () {
          if (proc.exitCode !== null || proc.signalCode !== null) return
          const gone = new Promise(resolve => proc.once('exit', resolve))
          proc.stdin.end()
          const t = setTimeout(() => proc.kill('SIGTERM'), 5000)
          const t2 = setTimeout(() => proc.kill('SIGKILL'), 8000)
          await gone
          clearTimeout(t)
          clearTimeout(t2)
        }
      })
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      if (!ready) reject(new Error(`server exited (${code}) before ready: ` + stderr.join('')))
    })
  })
}

// A mineflayer bot with pathfinder, collectblock and tool loaded; resolves after 'spawn'.
async function createBot (port, username, { plugins = true, timeoutMs = 20000 } = {}) {
  const bot = mineflayer.createBot({
    host: '127.0.0.1',
    port,
    username,
    version: '1.20.4',
    auth: 'offline',
    viewDistance: 'tiny',
    checkTimeoutInterval: 60000,
    hideErrors: false
  })
  bot.kicks = []
  bot.on('kicked', (reason) => bot.kicks.push(String(reason)))
  bot.messages = []
  bot.on('messagestr', (m) => bot.messages.push(m))
  bot.on('error', (err) => { bot.lastError = err })
  if (plugins) {
    const { pathfinder, Movements } = require('mineflayer-pathfinder')
    bot.loadPlugin(pathfinder)
    bot.loadPlugin(require('mineflayer-collectblock').plugin)
    bot.loadPlugin(require('mineflayer-tool').plugin)
    bot.once('spawn', () => {
      const movements = new Movements(bot)
      movements.canDig = true
      bot.pathfinder.setMovements(movements)
    })
  }
  await withTimeout(new Promise((resolve, reject) => {
    bot.once('spawn', resolve)
    bot.once('end', (reason) => reject(new Error('bot ended before spawn: ' + reason)))
    bot.once('kicked', (reason) => reject(new Error('kicked before spawn: ' + reason)))
  }), timeoutMs, `spawn of ${username}`)
  await bot.waitForChunksToLoad()
  return bot
}

// Sends a command and resolves with the first chat line matching `expect` (a RegExp).
async function command (bot, cmd, expect = null, timeoutMs = 5000) {
  const start = bot.messages.length
  bot.chat(cmd.startsWith('/') ? cmd : '/' + cmd)
  if (!expect) return null
  return waitFor(() => bot.messages.slice(start).find(m => expect.test(m)), timeoutMs, `reply to ${cmd} matching ${expect}`)
}

function count (bot, name) {
  return bot.inventory.items().filter(i => i.name === name).reduce((a, i) => a + i.count, 0)
}

function quit (bot) {
  return new Promise(resolve => {
    if (!bot || !bot._client || bot._client.ended) return resolve()
    bot.once('end', resolve)
    bot.quit()
    setTimeout(resolve, 2000)
  })
}

module.exports = { sleep, waitFor, withTimeout, startServerProcess, createBot, command, count, quit }

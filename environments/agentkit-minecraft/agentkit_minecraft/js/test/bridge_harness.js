'use strict'
// Helpers for bridge.test.js: start the test server and the bridge as child processes
// (stdin piped, ready line awaited), and talk to the bridge over HTTP.
// The server is server/server.js when it exists (our flying-squid with fixes), else the
// plain-flying-squid test/bridge_devserver.js (see BRIDGE_TEST_SERVER below).

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const readline = require('node:readline')

const JS_DIR = path.join(__dirname, '..')
const SERVER = path.join(JS_DIR, 'server', 'server.js')
const DEV_SERVER = path.join(__dirname, 'bridge_devserver.js')
const BRIDGE = path.join(JS_DIR, 'bridge', 'bridge.js')

// BRIDGE_TEST_SERVER: unset (server/server.js if present, else dev), 'dev', or the path of
// another script with server/server.js's command line.
function serverKind () {
  const env = process.env.BRIDGE_TEST_SERVER
  if (env === 'dev') return 'dev'
  if (env && env !== 'server') return 'server'
  return fs.existsSync(SERVER) ? 'server' : 'dev'
}

function serverScript () {
  const env = process.env.BRIDGE_TEST_SERVER
  if (serverKind() === 'dev') return DEV_SERVER
  return env && env !== 'server' ? path.resolve(env) : SERVER
}

// Starts `node script args`; resolves {proc, ready, stderr()} once the first stdout line
// (a JSON ready object) arrives.
function startNode (script, args, { timeoutMs = 30000, name = path.basename(script) } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script, ...args], { cwd: JS_DIR, stdio: ['pipe', 'pipe', 'pipe'] })
    let err = ''
    proc.stderr.on('data', (d) => { err += d; if (err.length > 200000) err = err.slice(-100000) })
    const rl = readline.createInterface({ input: proc.stdout })
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${name}: no ready line in ${timeoutMs} ms; stderr:\n${err}`)) }, timeoutMs)
    rl.once('line', (line) => {
      clearTimeout(timer)
      let ready
      try { ready = JSON.parse(line) } catch (e) { return reject(new Error(`${name}: first line is not JSON: ${line}`)) }
      rl.on('line', () => {}) // drain later lines
      resolve({ proc, ready, stderr: () => err })
    })
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}) before ready; stderr:\n${err}`)) })
  })
}

async function startServer () {
  const kind = serverKind()
  const script = serverScript()
  const args = kind === 'server' ? ['--port', '0', '--seed', '7', '--version', '1.20.4'] : ['--port', '0', '--version', '1.20.4']
  const s = await startNode(script, args, { timeoutMs: 60000 })
  s.kind = kind
  return s
}

function startBridge () {
  return startNode(BRIDGE, ['--port', '0', '--parent-pid', String(process.pid)])
}

// Closes stdin and waits for the exit (then SIGTERM, then SIGKILL).
function stop (child, ms = 5000) {
  if (!child || !child.proc) return Promise.resolve()
  const proc = child.proc
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const t1 = setTimeout(() => proc.kill('SIGTERM'), ms)
    const t2 = setTimeout(() => proc.kill('SIGKILL'), ms + 2000)
    proc.once('exit', () => { clearTimeout(t1); clearTimeout(t2); resolve() })
    proc.stdin.end()
  })
}

function request (port, method, urlPath, body, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body))
    const req = http.request({
      host: '127.0.0.1',
      port,
      method,
      path: urlPath,
      headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        try { resolve({ status: res.statusCode, body: JSON.parse(text) }) } catch (e) { reject(new Error(`not JSON (${res.statusCode}): ${text}`)) }
      })
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${urlPath}: no reply in ${timeoutMs} ms`)))
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
}

const post = (port, urlPath, body = {}, timeoutMs) => request(port, 'POST', urlPath, body, timeoutMs)

module.exports = { startServer, startBridge, startNode, stop, request, post, serverKind, JS_DIR }

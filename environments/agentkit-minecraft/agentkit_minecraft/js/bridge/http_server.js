'use strict'
// HTTP/1.1 JSON on 127.0.0.1: the endpoints of PROTOCOL.md. One request at a time (a
// second gets 409 busy; GET /health always answers). Every request has a time limit:
// `timeout_ms` in the body, or the endpoint's default; a guard answers even if a handler
// hangs. HTTP-level failures reply {ok: false, error: "..."} with a 4xx/5xx status.

const http = require('node:http')
const { checkProgram } = require('./check')

const MAX_BODY = 10 * 1024 * 1024
const MAX_TIMEOUT_MS = 60 * 60 * 1000
const GUARD_EXTRA_MS = 15000

class HttpError extends Error {
  constructor (status, message) {
    super(message)
    this.status = status
  }
}

function readJson (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    const timer = setTimeout(() => reject(new HttpError(408, 'timed out reading the request body')), 30000)
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY) {
        clearTimeout(timer)
        reject(new HttpError(413, `request body over ${MAX_BODY} bytes`))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8').trim()
      if (!text) return resolve({})
      try {
        const body = JSON.parse(text)
        if (!body || typeof body !== 'object' || Array.isArray(body)) return reject(new HttpError(400, 'the body must be a JSON object'))
        resolve(body)
      } catch (err) {
        reject(new HttpError(400, `invalid JSON: ${err.message}`))
      }
    })
    req.on('error', (err) => { clearTimeout(timer); reject(new HttpError(400, `request error: ${err.message}`)) })
  })
}

function timeoutOf (body, dflt) {
  const t = body.timeout_ms
  if (t === undefined || t === null) return dflt
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) throw new HttpError(400, 'timeout_ms must be a positive number')
  return Math.min(Math.round(t), MAX_TIMEOUT_MS)
}

function send (res, status, obj) {
  if (res.headersSent || res.destroyed) return
  let text
  try {
    text = JSON.stringify(obj)
  } catch (err) {
    status = 500
    text = JSON.stringify({ ok: false, error: `reply could not be encoded: ${err.message}` })
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function createHttpServer (session) {
  let busy = null

  const routes = {
    'POST /connect': { timeout: 30000, run: (body, t) => session.connect(body, t) },
    'POST /observe': {
      timeout: 10000,
      run: async () => {
        if (!session.connected) return { ok: false, error: 'not connected: call /connect first' }
        const observation = session.observation()
        return observation ? { ok: true, observation } : { ok: false, error: 'observation failed (see events)' }
      }
    },
    'POST /act': { timeout: 300000, run: (body, t, signal) => session.act(body, t, signal) },
    'POST /program': {
      timeout: 300000,
      run: (body, t, signal) => {
        if (typeof body.code !== 'string') throw new HttpError(400, 'code must be a string')
        return session.program(body, t, signal)
      }
    },
    'POST /check': {
      timeout: 10000,
      run: async (body) => {
        if (typeof body.code !== 'string') throw new HttpError(400, 'code must be a string')
        const problems = checkProgram(body.code, { skills: body.skills || {}, entry: body.entry || 'run' })
        return { ok: problems.length === 0, problems }
      }
    },
    'POST /disconnect': { timeout: 10000, run: () => session.disconnect() },
    'GET /health': { timeout: 5000, free: true, run: async () => ({ ok: true, connected: session.connected, busy }) }
  }
  const paths = new Set(Object.keys(routes).map((k) => k.split(' ')[1]))

  async function handle (req, res) {
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    const route = routes[`${req.method} ${path}`]
    if (!route) {
      req.resume()
      if (paths.has(path)) return send(res, 405, { ok: false, error: `${req.method} is not allowed on ${path}` })
      return send(res, 404, { ok: false, error: `no endpoint ${path}; endpoints: ${Object.keys(routes).join(', ')}` })
    }
    if (!route.free && busy) {
      req.resume()
      return send(res, 409, { ok: false, error: `busy: ${busy} is still running; one request at a time` })
    }
    if (!route.free) busy = path
    const aborted = new AbortController()
    res.on('close', () => { if (!res.writableFinished) aborted.abort() })
    let guard
    try {
      const body = req.method === 'GET' ? {} : await readJson(req)
      const timeoutMs = timeoutOf(body, route.timeout)
      const guardMs = timeoutMs + GUARD_EXTRA_MS
      const reply = await Promise.race([
        Promise.resolve().then(() => route.run(body, timeoutMs, aborted.signal)),
        new Promise((resolve, reject) => {
          guard = setTimeout(() => {
            session.abortCurrent(`${path} did not answer within ${guardMs} ms`)
            reject(new HttpError(504, `${path} did not answer within ${guardMs} ms`))
          }, guardMs)
        })
      ])
      send(res, 200, reply)
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { ok: false, error: err.message })
      else {
        process.stderr.write(`[bridge] internal error on ${path}: ${err && err.stack}\n`)
        send(res, 500, { ok: false, error: `internal error: ${err && err.message ? err.message : err}` })
      }
    } finally {
      clearTimeout(guard)
      if (!route.free) busy = null
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { ok: false, error: `internal error: ${err.message}` }))
  })
  server.requestTimeout = 0 // long programs: readJson has its own limit for the body
  server.headersTimeout = 30000
  server.keepAliveTimeout = 5000
  return server
}

module.exports = { createHttpServer }

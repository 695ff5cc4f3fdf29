'use strict'
// The Minecraft bridge: one mineflayer bot driven over HTTP/JSON (PROTOCOL.md).
//   node bridge/bridge.js --port 0 [--parent-pid PID]
// First stdout line: {"event":"ready","port":N}. Exits when stdin reaches EOF, when the
// parent pid is gone, or on SIGTERM/SIGINT. Logs go to stderr; stdout carries JSON only.

const util = require('node:util')
const { createHttpServer } = require('./http_server')
const { Session } = require('./session')

// Libraries log with console.*: keep stdout for our JSON lines.
const writeOut = process.stdout.write.bind(process.stdout)
const toStderr = (...args) => { try { process.stderr.write(util.format(...args) + '\n') } catch (e) { /* closed */ } }
console.log = console.info = console.warn = console.error = console.debug = toStderr
process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest)
process.stdout.on('error', () => {})
process.stderr.on('error', () => {})

function parseArgs (argv) {
  const out = { port: 0, parentPid: null }
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--port') out.port = Number(next())
    else if (a === '--parent-pid') out.parentPid = Number(next())
    else if (a === '--help' || a === '-h') {
      process.stderr.write('usage: node bridge/bridge.js --port 0 [--parent-pid PID]\n')
      process.exit(0)
    } else throw new Error(`unknown argument ${a}`)
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535')
  if (out.parentPid !== null && !(Number.isInteger(out.parentPid) && out.parentPid > 0)) throw new Error('--parent-pid must be a pid')
  return out
}

function main () {
  let args
  try {
    args = parseArgs(process.argv)
  } catch (err) {
    process.stderr.write(`[bridge] ${err.message}\n`)
    process.exit(2)
  }
  const session = new Session()
  const server = createHttpServer(session)

  let stopping = false
  const shutdown = (why) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`[bridge] exiting: ${why}\n`)
    try { session.shutdown() } catch (e) { /* ignore */ }
    try { server.close() } catch (e) { /* ignore */ }
    try { server.closeAllConnections() } catch (e) { /* ignore */ }
    setTimeout(() => process.exit(0), 200).unref()
  }

  process.on('uncaughtException', (err) => {
    process.stderr.write(`[bridge] uncaught: ${err && err.stack}\n`)
    session.events.add('error', `internal error: ${err && err.message ? err.message : err}`)
  })
  process.on('unhandledRejection', (err) => {
    if (err && err.name === 'CancelledError') return // leftovers of a stopped run
    process.stderr.write(`[bridge] unhandled rejection: ${err && err.stack ? err.stack : err}\n`)
    session.events.add('error', `unhandled error: ${err && err.message ? err.message : err}`)
  })
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  process.stdin.on('end', () => shutdown('stdin closed'))
  process.stdin.on('close', () => shutdown('stdin closed'))
  process.stdin.on('error', () => shutdown('stdin error'))
  process.stdin.on('data', () => {}) // input is ignored; only its end matters
  process.stdin.resume()

  if (args.parentPid) {
    setInterval(() => {
      try {
        process.kill(args.parentPid, 0)
      } catch (err) {
        if (err.code !== 'EPERM') shutdown(`parent ${args.parentPid} is gone`)
      }
    }, 1000).unref()
  }

  server.on('error', (err) => {
    process.stderr.write(`[bridge] server error: ${err.message}\n`)
    process.exit(1)
  })
  server.listen(args.port, '127.0.0.1', () => {
    const port = server.address().port
    writeOut(JSON.stringify({ event: 'ready', port }) + '\n')
  })
}

main()

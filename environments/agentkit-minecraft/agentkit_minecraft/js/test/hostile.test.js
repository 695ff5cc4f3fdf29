'use strict'
// The hostile JavaScript corpus (tests/hostile/javascript at the repository root): every
// program runs through the bridge's program runner against a bot without a server, and
// must be stopped for its stated reason within its stated time, with no escape: the secret
// (in a file and in this process's environment) never reaches its result or feedback,
// nothing is written outside, the listening port sees no connection, this process's
// prototypes stay clean, the error message stays short. Run as root and as an unprivileged user by the Python test.

const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { fakeBot } = require('./fake_bot')
const { RunContext } = require('../bridge/run_context')
const { runProgram, describeError } = require('../bridge/program_runner')

const CORPUS = path.resolve(__dirname, '../../../../../tests/hostile/javascript')
const SECRET_ENV = 'AGENTKIT_HOSTILE_SECRET'
const TIMEOUT_MS = 2000
const FEEDBACK_CAP = 25000
const ERROR_CAP = 4200 // the step reply's error message (2000 characters, clipped, and a note)

function load () {
  return fs.readdirSync(CORPUS).filter((f) => f.endsWith('.js')).sort().map((file) => {
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8')
    const head = {}
    for (const line of text.split('\n')) {
      const m = /^\/\/\s*(\w+):\s*(.*)$/.exec(line)
      if (!m) break
      head[m[1]] = m[2].trim()
    }
    for (const key of ['attempts', 'expect', 'limit_s']) assert.ok(head[key], `${file}: header lacks ${key}`)
    // timeout_s (optional): the step's deadline, for bombs that must hit another limit first
    const timeoutMs = head.timeout_s ? Number(head.timeout_s) * 1000 : TIMEOUT_MS
    return { name: file.replace(/\.js$/, ''), text, expect: new RegExp(head.expect), limitS: Number(head.limit_s), timeoutMs }
  })
}

// Runs one program the way Session.step does: a deadline that cancels, then the reply.
async function runOne (code, timeoutMs) {
  const ctx = new RunContext({})
  ctx.deadline = Date.now() + timeoutMs
  ctx.timeoutMessage = `/program timed out after ${timeoutMs} ms`
  const timer = setTimeout(() => ctx.cancel(ctx.timeoutMessage), timeoutMs)
  const started = Date.now()
  let result = null
  let error = null
  try {
    result = await Promise.race([runProgram(ctx, fakeBot(), { code }), ctx.cancelPromise])
  } catch (err) {
    error = describeError(ctx.cancelled || err).message
  } finally {
    clearTimeout(timer)
    ctx.cancel('the step is over')
  }
  return { ok: error === null, result, error: error || '', feedback: ctx.feedback().join('\n'), seconds: (Date.now() - started) / 1000 }
}

const cases = load()

test('the corpus has at least 40 programs', () => {
  assert.ok(cases.length >= 40, `${cases.length} programs`)
  process.stdout.write(`running as uid ${process.getuid()}\n`)
})

for (const c of cases) {
  test(`hostile ${c.name}`, async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'agentkit-hostile-js-'))
    const outside = path.join(scratch, 'outside')
    fs.mkdirSync(outside)
    const secret = crypto.randomBytes(16).toString('hex')
    const canary = path.join(scratch, 'canary.txt')
    fs.writeFileSync(canary, secret)
    process.env[SECRET_ENV] = secret
    let connections = 0
    const server = net.createServer((s) => { connections++; s.destroy() })
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    const code = c.text.replaceAll('{CANARY}', canary).replaceAll('{OUTSIDE}', outside)
      .replaceAll('{PORT}', String(server.address().port)).replaceAll('{SECRET_ENV}', SECRET_ENV)
    try {
      const r = await runOne(code, c.timeoutMs)
      await new Promise((resolve) => setTimeout(resolve, 50))
      const seen = JSON.stringify([r.result, r.error, r.feedback])
      assert.ok(!seen.includes(secret), 'the secret reached the result')
      assert.deepEqual(fs.readdirSync(outside), [], 'wrote outside')
      assert.equal(connections, 0, 'connected to the listening port')
      assert.equal(({}).polluted, undefined, "polluted this process's Object.prototype")
      assert.equal([].polluted, undefined, "polluted this process's Array.prototype")
      assert.ok(r.feedback.length < FEEDBACK_CAP, `feedback of ${r.feedback.length} characters`)
      assert.ok(r.error.length < ERROR_CAP, `an error message of ${r.error.length} characters`)
      assert.equal(r.ok, false, `ran to the end: ${JSON.stringify(r.result)}`)
      assert.match(r.error, c.expect)
      assert.ok(r.seconds <= c.limitS, `stopped after ${r.seconds} s, over ${c.limitS} s`)
    } finally {
      server.close()
      delete process.env[SECRET_ENV]
      fs.rmSync(scratch, { recursive: true, force: true })
    }
  })
}

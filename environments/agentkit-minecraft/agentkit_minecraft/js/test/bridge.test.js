'use strict'
// Bridge tests (node:test). Run from js/: node --test test/bridge.test.js
// Starts the test server (server/server.js if present, else the plain-flying-squid
// test/bridge_devserver.js) and the bridge as child processes and drives the bridge over
// HTTP. Tests that need the fixed server (item pickup, crafting, placing) are skipped on
// the dev server; BRIDGE_TEST_SERVER=dev forces it.

const test = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const h = require('./bridge_harness')

const OBS_KEYS = ['position', 'health', 'food', 'biome', 'time_of_day', 'is_day', 'dead', 'inventory',
  'equipment', 'nearby_blocks', 'nearby_entities', 'chests', 'craftable']
const STEP_KEYS = ['ok', 'feedback', 'events', 'observation', 'error']

let server = null
let bridge = null
let port = null
const fixed = h.serverKind() === 'server' // the fixed server: pickups, crafting, windows work
const needsServer = () => (fixed ? false : 'needs server/server.js (plain flying-squid cannot pick up, craft or place)')

const act = (name, args = [], timeoutMs = 60000) => h.post(port, '/act', { name, args, timeout_ms: timeoutMs }, timeoutMs + 20000)
const program = (code, extra = {}) => h.post(port, '/program', { code, timeout_ms: 60000, ...extra }, 90000)
const count = (obs, name) => (obs && obs.inventory && obs.inventory[name]) || 0

test.before(async () => {
  server = await h.startServer()
  bridge = await h.startBridge()
  port = bridge.ready.port
})

test.after(async () => {
  await h.stop(bridge)
  await h.stop(server)
})

test('ready line, health, and errors before /connect', async () => {
  assert.equal(bridge.ready.event, 'ready')
  assert.ok(Number.isInteger(port) && port > 0)
  const health = await h.request(port, 'GET', '/health')
  assert.equal(health.status, 200)
  assert.deepEqual([health.body.ok, health.body.connected], [true, false])
  const obs = await h.post(port, '/observe')
  assert.equal(obs.body.ok, false)
  assert.match(obs.body.error, /not connected/)
  const a = await act('chat', ['hi'])
  assert.equal(a.body.ok, false)
  assert.match(a.body.error.message, /not connected/)
  const missing = await h.post(port, '/nope')
  assert.equal(missing.status, 404)
  const bad = await h.request(port, 'POST', '/act', undefined)
  assert.equal(bad.body.ok, false)
})

test('/connect returns an observation with every field', async () => {
  const r = await h.post(port, '/connect', { host: '127.0.0.1', port: server.ready.port, username: 'bot', version: '1.20.4', timeout_ms: 30000 }, 40000)
  assert.equal(r.body.ok, true, JSON.stringify(r.body))
  const obs = r.body.observation
  assert.deepEqual(Object.keys(obs).sort(), [...OBS_KEYS].sort())
  for (const k of ['x', 'y', 'z']) assert.equal(typeof obs.position[k], 'number')
  assert.equal(obs.health, 20)
  assert.equal(obs.dead, false)
  assert.deepEqual(Object.keys(obs.equipment).sort(), ['chest', 'feet', 'hand', 'head', 'legs', 'off_hand'])
  assert.ok(Array.isArray(obs.nearby_blocks) && obs.nearby_blocks.length > 0)
  assert.ok(!obs.nearby_blocks.includes('air'))
  assert.equal(typeof obs.nearby_entities, 'object')
  const health = await h.request(port, 'GET', '/health')
  assert.equal(health.body.connected, true)
})

test('/act chat: step reply with the chat event', async () => {
  const r = await act('chat', ['hello from the bridge test'])
  assert.equal(r.status, 200)
  for (const k of STEP_KEYS) assert.ok(k in r.body, k)
  assert.equal(r.body.ok, true, JSON.stringify(r.body))
  assert.equal(r.body.error, null)
  assert.ok(r.body.events.some((e) => e.type === 'chat' && e.message.includes('hello from the bridge test')), JSON.stringify(r.body.events))
  const unknown = await act('flyToTheMoon', [])
  assert.equal(unknown.body.ok, false)
  assert.match(unknown.body.error.message, /unknown primitive/)
})

test('/act mineBlock oak_log collects a log', { skip: needsServer() }, async () => {
  const before = count((await h.post(port, '/observe')).body.observation, 'oak_log')
  let r = await act('mineBlock', ['oak_log', 1], 90000)
  if (!r.body.ok && /try exploreUntil/.test(r.body.feedback)) {
    await act('exploreUntil', ['oak_log', 60], 90000)
    r = await act('mineBlock', ['oak_log', 1], 90000)
  }
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(count(r.body.observation, 'oak_log') >= before + 1, JSON.stringify(r.body.observation.inventory))
  assert.match(r.body.feedback, /Mined 1 oak_log/)
})

test('mineBlock without anything to mine explains itself', async () => {
  const r = await act('mineBlock', ['diamond_ore', 1])
  assert.equal(r.body.ok, false)
  assert.match(r.body.feedback, /diamond_ore/)
  const bad = await act('mineBlock', ['diamond', 1])
  assert.equal(bad.body.ok, false)
  assert.match(bad.body.error.message, /No block named diamond.*diamond_ore/)
})

test('craftItem planks, sticks, crafting_table, placeItem, wooden_pickaxe; missing ingredients', { skip: needsServer() }, async () => {
  await act('chat', ['/give bot oak_log 3'])
  let r = await act('craftItem', ['oak_planks', 3])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(count(r.body.observation, 'oak_planks') >= 12, r.body.feedback)
  r = await act('craftItem', ['stick', 1])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(count(r.body.observation, 'stick') >= 4)
  r = await act('craftItem', ['wooden_pickaxe', 1])
  assert.equal(r.body.ok, false)
  assert.match(r.body.feedback, /no crafting table within 32 blocks; place one first/)
  r = await act('craftItem', ['crafting_table', 1])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.equal(count(r.body.observation, 'crafting_table'), 1)
  r = await act('placeItem', ['crafting_table'])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(r.body.observation.nearby_blocks.includes('crafting_table'))
  assert.equal(count(r.body.observation, 'crafting_table'), 0)
  r = await act('craftItem', ['wooden_pickaxe', 1])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.equal(count(r.body.observation, 'wooden_pickaxe'), 1)
  r = await act('craftItem', ['stone_pickaxe', 1])
  assert.equal(r.body.ok, false)
  assert.match(r.body.feedback, /I cannot make stone_pickaxe because I need: 3 more cobblestone/)
  assert.match(r.body.error.message, /I cannot make stone_pickaxe/)
})

test('smeltItem places a furnace and smelts; chests remember what they hold', { skip: needsServer() }, async () => {
  for (const give of ['raw_iron 1', 'coal 1', 'furnace 1', 'chest 1']) await act('chat', [`/give bot ${give}`])
  let r = await act('smeltItem', ['raw_iron', 'coal', 1], 60000)
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.match(r.body.feedback, /Placed furnace[\s\S]*Smelted 1 raw_iron into iron_ingot/)
  const ingots = count(r.body.observation, 'iron_ingot')
  assert.ok(ingots >= 1)
  r = await act('depositItemIntoChest', [{ iron_ingot: 1 }])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.equal(count(r.body.observation, 'iron_ingot'), ingots - 1)
  const chests = Object.values(r.body.observation.chests)
  assert.ok(chests.some((c) => typeof c === 'object' && c.iron_ingot === 1), JSON.stringify(r.body.observation.chests))
  r = await act('getItemFromChest', [{ iron_ingot: 1, diamond: 1 }])
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /I don't see diamond in this chest/)
  assert.equal(count(r.body.observation, 'iron_ingot'), ingots)
})

test('killMob fights a summoned pig and collects the drop', { skip: needsServer() }, async () => {
  // the world has pigs of its own (the animals plugin): count them all, the bot sees far
  const pigs = async () => (await program('async function run(bot) {\n  return Object.values(bot.entities).filter((e) => e.name === "pig").length\n}')).body.result
  const before = await pigs()
  await act('chat', ['/summon pig ~3 ~ ~'])
  const seen = await h.post(port, '/observe')
  assert.ok('pig' in seen.body.observation.nearby_entities, JSON.stringify(seen.body.observation.nearby_entities))
  assert.equal(await pigs(), before + 1)
  const r = await act('killMob', ['pig', 30], 45000)
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.match(r.body.feedback, /Killed pig!/)
  let left = await pigs()
  for (let i = 0; i < 30 && left > before; i++) { await new Promise((resolve) => setTimeout(resolve, 100)); left = await pigs() }
  assert.equal(left, before)
})

test('mineBlock stone digs what it sees: one cobblestone per stone, no pit under the bot', { skip: needsServer() }, async () => {
  // A scene of its own: where killMob left the bot depends on where the pig ran, and with no
  // stone in sight mineBlock digs its way down to buried stone (in CI: 4 blocks straight
  // down, to stand beside one), which is allowed and fails this check. Here the bot
  // stands on dirt in a cleared box with a wall of 6 stone 2 blocks away.
  const here = (await h.post(port, '/observe')).body.observation.position
  const [x, y, z] = [Math.floor(here.x), Math.floor(here.y), Math.floor(here.z)]
  await act('chat', [`/fill ${x - 3} ${y} ${z - 3} ${x + 3} ${y + 3} ${z + 3} air`])
  await act('chat', [`/fill ${x - 3} ${y - 3} ${z - 3} ${x + 3} ${y - 1} ${z + 3} dirt`])
  await act('chat', [`/fill ${x + 2} ${y} ${z - 1} ${x + 2} ${y + 1} ${z + 1} stone`])
  await act('chat', [`/tp ${x} ${y} ${z}`])
  let start = (await h.post(port, '/observe')).body.observation
  for (let i = 0; i < 50 && Math.abs(start.position.y - y) >= 0.01; i++) { // lands on the dirt
    await new Promise((resolve) => setTimeout(resolve, 100))
    start = (await h.post(port, '/observe')).body.observation
  }
  assert.ok(count(start, 'wooden_pickaxe') >= 1, JSON.stringify(start.inventory))
  assert.ok(Math.abs(start.position.y - y) < 0.01, JSON.stringify([here, start.position]))
  const r = await act('mineBlock', ['stone', 3], 90000)
  assert.equal(r.body.ok, true, r.body.feedback)
  // 3 stone give 3 cobblestone (a block of stone dug on the way would give one more; 6 would be
  // double drops); dirt or sand dug on the way come along
  const got = r.body.feedback.match(/Mined 3 stone; collected (?:\d+ [a-z_]+, )*(\d+) cobblestone/)
  assert.ok(got && Number(got[1]) >= 3 && Number(got[1]) <= 4, r.body.feedback)
  assert.ok(r.body.observation.position.y >= start.position.y - 0.01, JSON.stringify([start.position, r.body.observation.position]))
})

test('smeltItem counts the fuel: 2 raw_iron need 2 planks (1.5 items each)', { skip: needsServer() }, async () => {
  // a fresh furnace: the one of the test before still burns the rest of its coal
  const old = await program('async function run(bot) {\n  const f = bot.findBlock({ matching: mcData.blocksByName.furnace.id, maxDistance: 32 })\n  return f && f.position\n}')
  if (old.body.result) {
    const { x, y, z } = old.body.result
    await act('chat', [`/fill ${x} ${y} ${z} ${x} ${y} ${z} air`])
  }
  for (const give of ['furnace 1', 'raw_iron 2', 'oak_planks 2']) await act('chat', [`/give bot ${give}`])
  const before = (await h.post(port, '/observe')).body.observation
  const r = await act('smeltItem', ['raw_iron', 'oak_planks', 2], 60000)
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.match(r.body.feedback, /Smelted 2 raw_iron into iron_ingot/)
  assert.equal(count(r.body.observation, 'iron_ingot'), count(before, 'iron_ingot') + 2)
  assert.equal(count(r.body.observation, 'oak_planks'), count(before, 'oak_planks') - 2)
  assert.equal(count(r.body.observation, 'raw_iron'), count(before, 'raw_iron') - 2)
})

test('in a 1x1 hole placeItem puts the block under the bot, which then climbs out', { skip: needsServer() }, async () => {
  const p = (await h.post(port, '/observe')).body.observation.position
  const [x, y, z] = [Math.floor(p.x), Math.floor(p.y), Math.floor(p.z)]
  for (const [x1, z1, x2, z2] of [[x - 1, z - 1, x + 1, z - 1], [x - 1, z + 1, x + 1, z + 1], [x - 1, z, x - 1, z], [x + 1, z, x + 1, z]]) {
    await act('chat', [`/fill ${x1} ${y} ${z1} ${x2} ${y + 2} ${z2} stone`])
  }
  await act('chat', ['/fill ' + [x, y, z, x, y + 3, z].join(' ') + ' air'])
  for (const give of ['crafting_table 1', 'dirt 4']) await act('chat', [`/give bot ${give}`])
  let r = await act('placeItem', ['crafting_table'])
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.match(r.body.feedback, /Placed crafting_table at .* \(under me/)
  assert.ok(r.body.observation.position.y >= y + 1, JSON.stringify(r.body.observation.position))
  const climb = [
    'async function run(bot) {',
    `  await bot.pathfinder.goto(new GoalNear(${x + 4}, ${y}, ${z}, 1))`,
    '  return bot.blockAt(bot.entity.position.offset(0, -1, 0)).name',
    '}'
  ].join('\n')
  const t = Date.now()
  r = await h.post(port, '/program', { code: climb, timeout_ms: 30000 }, 45000)
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(Date.now() - t < 20000, `climbing out took ${Date.now() - t} ms`)
  const table = await program(`async function run(bot) { return bot.blockAt(new Vec3(${x}, ${y}, ${z})).name }`)
  assert.equal(table.body.result, 'crafting_table') // the pathfinder does not break tables
})

test('craftItem with nothing in the inventory lists what is missing', async () => {
  const r = await act('craftItem', ['diamond_sword', 1])
  assert.equal(r.body.ok, false)
  assert.match(r.body.feedback, /diamond/)
  const none = await act('craftItem', ['not_an_item', 1])
  assert.equal(none.body.ok, false)
  assert.match(none.body.error.message, /No item named not_an_item/)
})

test('/program runs a composed program with a skill, console and a result', async () => {
  const skills = {
    sayTimes: 'async function sayTimes(bot, word, n) {\n  for (let i = 0; i < n; i++) await chat(bot, `${word} ${i}`)\n  return n\n}'
  }
  const code = [
    'async function run(bot) {',
    '  const n = await sayTimes(bot, "tick", 2)',
    '  console.log("said", n, "lines at", bot.entity.position.floored().toString())',
    '  const v = new Vec3(1, 2, 3)',
    '  return { n, sum: v.x + v.y + v.z, goal: typeof GoalNear, mc: typeof mcData.itemsByName.oak_log }',
    '}'
  ].join('\n')
  const r = await program(code, { skills })
  assert.equal(r.body.ok, true, JSON.stringify(r.body))
  assert.match(r.body.feedback, /said 2 lines at/)
  assert.deepEqual(r.body.result, { n: 2, sum: 6, goal: 'function', mc: 'object' })
  assert.ok(r.body.events.some((e) => e.message.includes('tick 1')))
})

test('/program composing primitives gathers and crafts', { skip: needsServer() }, async () => {
  const code = [
    'async function run(bot) {',
    '  await mineBlock(bot, "oak_log", 1)',
    '  await craftItem(bot, "oak_planks", 1)',
    '  return bot.inventory.items().filter((i) => i.name === "oak_planks").reduce((s, i) => s + i.count, 0)',
    '}'
  ].join('\n')
  const r = await program(code)
  assert.equal(r.body.ok, true, r.body.feedback)
  assert.ok(r.body.result >= 4)
  assert.match(r.body.feedback, /Mined 1 oak_log[\s\S]*I did the recipe for oak_planks 1 times/)
})

test('a program error reports its line; skill and primitive errors do not', async () => {
  let r = await program('async function run(bot) {\n  const a = 1\n  await chat(bot, "before")\n  const b = a.missing.field\n  return b\n}')
  assert.equal(r.body.ok, false)
  assert.equal(r.body.error.line, 4, JSON.stringify(r.body.error))
  assert.match(r.body.error.message, /TypeError/)
  assert.match(r.body.error.stack, /program\.js:4/)
  r = await program('async function run(bot) {\n\n  await helper(bot)\n}', { skills: { helper: 'async function helper(bot) {\n  throw new Error("inside the skill")\n}' } })
  assert.equal(r.body.ok, false)
  assert.equal(r.body.error.line, null)
  assert.match(r.body.error.message, /inside the skill/)
  assert.match(r.body.error.stack, /skills\/helper\.js:2/)
  r = await program('async function run(bot) {\n  await mineBlock(bot, 42)\n}')
  assert.equal(r.body.error.line, null)
  assert.match(r.body.error.message, /name for mineBlock must be a string/)
  r = await program('async function run(bot) {\n  let x = 1\n  x +== 2\n}')
  assert.equal(r.body.ok, false)
  assert.equal(r.body.error.line, 3)
  assert.match(r.body.error.message, /SyntaxError/)
  r = await program('async function run(bot) {\n  return false\n}')
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /returned false/)
  r = await program('function notRun() {}')
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /must define async function run/)
})

test('a program timeout is reported, stops the bot, and the bridge still works', async () => {
  let t = Date.now()
  let r = await h.post(port, '/program', { code: 'async function run(bot) {\n  while (true) {}\n}', timeout_ms: 1500 }, 30000)
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /timed out after 1500 ms/)
  assert.ok(Date.now() - t < 10000)
  t = Date.now()
  const walk = [
    'async function run(bot) {',
    '  const p = bot.entity.position',
    '  bot.pathfinder.setGoal(new GoalXZ(p.x + 200, p.z))',
    '  while (true) await bot.waitForTicks(2)',
    '}'
  ].join('\n')
  r = await h.post(port, '/program', { code: walk, timeout_ms: 1500 }, 30000)
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /timed out/)
  const h2 = await h.request(port, 'GET', '/health')
  assert.equal(h2.body.busy, null)
  const ok = await act('chat', ['still alive'])
  assert.equal(ok.body.ok, true, JSON.stringify(ok.body))
  const moving = await program('async function run(bot) { return bot.pathfinder.isMoving() || Boolean(bot.pathfinder.goal) }')
  assert.equal(moving.body.result, false)
  r = await h.post(port, '/act', { name: 'exploreUntil', args: ['diamond_ore', 60], timeout_ms: 1000 }, 30000)
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /timed out after 1000 ms/)
})

test('one request at a time: a second one gets 409', async () => {
  const slow = program('async function run(bot) {\n  await new Promise((resolve) => setTimeout(resolve, 1500))\n  return 1\n}')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const second = await h.post(port, '/observe')
  assert.equal(second.status, 409)
  assert.match(second.body.error, /busy/)
  const health = await h.request(port, 'GET', '/health')
  assert.equal(health.body.busy, '/program')
  const r = await slow
  assert.equal(r.body.ok, true)
  assert.equal(r.body.result, 1)
})

test('/check finds syntax errors with their line and unknown functions', async () => {
  let r = await h.post(port, '/check', { code: 'async function run(bot) {\n  await mineBlock(bot, "oak_log", 1)\n  if (x {\n}' })
  assert.equal(r.body.ok, false)
  assert.equal(r.body.problems.length, 1)
  assert.match(r.body.problems[0], /^line 3: SyntaxError/)
  r = await h.post(port, '/check', { code: 'async function run(bot) {\n  await mineBlock(bot, "oak_log", 1)\n  await mineWoodLog(bot)\n  await craftPlanks(bot)\n}', skills: { craftPlanks: 'async function craftPlanks(bot) {}' } })
  assert.equal(r.body.ok, false)
  assert.deepEqual(r.body.problems.length, 1, JSON.stringify(r.body.problems))
  assert.match(r.body.problems[0], /^line 3: mineWoodLog is not defined/)
  const good = [
    'async function run(bot) {',
    '  const helper = (n) => n * 2',
    '  const found = bot.findBlock({ matching: mcData.blocksByName.oak_log.id, maxDistance: 32 })',
    '  if (found) await bot.pathfinder.goto(new GoalNear(found.position.x, found.position.y, found.position.z, 2))',
    '  await exploreUntil(bot, new Vec3(1, 0, 1), 60, () => bot.findBlock({ matching: 1 }))',
    '  console.log(JSON.stringify({ a: helper(2), b: Math.max(1, 2), c: parseInt("3") }))',
    '  await Promise.all([1, 2].map(async (i) => chat(bot, `${i}`)))',
    '}'
  ].join('\n')
  r = await h.post(port, '/check', { code: good })
  assert.deepEqual(r.body, { ok: true, problems: [] })
  r = await h.post(port, '/check', { code: 'async function main(bot) {}' })
  assert.match(r.body.problems.join('\n'), /must define async function run/)
})

test('isolate: no require, process, module or import in a program; eval reaches nothing', async () => {
  const r = await program([
    'async function run(bot) {',
    '  let imported = "no"',
    '  try { await import("fs"); imported = "yes" } catch (e) { imported = "refused" }',
    '  let evaluated = "no"',
    '  try { evaluated = eval("typeof process + typeof require") } catch (e) { evaluated = "refused" }',
    '  return [typeof require, typeof process, typeof module, typeof globalThis.process, typeof Buffer, imported, evaluated]',
    '}'
  ].join('\n'))
  assert.equal(r.body.ok, true, JSON.stringify(r.body))
  assert.deepEqual(r.body.result, ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'refused', 'undefinedundefined'])
  assert.ok(r.body.sandbox.layers.includes('v8_isolate'), JSON.stringify(r.body.sandbox))
  const p = await program('async function run(bot) {\n  return process.pid\n}')
  assert.equal(p.body.ok, false)
  assert.equal(p.body.error.line, 2)
  assert.match(p.body.error.message, /process is not defined/)
})

test('closing the bridge stdin (or losing its parent) makes it exit', async () => {
  const other = await h.startBridge()
  const exited = new Promise((resolve) => other.proc.once('exit', (code) => resolve(code)))
  const t = Date.now()
  other.proc.stdin.end()
  assert.equal(await exited, 0)
  assert.ok(Date.now() - t < 5000)

  const parent = spawn('sleep', ['1'])
  const orphan = await h.startNode(require('node:path').join(h.JS_DIR, 'bridge', 'bridge.js'), ['--port', '0', '--parent-pid', String(parent.pid)])
  const orphanExit = new Promise((resolve) => orphan.proc.once('exit', (code) => resolve(code)))
  const code = await Promise.race([orphanExit, new Promise((resolve) => setTimeout(() => resolve('still running'), 8000))])
  if (code === 'still running') orphan.proc.kill('SIGKILL')
  assert.equal(code, 0)
})

test('a server that goes away becomes a kicked event and /act fails cleanly', async () => {
  const running = program('async function run(bot) {\n  await bot.waitForTicks(100000)\n}')
  await new Promise((resolve) => setTimeout(resolve, 300))
  await h.stop(server)
  const cut = await running
  assert.equal(cut.body.ok, false)
  assert.match(cut.body.error.message, /disconnected/)
  assert.equal(cut.body.observation, null)
  const r = await act('chat', ['anyone there?'])
  assert.equal(r.body.ok, false)
  assert.match(r.body.error.message, /not connected/)
  const events = cut.body.events.concat(r.body.events)
  assert.ok(events.some((e) => e.type === 'kicked'), JSON.stringify(events))
  const health = await h.request(port, 'GET', '/health')
  assert.deepEqual([health.body.ok, health.body.connected], [true, false])
  const d = await h.post(port, '/disconnect')
  assert.equal(d.body.ok, true)
})

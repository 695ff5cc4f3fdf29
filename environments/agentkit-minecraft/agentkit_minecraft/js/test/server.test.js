'use strict'
// Tests of the test server (server/server.js) with plain mineflayer bots.
// Run from js/: node --test test/server.test.js   (about a minute on 2 cores)

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('child_process')
const { Vec3 } = require('vec3')
const h = require('./server_helpers')

const timings = {}
function timed (name, ms) {
  timings[name] = ms
  return ms
}

after(() => {
  console.log('timings (ms): ' + JSON.stringify(timings))
})

describe('process contract', () => {
  it('prints one JSON ready line with the real port and exits on stdin EOF', { timeout: 30000 }, async () => {
    const srv = await h.startServerProcess({ seed: 11 })
    try {
      assert.equal(srv.lines[0], JSON.stringify(srv.ready))
      assert.deepEqual(Object.keys(srv.ready).sort(), ['event', 'port', 'seed', 'version'])
      assert.equal(srv.ready.event, 'ready')
      assert.equal(srv.ready.version, '1.20.4')
      assert.equal(srv.ready.seed, 11)
      assert.ok(Number.isInteger(srv.port) && srv.port > 0)
      // something listens on that port
      const net = require('net')
      await new Promise((resolve, reject) => {
        const s = net.connect(srv.port, '127.0.0.1', () => { s.end(); resolve() })
        s.on('error', reject)
      })
      const t0 = Date.now()
      srv.proc.stdin.end()
      const { code } = await h.withTimeout(srv.exited, 6000, 'exit after stdin EOF')
      timed('exit_after_stdin_eof', Date.now() - t0)
      assert.equal(code, 0)
      assert.equal(srv.lines.length, 1, 'stdout carries only the ready line: ' + srv.lines.join('|'))
    } finally {
      if (srv.proc.exitCode === null) srv.proc.kill('SIGKILL')
    }
  })

  it('exits when --parent-pid disappears', { timeout: 30000 }, async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' })
    const srv = await h.startServerProcess({ seed: 12, extraArgs: ['--parent-pid', String(parent.pid)] })
    try {
      await h.sleep(1200)
      assert.equal(srv.proc.exitCode, null, 'still running while the parent lives')
      const t0 = Date.now()
      parent.kill('SIGKILL')
      await h.withTimeout(srv.exited, 6000, 'exit after parent death')
      timed('exit_after_parent_death', Date.now() - t0)
    } finally {
      parent.kill('SIGKILL')
      if (srv.proc.exitCode === null) srv.proc.kill('SIGKILL')
    }
  })
})

describe('in-process server (startServer)', () => {
  it('starts on a free port, lets a bot eat when hungry, and closes', { timeout: 40000 }, async () => {
    const { startServer } = require('../server/server')
    const server = await startServer({ port: 0, seed: 5, quiet: true })
    let bot
    try {
      assert.ok(server.port > 0)
      bot = await h.createBot(server.port, 'eater', { plugins: false })
      const player = server.serv.getPlayer('eater')
      assert.ok(player, 'server knows the player')
      player.updateFood(10)
      await h.waitFor(() => bot.food === 10, 3000, 'food 10')
      await h.command(bot, 'give eater cooked_porkchop 2', /Gave/)
      await h.waitFor(() => h.count(bot, 'cooked_porkchop') === 2, 3000, 'porkchops')
      await bot.equip(bot.inventory.items().find(i => i.name === 'cooked_porkchop'), 'hand')
      const t0 = Date.now()
      await h.withTimeout(bot.consume(), 5000, 'consume')
      timed('eat_porkchop', Date.now() - t0)
      await h.waitFor(() => bot.food === 18, 3000, 'food 18')
      assert.equal(h.count(bot, 'cooked_porkchop'), 1)
    } finally {
      await h.quit(bot)
      await server.close()
    }
    const net = require('net')
    await h.waitFor(() => new Promise(resolve => {
      const s = net.connect(server.port, '127.0.0.1', () => { s.destroy(); resolve(false) })
      s.on('error', () => resolve(true))
    }), 5000, 'port closed')
  })
})

describe('world generation', () => {
  const terrain = require('../server/lib/terrain')
  const registry = require('prismarine-registry')('1.20.4')

  function sample (seed) {
    const gen = terrain({ registry, seed })
    const out = []
    for (const [cx, cz] of [[0, 0], [-1, 2], [3, -2]]) {
      const chunk = gen(cx, cz)
      for (let i = 0; i < 200; i++) {
        const x = (i * 7) % 16
        const z = (i * 11) % 16
        const y = 40 + (i % 40)
        out.push(chunk.getBlockStateId(new Vec3(x, y, z)))
      }
    }
    return out
  }

  it('same seed gives the same blocks, another seed different ones', () => {
    const a = sample(7)
    const b = sample(7)
    const c = sample(8)
    assert.deepEqual(a, b)
    assert.notDeepEqual(a, c)
  })

  it('has trees near spawn and coal/iron within 14 blocks of the surface', () => {
    const gen = terrain({ registry, seed: 7 })
    const t = terrain.createTerrain(7)
    const sp = t.spawn()
    assert.equal(t.column(sp.x, sp.z).kind, 'grass')
    assert.ok(t.treesNear(sp.x, sp.z, 12).length >= 3, 'trees near spawn')
    const found = { oak_log: 0, birch_log: 0, coal_ore: 0, iron_ore: 0, stone: 0 }
    for (let cx = -1; cx <= 0; cx++) {
      for (let cz = -1; cz <= 0; cz++) {
        const chunk = gen(Math.floor(sp.x / 16) + cx, Math.floor(sp.z / 16) + cz)
        for (let x = 0; x < 16; x++) {
          for (let z = 0; z < 16; z++) {
            const h0 = t.column(Math.floor(sp.x / 16) * 16 + cx * 16 + x, Math.floor(sp.z / 16) * 16 + cz * 16 + z).h
            for (let y = h0 - 14; y <= h0 + 8; y++) {
              const name = chunk.getBlock(new Vec3(x, y, z)).name
              if (name in found) found[name]++
            }
          }
        }
      }
    }
    assert.ok(found.oak_log + found.birch_log > 10, 'logs: ' + JSON.stringify(found))
    assert.ok(found.coal_ore > 10, 'coal: ' + JSON.stringify(found))
    assert.ok(found.iron_ore > 5, 'iron: ' + JSON.stringify(found))
  })

  it('servers with the same seed serve the same blocks to a bot', { timeout: 60000 }, async () => {
    const read = async (seed) => {
      const srv = await h.startServerProcess({ seed })
      const bot = await h.createBot(srv.port, 'reader', { plugins: false })
      try {
        const p = bot.entity.position.floored()
        const blocks = []
        for (let dx = -12; dx <= 12; dx += 3) {
          for (let dz = -12; dz <= 12; dz += 3) {
            for (let dy = -6; dy <= 6; dy += 2) blocks.push(bot.blockAt(p.offset(dx, dy, dz))?.name ?? 'unloaded')
          }
        }
        return { spawn: p, blocks }
      } finally {
        await h.quit(bot)
        await srv.stop()
      }
    }
    const a = await read(7)
    const b = await read(7)
    const c = await read(8)
    assert.ok(!a.blocks.includes('unloaded'))
    assert.deepEqual(a.spawn, b.spawn)
    assert.deepEqual(a.blocks, b.blocks)
    const expected = terrain.createTerrain(7).spawn()
    assert.deepEqual([a.spawn.x, a.spawn.y, a.spawn.z], [expected.x, expected.y, expected.z])
    assert.ok(a.spawn.toString() !== c.spawn.toString() || JSON.stringify(a.blocks) !== JSON.stringify(c.blocks))
  })
})

describe('block drops and recipes (no server)', () => {
  const registry = require('prismarine-registry')('1.20.4')
  const { blockDrops } = require('../server/lib/drops')
  const { createMatcher } = require('../server/lib/recipes')
  const Item = require('prismarine-item')(registry)
  const tool = (name) => new Item(registry.itemsByName[name].id, 1)
  const drops = (block, held) => blockDrops(registry, registry.blocksByName[block], held ? tool(held) : null, () => 0.99)
    .map(d => d.name + ':' + d.count).join(',')

  it('follows vanilla drops and tool tiers', () => {
    assert.equal(drops('stone', null), '')
    assert.equal(drops('stone', 'wooden_pickaxe'), 'cobblestone:1')
    assert.equal(drops('iron_ore', 'wooden_pickaxe'), '')
    assert.equal(drops('iron_ore', 'stone_pickaxe'), 'raw_iron:1')
    assert.equal(drops('coal_ore', 'wooden_pickaxe'), 'coal:1')
    assert.equal(drops('oak_log', null), 'oak_log:1')
    assert.equal(drops('birch_log', null), 'birch_log:1')
    assert.equal(drops('grass_block', null), 'dirt:1')
    assert.equal(drops('crafting_table', null), 'crafting_table:1')
    assert.equal(drops('oak_leaves', null), '')
    assert.equal(blockDrops(registry, registry.blocksByName.oak_leaves, null, () => 0.01).map(d => d.name).join(','), 'oak_sapling,stick')
  })

  it('matches shaped recipes anywhere in the grid and mirrored', () => {
    const match = createMatcher(registry)
    const P = registry.itemsByName.oak_planks.id
    const S = registry.itemsByName.stick.id
    const C = registry.itemsByName.cobblestone.id
    const name = (r) => r && registry.items[r.id].name + ':' + r.count
    assert.equal(name(match([null, null, null, null, P, null, null, P, null], 3)), 'stick:4')
    assert.equal(name(match([registry.itemsByName.oak_log.id, null, null, null], 2)), 'oak_planks:4')
    assert.equal(name(match([C, C, C, null, S, null, null, S, null], 3)), 'stone_pickaxe:1')
    assert.equal(name(match([C, C, null, C, S, null, null, S, null], 3)), 'stone_axe:1')
    assert.equal(name(match([null, C, C, null, S, C, null, S, null], 3)), 'stone_axe:1')
    assert.equal(match([C, P, null, null], 2), null)
  })
})

describe('gameplay with unmodified mineflayer bots', { timeout: 240000 }, () => {
  let srv, alice, bob
  const id = (name) => alice.registry.itemsByName[name].id

  before(async () => {
    srv = await h.startServerProcess({ seed: 7 })
    alice = await h.createBot(srv.port, 'alice')
    bob = await h.createBot(srv.port, 'bob')
  })

  after(async () => {
    await h.quit(alice)
    await h.quit(bob)
    if (srv) await srv.stop()
  })

  async function place (bot, name, offset) {
    await bot.equip(bot.inventory.items().find(i => i.name === name), 'hand')
    const ref = bot.blockAt(bot.entity.position.plus(offset).floored().offset(0, -1, 0))
    await h.withTimeout(bot.placeBlock(ref, new Vec3(0, 1, 0)), 8000, 'place ' + name)
    const block = bot.blockAt(ref.position.offset(0, 1, 0))
    assert.equal(block.name, name)
    return block
  }

  async function craft (bot, name, count = 1, table = null) {
    const recipe = bot.recipesFor(id(name), null, 1, table)[0]
    assert.ok(recipe, 'a recipe for ' + name)
    const before = h.count(bot, name)
    const t0 = Date.now()
    await h.withTimeout(bot.craft(recipe, count, table), 10000, 'craft ' + name)
    timed('craft_' + name, Date.now() - t0)
    assert.equal(h.count(bot, name), before + recipe.result.count * count)
  }

  it('players spawn in survival on grass next to trees', () => {
    assert.equal(alice.game.gameMode, 'survival')
    assert.equal(alice.blockAt(alice.entity.position.offset(0, -1, 0)).name, 'grass_block')
    assert.ok(alice.findBlock({ matching: b => b.name.endsWith('_log'), maxDistance: 8 }), 'a log within 8 blocks')
  })

  it('/give stores a numeric count and pickup does not overflow or kick', { timeout: 30000 }, async () => {
    await h.command(alice, 'give alice dirt 5', /Gave 5 \[Dirt\] to alice/)
    await h.waitFor(() => h.count(alice, 'dirt') === 5, 3000, '5 dirt')
    await h.command(alice, 'give alice dirt 70', /Gave 70/)
    await h.waitFor(() => h.count(alice, 'dirt') === 75, 3000, '75 dirt')
    const stacks = alice.inventory.items().filter(i => i.name === 'dirt').map(i => i.count).sort((a, b) => b - a)
    assert.deepEqual(stacks, [64, 11])
    // throw one, walk onto it, pick it up again
    const spawned = new Promise(resolve => alice.once('itemDrop', resolve))
    await alice.toss(id('dirt'), null, 1)
    const item = await h.withTimeout(spawned, 3000, 'itemDrop event')
    assert.equal(item.getDroppedItem().name, 'dirt')
    assert.equal(h.count(alice, 'dirt'), 74)
    await h.sleep(2100) // vanilla pickup delay of thrown items
    const { goals } = require('mineflayer-pathfinder')
    await h.withTimeout(alice.pathfinder.goto(new goals.GoalNear(item.position.x, item.position.y, item.position.z, 0)), 10000, 'walk to item').catch(() => {})
    await h.waitFor(() => h.count(alice, 'dirt') === 75, 5000, 'dirt picked up')
    assert.deepEqual(alice.kicks, [])
    await h.command(alice, 'clear alice dirt', /Removed 75/)
  })

  it('mines an oak log by hand and collects it', { timeout: 60000 }, async () => {
    const log = alice.findBlock({ matching: alice.registry.blocksByName.oak_log.id, maxDistance: 32 })
    assert.ok(log, 'an oak log nearby')
    assert.equal(alice.heldItem, null)
    const t0 = Date.now()
    await h.withTimeout(alice.collectBlock.collect(log), 45000, 'collect oak_log')
    timed('mine_oak_log_by_hand', Date.now() - t0)
    assert.ok(h.count(alice, 'oak_log') >= 1)
  })

  it('crafts planks and sticks (2x2), a crafting table, places it and crafts a wooden pickaxe at it', { timeout: 60000 }, async () => {
    await h.command(alice, 'give alice oak_log 2', /Gave/)
    await h.waitFor(() => h.count(alice, 'oak_log') >= 3, 3000, 'logs')
    await craft(alice, 'oak_planks', 3)
    await craft(alice, 'stick', 1)
    await craft(alice, 'crafting_table', 1)
    const table = await place(alice, 'crafting_table', new Vec3(2, 0, 0))
    assert.equal(h.count(alice, 'crafting_table'), 0)
    await craft(alice, 'wooden_pickaxe', 1, table)
    assert.equal(h.count(alice, 'stick'), 2)
  })

  it('mines stone with the wooden pickaxe into cobblestone and crafts a stone pickaxe', { timeout: 90000 }, async () => {
    const stones = alice.findBlocks({ matching: alice.registry.blocksByName.stone.id, maxDistance: 24, count: 4000 })
      .map(p => alice.blockAt(p))
      .filter(b => alice.blockAt(b.position.offset(0, 1, 0)).name === 'air')
      .sort((a, b) => a.position.distanceTo(alice.entity.position) - b.position.distanceTo(alice.entity.position))
    assert.ok(stones.length > 0, 'exposed stone near spawn')
    const t0 = Date.now()
    await h.withTimeout(alice.collectBlock.collect(stones[0]), 60000, 'collect stone')
    timed('mine_stone_wooden_pickaxe', Date.now() - t0)
    assert.ok(h.count(alice, 'cobblestone') >= 1, 'cobblestone from stone')
    assert.equal(h.count(alice, 'stone'), 0)
    await h.command(alice, 'give alice cobblestone 2', /Gave/)
    await h.waitFor(() => h.count(alice, 'cobblestone') >= 3, 3000, 'cobblestone')
    const table = alice.findBlock({ matching: alice.registry.blocksByName.crafting_table.id, maxDistance: 32 })
    assert.ok(table)
    await h.withTimeout(alice.pathfinder.goto(new (require('mineflayer-pathfinder').goals.GoalNear)(table.position.x, table.position.y, table.position.z, 2)), 20000, 'back to table')
    await craft(alice, 'stone_pickaxe', 1, table)
  })

  it('one stone dug with a pickaxe drops exactly one cobblestone item', { timeout: 30000 }, async () => {
    const target = alice.entity.position.floored().offset(1, 0, 0)
    await h.command(alice, `fill ${target.x} ${target.y} ${target.z} ${target.x} ${target.y} ${target.z} stone`, /filled/)
    await h.waitFor(() => alice.blockAt(target)?.name === 'stone', 3000, 'stone placed')
    await alice.equip(alice.inventory.items().find(i => i.name === 'wooden_pickaxe'), 'hand')
    const spawned = []
    const onSpawn = (e) => { if (e.name === 'item' && e.position.distanceTo(target.offset(0.5, 0.5, 0.5)) < 3) spawned.push(e) }
    alice.on('entitySpawn', onSpawn)
    const before = h.count(alice, 'cobblestone')
    try {
      await h.withTimeout(alice.dig(alice.blockAt(target)), 10000, 'dig stone')
      await h.waitFor(() => h.count(alice, 'cobblestone') > before, 5000, 'cobblestone picked up')
      await h.sleep(1000)
    } finally {
      alice.removeListener('entitySpawn', onSpawn)
    }
    assert.equal(spawned.length, 1, 'item entities spawned by one dug stone')
    assert.equal(h.count(alice, 'cobblestone'), before + 1)
  })

  it('smelts raw iron with coal in a furnace', { timeout: 40000 }, async () => {
    await h.command(alice, 'give alice furnace 1', /Gave/)
    await h.command(alice, 'give alice coal 1', /Gave/)
    await h.command(alice, 'give alice raw_iron 1', /Gave/)
    await h.waitFor(() => h.count(alice, 'raw_iron') === 1 && h.count(alice, 'furnace') === 1, 3000, 'items')
    const block = await place(alice, 'furnace', new Vec3(0, 0, 2))
    const furnace = await h.withTimeout(alice.openFurnace(block), 5000, 'open furnace')
    await furnace.putFuel(id('coal'), null, 1)
    await furnace.putInput(id('raw_iron'), null, 1)
    const t0 = Date.now()
    await h.waitFor(() => furnace.outputItem()?.name === 'iron_ingot', 20000, 'iron ingot', 100)
    timed('smelt_one_raw_iron', Date.now() - t0)
    assert.ok(furnace.fuel > 0 && furnace.totalFuel === 1600, 'furnace reports fuel')
    await furnace.takeOutput()
    furnace.close()
    assert.equal(h.count(alice, 'iron_ingot'), 1)
    assert.equal(h.count(alice, 'raw_iron'), 0)
    assert.equal(h.count(alice, 'coal'), 0)
  })

  it('chests keep what is deposited and give it back, also to another player', { timeout: 40000 }, async () => {
    await h.command(alice, 'give alice chest 1', /Gave/)
    await h.command(alice, 'give alice cobblestone 10', /Gave/)
    await h.waitFor(() => h.count(alice, 'chest') === 1, 3000, 'chest')
    const block = await place(alice, 'chest', new Vec3(-2, 0, 0))
    const cobble = h.count(alice, 'cobblestone')
    let chest = await h.withTimeout(alice.openContainer(block), 5000, 'open chest')
    assert.equal(chest.containerItems().length, 0)
    await chest.deposit(id('cobblestone'), null, 7)
    await chest.deposit(id('iron_ingot'), null, 1)
    chest.close()
    assert.equal(h.count(alice, 'cobblestone'), cobble - 7)
    assert.equal(h.count(alice, 'iron_ingot'), 0)
    await h.withTimeout(bob.pathfinder.goto(new (require('mineflayer-pathfinder').goals.GoalNear)(block.position.x, block.position.y, block.position.z, 2)), 20000, 'bob to chest')
    const other = await h.withTimeout(bob.openContainer(bob.blockAt(block.position)), 5000, 'bob opens chest')
    const seen = Object.fromEntries(other.containerItems().map(i => [i.name, i.count]))
    assert.deepEqual(seen, { cobblestone: 7, iron_ingot: 1 })
    await other.withdraw(id('cobblestone'), null, 3)
    other.close()
    assert.equal(h.count(bob, 'cobblestone'), 3)
    chest = await h.withTimeout(alice.openContainer(block), 5000, 'reopen chest')
    await chest.withdraw(id('iron_ingot'), null, 1)
    assert.equal(chest.containerItems().find(i => i.name === 'cobblestone').count, 4)
    chest.close()
    assert.equal(h.count(alice, 'iron_ingot'), 1)
  })

  it('a tossed stack is a real item entity another bot can collect', { timeout: 40000 }, async () => {
    await h.command(alice, 'give alice stick 5', /Gave/)
    await h.waitFor(() => h.count(alice, 'stick') >= 5, 3000, 'sticks')
    const sticks = h.count(alice, 'stick')
    const dropped = new Promise(resolve => bob.on('itemDrop', e => { if (e.getDroppedItem()?.name === 'stick') resolve(e) }))
    await alice.tossStack(alice.inventory.items().find(i => i.name === 'stick'))
    const entity = await h.withTimeout(dropped, 5000, 'bob sees the stick')
    await h.command(alice, 'tp alice ~8 ~ ~', null) // step away so alice does not take it back
    const n = entity.getDroppedItem().count
    assert.equal(h.count(alice, 'stick'), sticks - n)
    const before = h.count(bob, 'stick')
    const t0 = Date.now()
    await h.withTimeout(bob.collectBlock.collect(entity), 20000, 'bob collects the sticks')
    timed('collect_tossed_item', Date.now() - t0)
    await h.waitFor(() => h.count(bob, 'stick') === before + n, 3000, 'sticks in bob inventory')
  })

  it('/kill kills, the bot respawns at spawn with full health', { timeout: 30000 }, async () => {
    await h.command(bob, 'give bob diamond 2', /Gave/)
    await h.waitFor(() => h.count(bob, 'diamond') === 2, 3000, 'diamond')
    const died = new Promise(resolve => bob.once('death', resolve))
    const respawned = new Promise(resolve => bob.once('spawn', resolve))
    const t0 = Date.now()
    await h.command(alice, 'kill bob', /Killed bob/)
    await h.withTimeout(died, 5000, 'death')
    await h.withTimeout(respawned, 10000, 'respawn')
    timed('kill_to_respawn', Date.now() - t0)
    assert.equal(bob.health, 20)
    assert.equal(h.count(bob, 'diamond'), 0, 'inventory dropped on death')
    assert.ok(Object.values(alice.entities).some(e => e.name === 'item' && e.getDroppedItem()?.name === 'diamond'), 'diamonds on the ground')
    const spawn = require('../server/lib/terrain').createTerrain(7).spawn()
    assert.ok(bob.entity.position.distanceTo(new Vec3(spawn.x + 0.5, spawn.y, spawn.z + 0.5)) < 1.5, 'at world spawn: ' + bob.entity.position)
    await h.waitFor(() => bob.blockAt(bob.entity.position.offset(0, -1, 0)), 5000, 'chunks after respawn')
    // keepInventory
    await h.command(alice, 'gamerule keepInventory true', /now set to: true/)
    await h.command(bob, 'give bob emerald 1', /Gave/)
    await h.waitFor(() => h.count(bob, 'emerald') === 1, 3000, 'emerald')
    const respawned2 = new Promise(resolve => bob.once('spawn', resolve))
    await h.command(alice, 'kill bob', /Killed bob/)
    await h.withTimeout(respawned2, 10000, 'second respawn')
    await h.sleep(300)
    assert.equal(h.count(bob, 'emerald'), 1)
    await h.command(alice, 'gamerule keepInventory false', /now set to: false/)
  })

  it('/summon pig, kill it with a sword, collect the porkchop', { timeout: 40000 }, async () => {
    await h.command(alice, 'give alice wooden_sword 1', /Gave/)
    await h.waitFor(() => h.count(alice, 'wooden_sword') === 1, 3000, 'sword')
    await alice.equip(alice.inventory.items().find(i => i.name === 'wooden_sword'), 'hand')
    await h.command(alice, 'summon pig ~2 ~ ~', /Summoned new Pig/)
    const pig = await h.waitFor(() => alice.nearestEntity(e => e.name === 'pig'), 3000, 'pig entity')
    alice.on('entityDead', (e) => { e.dead = true })
    const gone = new Promise(resolve => alice.on('entityGone', e => { if (e === pig) resolve() }))
    const t0 = Date.now()
    let hits = 0
    while (alice.entities[pig.id] && !pig.dead && Date.now() - t0 < 15000) {
      await alice.lookAt(pig.position.offset(0, 0.4, 0), true)
      alice.attack(pig)
      hits++
      await h.sleep(650)
    }
    await h.withTimeout(gone, 3000, 'pig removed')
    timed('kill_pig_wooden_sword', Date.now() - t0)
    assert.ok(hits <= 4, 'a wooden sword kills a pig in 3 hits, took ' + hits)
    const drop = await h.waitFor(() => alice.nearestEntity(e => e.name === 'item' && e.getDroppedItem()?.name === 'porkchop'), 3000, 'porkchop drop')
    await h.withTimeout(alice.collectBlock.collect(drop), 15000, 'collect porkchop')
    assert.ok(h.count(alice, 'porkchop') >= 1)
  })

  it('/clear empties the inventory', { timeout: 15000 }, async () => {
    assert.ok(alice.inventory.items().length > 0)
    await h.command(alice, 'clear', /Removed \d+ item\(s\) from player alice/)
    await h.waitFor(() => alice.inventory.items().length === 0, 3000, 'empty inventory')
  })

  it('/fill, /gamerule and /spreadplayers work', { timeout: 30000 }, async () => {
    const p = alice.entity.position.floored()
    await h.command(alice, `fill ${p.x + 3} ${p.y} ${p.z + 3} ${p.x + 4} ${p.y + 1} ${p.z + 4} cobblestone`, /Successfully filled 8 block/)
    await h.waitFor(() => alice.blockAt(p.offset(4, 1, 4))?.name === 'cobblestone', 3000, 'filled block')
    await h.command(alice, 'gamerule doDaylightCycle', /currently set to: true/)
    await h.command(alice, 'gamerule doDaylightCycle false', /now set to: false/)
    await h.command(alice, 'spreadplayers 100 100 2 10 false @a', /Spread 2 entities/)
    const near = (bot) => Math.abs(bot.entity.position.x - 100) <= 11 && Math.abs(bot.entity.position.z - 100) <= 11
    await h.waitFor(() => near(alice), 5000, 'alice moved')
    await h.waitFor(() => near(bob), 5000, 'bob moved')
    assert.ok(alice.entity.position.xzDistanceTo(bob.entity.position) >= 2, 'spread at least 2 apart')
    await h.waitFor(() => alice.blockAt(alice.entity.position.offset(0, -1, 0))?.boundingBox === 'block', 5000, 'ground under alice')
    assert.deepEqual(alice.kicks, [])
    assert.deepEqual(bob.kicks, [])
  })
})

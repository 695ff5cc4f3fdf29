'use strict'
// Furnaces.
//
// flying-squid has no furnace: right-clicking one does nothing, so bot.openFurnace never
// gets a window. Here a furnace is a 3-slot container kept per block (input, fuel, output)
// that smelts like vanilla: fuel burns for its vanilla time (coal 1600 ticks = 8 items),
// each item takes settings.agentkit.smeltTicks (200 ticks = 10 s by default, as vanilla),
// progress goes backwards when the fire is out, and the block shows lit while burning.
// Viewers get the four furnace properties (craft_progress_bar) that mineflayer's furnace
// object reads (fuel, totalFuel, progress, totalProgress). Recipes and fuels: lib/smelting.js.

const Vec3 = require('vec3').Vec3
const { SMELT, fuelTicks } = require('../lib/smelting')
const { maker } = require('../lib/items')
const blockstore = require('../lib/blockstore')

module.exports.server = function (serv, settings) {
  const { registry } = serv
  const { make, clone, stackSize } = maker(registry)
  const cookTotal = Math.max(1, Number(settings.agentkit?.smeltTicks ?? 200))
  const furnaceBlock = registry.blocksByName.furnace
  const furnaces = new Set()

  function smeltResult (item) {
    const name = item && SMELT[item.name]
    return name ? registry.itemsByName[name]?.id : undefined
  }

  function getFurnace (world, pos) {
    let f = blockstore.get(serv, world, pos)
    if (!f || f.kind !== 'furnace') {
      f = { kind: 'furnace', world, pos: pos.clone(), container: serv.createContainer(3), burn: 0, burnTotal: 0, cook: 0, cookTotal, sent: [null, null, null, null], lit: false }
      blockstore.set(serv, world, pos, f)
      furnaces.add(f)
      f.remove = () => furnaces.delete(f)
    }
    return f
  }
  serv.getFurnace = getFurnace

  function sendProps (f, force = false) {
    const values = [f.burn, f.burnTotal, f.cook, f.cookTotal]
    for (const prop of [1, 0, 3, 2]) {
      if (!force && f.sent[prop] === values[prop]) continue
      for (const v of f.container.views) {
        v.player._client.write('craft_progress_bar', { windowId: v.id, property: prop, value: values[prop] })
      }
      if (!force) f.sent[prop] = values[prop]
    }
  }

  async function setLit (f, lit) {
    if (f.lit === lit) return
    f.lit = lit
    try {
      const stateId = await f.world.getBlockStateId(f.pos)
      if (registry.blocksByStateId[stateId]?.name !== 'furnace') return
      const base = stateId - ((stateId - furnaceBlock.minStateId) % 2)
      const next = base + (lit ? 0 : 1) // lit: [true, false]
      if (next !== stateId) await serv.setBlock(f.world, f.pos, next)
    } catch (err) {
      serv.debug?.(err)
    }
  }

  function tickFurnace (f) {
    const c = f.container
    const input = c.get(0)
    const fuel = c.get(1)
    const out = c.get(2)
    const resultId = smeltResult(input)
    const canSmelt = resultId !== undefined && (!out || (out.type === resultId && out.count < stackSize(out)))
    if (f.burn > 0) f.burn--
    if (f.burn <= 0 && canSmelt && fuel) {
      const ticks = fuelTicks(fuel.name)
      if (ticks > 0) {
        f.burn = f.burnTotal = ticks
        c.set(1, fuel.name === 'lava_bucket' ? make('bucket', 1) : clone(fuel, fuel.count - 1))
      }
    }
    if (f.burn > 0 && canSmelt) {
      f.cook++
      if (f.cook >= f.cookTotal) {
        f.cook = 0
        c.set(0, clone(input, input.count - 1))
        c.set(2, out ? clone(out, out.count + 1) : make(resultId, 1))
      }
    } else if (!canSmelt) {
      f.cook = 0
    } else if (f.cook > 0) {
      f.cook = Math.max(0, f.cook - 2)
    }
  }

  let acc = 0
  serv.on('tick', (delta) => {
    if (furnaces.size === 0) return
    acc += Math.min(Math.max(delta, 0), 2) * 20
    const n = Math.floor(acc)
    acc -= n
    for (const f of furnaces) {
      const idle = f.burn <= 0 && f.cook <= 0 && !smeltResult(f.container.get(0))
      if (idle && !f.lit) continue
      for (let k = 0; k < n; k++) tickFurnace(f)
      sendProps(f)
      setLit(f, f.burn > 0)
    }
  })

  function quickMove (i, item) {
    if (i < 3) return [[3, 39, true]]
    const ranges = []
    if (smeltResult(item) !== undefined) ranges.push([0, 1, false])
    if (fuelTicks(item.name) > 0) ranges.push([1, 2, false])
    ranges.push(i < 30 ? [30, 39, false] : [3, 30, false])
    return ranges
  }

  serv.onBlockInteraction('furnace', ({ block, player }) => {
    const held = player.inventory.slots[36 + player.heldItemSlot]
    if (player.crouching && held) return false
    const f = getFurnace(player.world, new Vec3(block.position.x, block.position.y, block.position.z))
    serv.openView(player, {
      type: 'minecraft:furnace',
      title: { text: 'Furnace' },
      container: f.container,
      takeOnly: new Set([2]),
      accepts: (i, item) => i !== 1 || fuelTicks(item.name) > 0 || item.name === 'bucket',
      quickMove,
      onOpen: () => sendProps(f, true)
    })
    return true
  })
}
